"""`make bench`: measured figures, written to var/bench/*.json and printed as a table."""
