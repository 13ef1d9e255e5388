"""The applications' pages, one package or module per feature (ADR 0034): ``portal``
(residents online), ``assist`` (centre and counter), ``review`` (the section), ``notices``
(residents' decision notices)."""
