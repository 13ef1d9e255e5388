"""Pages, one module per feature (ADR 0034): ``catalogue`` (the open-data catalogue and
files, public), ``profile`` (district profiles), ``dashboard`` (the ward dashboard and its
exports, staff), ``assessments`` (the yearly assessment: public pages and the staff's
workflow); ``_common`` holds what they share."""
