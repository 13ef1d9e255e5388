"""The form engine: form definitions as data, answers checked in Japanese, Django forms.

- ``spec``: the definition (sections, fields, conditions) and its validation;
- ``types``: what each field type accepts and stores;
- ``engine``: ``clean_answers`` — the one check used by pages and API;
- ``django_forms``: ``ProcedureForm``, the Django form that renders a definition;
- ``summary``: answers as label/value rows for confirmation pages.
"""
