"""The staff's pages, one module per feature (ADR 0034): ``consultations`` (draft, documents,
categories, publication), ``opinions`` (entered from e-mail and paper, each opinion and its
original), ``sorting`` (items, groups and the ward's answers), ``results`` (the tally in
HTML, CSV and PDF; the published result), ``surveys`` (and their results); ``_common``
holds what they share. Every page that shows a sender's data is audited."""
