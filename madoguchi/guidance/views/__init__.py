"""Pages of the guidance context: the residents' page, the staff search, knowledge-base
editing, synonyms and the learning loop (one module each)."""
