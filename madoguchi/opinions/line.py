"""LINE messages as opinions (ADR 0052): the handler opinions registers with news' inbox.

A message is an opinion on a consultation when it starts with that consultation's LINE
keyword (``地域行政 ご意見の本文``, also ``【地域行政】…``, full- or half-width), or with
「意見」 while exactly one consultation takes opinions by LINE. The rest of the message is
the opinion, judged by ``services.opinion_submit`` as the web form's is (period, empty,
too long); the resident is answered in Japanese through news' LINE outbox either way.
A message that names no consultation is not taken: it stays in news' inbox as an inquiry
for staff, and its sender is told how to send an opinion while any consultation takes
them.

The sender's LINE user id is kept only as the opinion's ``channel_ref`` (audited by
``opinion_submit``); it is never logged here, and replies name the inbox message, not the
person.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from madoguchi.core.dates import day_text
from madoguchi.news import inbox
from madoguchi.news import services as news
from madoguchi.opinions.models import Channel, Consultation, State
from madoguchi.opinions.services._common import OpinionsError
from madoguchi.opinions.services.consultations import KEYWORD_ENDS, RESERVED_KEYWORDS
from madoguchi.opinions.services.opinions import opinion_submit

logger = logging.getLogger("madoguchi.opinions")

HANDLER = "opinions"
SOURCE = "opinions:line"
KEY_NAMESPACE = uuid.UUID("6f1c5a52-7a0e-4d35-9a55-1b6f3a0c2e11")
LEADING_MARKS = "#【「[(（ \u3000\t\n"  # before the keyword, after NFKC


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _after_keyword(text: str, keyword: str) -> str | None:
    """The message without its leading ``keyword`` (compared after NFKC, case-folded),
    or None when it does not start with it as a whole word."""
    wanted = keyword.casefold()
    head = _nfkc(text[:len(keyword) * 3 + 8]).lstrip(LEADING_MARKS)
    if not head.casefold().startswith(wanted):
        return None
    # Where the keyword ends in the text as sent: the shortest prefix whose NFKC form
    # holds it (the opinion keeps the resident's own spelling).
    for end in range(1, len(text) + 1):
        if _nfkc(text[:end]).lstrip(LEADING_MARKS).casefold().startswith(wanted):
            rest = text[end:]
            break
    else:
        return None
    following = _nfkc(rest[:1])
    if following and not (following.isspace() or following in KEYWORD_ENDS):
        return None  # 「意見があります」 does not start with the keyword 「意見」
    return rest.lstrip(" \u3000\t\r\n" + KEYWORD_ENDS + "：】」")


def _taking_by_line() -> list[Consultation]:
    """Open consultations with a keyword (whether or not their period is running: the
    resident is told the period)."""
    return list(Consultation.objects.filter(state=State.OPEN).exclude(line_keyword="")
                .order_by("ends_on", "pk"))


def _accepting(consultations: Sequence[Consultation]) -> list[Consultation]:
    today = timezone.localdate()
    return [c for c in consultations if c.starts_on <= today <= c.ends_on]


def route(text: str, consultations: Sequence[Consultation]
          ) -> tuple[Consultation | None, str | None]:
    """The consultation a message names and its opinion text; (None, text) when it
    starts with 「意見」 but not exactly one consultation is accepting; (None, None) when
    it names none."""
    for consultation in sorted(consultations, key=lambda c: -len(c.line_keyword)):
        rest = _after_keyword(text, consultation.line_keyword)
        if rest is not None:
            return consultation, rest
    for word in sorted(RESERVED_KEYWORDS, key=len, reverse=True):
        rest = _after_keyword(text, word)
        if rest is not None:
            accepting = _accepting(consultations)
            return (accepting[0], rest) if len(accepting) == 1 else (None, rest)
    return None, None


def _list_text(consultations: Sequence[Consultation]) -> str:
    return "\n".join(
        _("・「%(keyword)s」：%(title)s（%(end)sまで）") % {
            "keyword": c.line_keyword, "title": c.title,
            "end": day_text(c.ends_on, weekday=True)}
        for c in consultations)


def how_to_text(accepting: Sequence[Consultation]) -> str:
    example = accepting[0].line_keyword
    return _("意見募集（パブリックコメント）にご意見を送るときは、メッセージの最初に案の"
             "キーワードを書き、続けてご意見を書いて送ってください。\n"
             "例：「%(keyword)s　○○について…」\n\n"
             "いま意見を募集している案：\n%(list)s") % {
        "keyword": example, "list": _list_text(accepting)}


def handle(incoming: inbox.Incoming) -> bool:
    """The inbox handler: True when the message became an opinion."""
    with override("ja"):  # the resident writes to the ward's Japanese account
        return _handle(incoming)


def _reply(incoming: inbox.Incoming, text: str) -> None:
    news.inbox_reply(message_id=incoming.message_id, text=text)


def _handle(incoming: inbox.Incoming) -> bool:
    consultations = _taking_by_line()
    if not consultations:
        return False  # nothing to say about opinions: an inquiry for staff
    consultation, text = route(incoming.text, consultations)
    accepting = _accepting(consultations)
    if consultation is None:
        if text is not None and len(accepting) > 1:
            _reply(incoming, _("いま意見を募集している案が複数あります。どの案へのご意見か"
                               "わかるよう、メッセージの最初に案のキーワードを書いて送って"
                               "ください。\n\n%(list)s") % {"list": _list_text(accepting)})
        elif accepting:
            _reply(incoming, _("メッセージを受け付けました。お問い合わせは職員が確認します。"
                               "\n\n") + how_to_text(accepting))
        else:
            _reply(incoming, _("いまLINEで意見を募集している案はありません。"
                               "メッセージは職員が確認します。"))
        return False
    key = uuid.uuid5(KEY_NAMESPACE, f"line-inbox:{incoming.message_id}")
    try:
        submitted = opinion_submit(consultation=consultation, submission_key=key,
                                   text=text or "", channel=Channel.LINE,
                                   channel_ref=incoming.line_user, source=SOURCE)
    except OpinionsError as error:
        _reply(incoming, _("「%(title)s」へのご意見を受け付けられませんでした。\n"
                           "%(reason)s") % {"title": consultation.title,
                                            "reason": "\n".join(error.messages)})
        logger.info("LINE message %s refused for consultation %s", incoming.message_id,
                    consultation.pk)
        return False
    _reply(incoming, _("「%(title)s」へのご意見を受け付けました（受付番号 %(number)s）。"
                       "ありがとうございました。\nいただいたご意見は、個人が特定されない形で"
                       "公表することがあります。") % {"title": consultation.title,
                                                     "number": submitted.opinion.number})
    return True


def register() -> None:
    inbox.register_handler(HANDLER, handle)
