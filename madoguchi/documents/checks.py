"""``manage.py check`` reports an unusable appeal text file before a notice is printed."""

from __future__ import annotations

from django.core.checks import Error, register

from madoguchi.documents.appeal import appeal_file, appeal_problems


@register()
def appeal_text_check(app_configs, **kwargs) -> list[Error]:
    path = appeal_file()
    try:
        problems = appeal_problems()
    except OSError as error:
        return [Error(f"DOCUMENTS_APPEAL_TEXT_FILE cannot be read: {error}",
                      id="documents.E001")]
    return [Error(f"{path}: {problem}", id="documents.E002") for problem in problems]
