"""The standard appeal instructions (教示文) printed on every decision notice.

行政不服審査法 82条 and 行政事件訴訟法 46条 require a notice of a 処分 to say whether and to
whom a 審査請求 can be made and within what time, and against whom and within what time a
取消訴訟 can be brought. The wording is the ward's, in one data file
(``data/appeal.txt``, or the file named by ``DOCUMENTS_APPEAL_TEXT_FILE``) with three
placeholders: ``{{ 審査庁 }}`` (who hears the 審査請求: the ward mayor unless the procedure
names another, e.g. 東京都知事 for 法定受託事務), ``{{ 被告 }}`` (the ward) and
``{{ 代表者 }}`` (who represents the ward in court: the mayor).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from madoguchi.documents.templating import check_template, fill_template

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "appeal.txt"
PLACEHOLDERS = ("審査庁", "被告", "代表者")


def appeal_file() -> Path:
    return Path(settings.DOCUMENTS_APPEAL_TEXT_FILE or DEFAULT_FILE)


def appeal_template() -> str:
    return appeal_file().read_text(encoding="utf-8").strip()


def appeal_problems() -> list[str]:
    """What is wrong with the configured appeal text (empty when it can be used)."""
    return check_template(appeal_template(), allowed=PLACEHOLDERS)


def appeal_text(*, authority: str = "") -> str:
    """The 教示文 with the ward's names; ``authority`` replaces the mayor as 審査庁."""
    return fill_template(appeal_template(), {
        "審査庁": authority or settings.DOCUMENTS_MAYOR_TITLE,
        "被告": settings.DOCUMENTS_WARD_NAME,
        "代表者": settings.DOCUMENTS_MAYOR_TITLE,
    })
