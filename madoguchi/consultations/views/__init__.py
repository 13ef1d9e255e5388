"""Consultation pages, one module per feature (ADR 0034): ``intake`` (inbox, intake, routing),
``record`` (the record and its documents), ``booking``, ``outcome`` (and follow-ups),
``routing_table`` (ward administrators). Only UUIDs travel in URLs (never names or the
worry); every page that shows personal data is ``Cache-Control: no-store`` and audited by
the selectors."""
