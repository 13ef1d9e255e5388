"""The form engine: form definitions as data, answers checked in Japanese, Django forms.

- ``spec``: the definition (sections, fields, conditions) and its validation;
- ``parse``: a definition read and checked (``checks``: the whole-form checks);
- ``types``: what each field type accepts and stores (``values``: what every type uses);
- ``engine``: ``clean_answers`` — the one check used by pages and API;
- ``django_forms``: ``ProcedureForm``, the Django form that renders a definition;
- ``summary``: answers as label/value rows for confirmation pages.
"""
