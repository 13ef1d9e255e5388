"""One notifier (ADR 0030): ``notify(kind, about=...)`` and the message kinds owners register.

A context that tells someone something (scheduling: a booking's invitation, change,
cancellation and reminder; meetings: a one-time room link; applications: a notice link;
portal: a login link) registers a **message kind** once, in its ``AppConfig.ready``: a name
and a function that, in the worker, turns the ids it was given into the letters to send
(who, the template context, attachments, the database writes that go with the send), or
refuses with ``Skip``. It then calls ``notify`` inside its own transaction; nothing leaves
before that transaction commits, and the worker composes the message from what is stored
then, so no personal data is in a task's arguments or in a log (ADR 0009).

Templates per kind, in the owner's templates folder: ``notifications/<kind>/subject.txt``
and ``body.txt``, and ``subject_en.txt`` / ``body_en.txt`` where the kind has an English
version for recipients whose language is English. Rendered in Japanese (dates in 和暦).

Channels are backends behind ``Channel``: e-mail now; another channel (LINE, push) is one
more class registered with ``channel_register`` and named by the kind. Each letter is sent
once under an idempotency key made of the task's id (core.effects, ADR 0025).

Nothing here imports the contexts that use it: they import this module.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string, select_template
from django.utils import translation

from madoguchi.core import effects

logger = logging.getLogger("madoguchi.notifications")

# What a notification is about: ids and other values that are not personal data (a link's
# origin, a language code). Stored in the task queue as they are.
About = Mapping[str, int | str]


@dataclass(frozen=True)
class Recipient:
    """Whom a letter goes to. ``address`` is the channel's (an e-mail address for e-mail)."""

    address: str
    name: str = ""
    language: str = "ja"

    @property
    def english(self) -> bool:
        return self.language == "en"


@dataclass(frozen=True)
class Attachment:
    """A text attachment, e.g. an .ics: ``subtype`` of text/, with its MIME parameters."""

    filename: str
    subtype: str
    content: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass
class Letter:
    """One message to one recipient, as the kind's owner composes it in the worker.

    ``part`` tells apart several letters of one notification in the idempotency key (an
    id, never personal data). ``claim`` is a database write made with the send, before
    it: when it changes nothing (returns a falsy value) the letter was already sent and is
    skipped. ``done`` is a write made after the send. Both are recorded with the effect
    (ADR 0025): a rerun after a lost commit writes them again without sending.
    ``headers`` are extra mail headers (List-Unsubscribe of a newsletter). ``refused`` is a
    write made when the channel reports that the recipient's address is refused (a bounce):
    with it, the letter counts as done (not retried) and the write records the bounce.
    """

    recipient: Recipient
    context: dict[str, object]
    part: int | str = ""
    attachments: tuple[Attachment, ...] = ()
    claim: Callable[[], object] | None = None
    done: Callable[[], object] | None = None
    headers: tuple[tuple[str, str], ...] = ()
    refused: Callable[[], object] | None = None


class Skip(Exception):  # noqa: N818 (a refusal to send, not an error)
    """Raised by a kind's letters function: nothing to send (gone, cancelled, moved...).
    The reason (no personal data) becomes the task's result, ``skipped: <reason>``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


Letters = Callable[[About, "str | None"], Iterable[Letter]]


# A kind's ``unsubscribe``: its letters to residents carry a stop link (ADR 0054). DIGEST:
# the notifier adds the link that stops the daily digest (body and List-Unsubscribe
# headers); OWN: the owner's letters carry their own (a newsletter's subscription). None:
# mail to staff, or sent to an address only to sign in.
DIGEST = "digest"
OWN = "own"


@dataclass(frozen=True)
class MessageKind:
    name: str
    letters: Letters
    channel: str = "email"
    unsubscribe: str | None = None


@dataclass(frozen=True)
class Message:
    """A letter rendered: what a channel sends."""

    kind: str
    recipient: Recipient
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default=())
    headers: tuple[tuple[str, str], ...] = field(default=())


class DeliveryFailed(Exception):
    """The channel refused or could not be reached. The message names the kind, ids and
    the error's class only: the original error (which may quote an address) is not kept,
    as the task result and its traceback are stored in the database."""


class RecipientRefused(DeliveryFailed):
    """The recipient's address itself was refused (SMTP 5xx to RCPT TO): sending again
    will not help."""


class Channel(Protocol):
    name: str

    def send(self, message: Message, *, key: str) -> None:
        """Deliver ``message``; the same ``key`` for a resent copy. Raise DeliveryFailed."""


class EmailChannel:
    """Plain-text mail through Django's mail backend (SMTP in production, the file outbox
    by default), from ``DEFAULT_FROM_EMAIL``, with a Message-ID derived from the key."""

    name = "email"

    def send(self, message: Message, *, key: str) -> None:
        mail = EmailMessage(subject=message.subject, body=message.body,
                            from_email=settings.DEFAULT_FROM_EMAIL,
                            to=[message.recipient.address],
                            headers={"Auto-Submitted": "auto-generated",
                                     **dict(message.headers)})
        for attachment in message.attachments:
            part = MIMEText(attachment.content, attachment.subtype, "utf-8")
            for name, value in attachment.params:
                part.set_param(name, value)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            mail.attach(part)
        effects.stamp(mail, key)
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused:
            raise RecipientRefused(f"{message.kind}: recipient refused") from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{message.kind}: {type(error).__name__}") from None


_kinds: dict[str, MessageKind] = {}
_channels: dict[str, Channel] = {"email": EmailChannel()}


def register(name: str, letters: Letters, *, channel: str = "email",
             unsubscribe: str | None = None) -> MessageKind:
    """Register the message kind ``name`` (its owner's ``AppConfig.ready``); mail to
    residents names ``unsubscribe`` (DIGEST or OWN, ADR 0054)."""
    kind = MessageKind(name=str(name), letters=letters, channel=channel,
                       unsubscribe=unsubscribe)
    if _kinds.get(name, kind) != kind:
        raise ValueError(f"message kind {name!r} is registered already")
    _kinds[kind.name] = kind
    return kind


def kind_named(name: str) -> MessageKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no message kind {name!r} is registered") from None


def resident_kinds() -> list[str]:
    """The kinds whose letters go to residents with a stop link (ADR 0054)."""
    return sorted(name for name, kind in _kinds.items() if kind.unsubscribe)


def channel_register(channel: Channel) -> None:
    _channels[channel.name] = channel


def notify(kind: str, *, about: About, secret: str | None = None,
           after: dt.datetime | None = None) -> None:
    """Send a message of ``kind`` about ``about`` once the current transaction commits
    (at once outside one), from the task worker; not before ``after`` when given.

    ``secret`` is a credential the message must carry (a one-time link): it travels to
    the worker sealed, never in clear, and is given to the kind's letters function.
    """
    kind_named(kind)  # refuse an unknown kind here, not in the worker
    for name, value in about.items():
        if not isinstance(value, int | str):
            raise TypeError(f"about[{name!r}] must be an id or a string")
    arguments: dict[str, object] = {"kind": str(kind), "about": dict(about)}
    if secret is not None:
        from madoguchi.notifications.links import seal

        arguments["sealed"] = seal(secret)

    def enqueue() -> None:
        from madoguchi.notifications.tasks import deliver

        (deliver.using(run_after=after) if after else deliver).enqueue(**arguments)

    transaction.on_commit(enqueue)


# ── in the worker ─────────────────────────────────────────────────────────────────────

def _template(kind: str, part: str, english: bool) -> str:
    names = [f"notifications/{kind}/{part}.txt"]
    if english:
        names.insert(0, f"notifications/{kind}/{part}_en.txt")
    return select_template(names).template.name


def render(kind: str, letter: Letter) -> Message:
    """The letter's subject (one line) and body from the kind's templates, in Japanese;
    for a kind to residents, the stop link of the digest at the end and in the headers."""
    english = letter.recipient.english
    context = {"recipient": letter.recipient, "english": english, **letter.context}
    headers = letter.headers
    with translation.override("ja"):
        subject = render_to_string(_template(kind, "subject", english), context)
        body = render_to_string(_template(kind, "body", english), context)
        unsubscribe = _kinds[kind].unsubscribe if kind in _kinds else None
        if unsubscribe == OWN and "List-Unsubscribe" not in dict(headers):
            raise ValueError(f"{kind}: a letter to a resident without its stop link")
        if unsubscribe not in (None, OWN):
            from madoguchi.notifications import stops

            url = stops.stop_url(letter.recipient.address, scope=unsubscribe,
                                 language=letter.recipient.language)
            body = body.rstrip("\n") + "\n\n" + render_to_string(
                _template("stop", "footer", english), {"url": url})
            headers = (*headers, *stops.headers(url))
    return Message(kind=kind, recipient=letter.recipient, subject=" ".join(subject.split()),
                   body=body, attachments=letter.attachments, headers=headers)


def send_once(kind: MessageKind, letter: Letter, key: str, what: str) -> bool:
    """Send one letter unless the effect ``key`` was already made; whether it was sent."""
    channel = _channels[kind.channel]
    with effects.once(key) as effect:
        if effect is None or (letter.claim is not None and not effect.record(letter.claim)):
            logger.info("%s: already sent by an earlier run", what)
            return False
        message = render(kind.name, letter)
        try:
            effect.make(lambda: channel.send(message, key=key))
        except RecipientRefused as refused:
            if letter.refused is None:
                logger.warning("%s: delivery failed (%s)", what, refused)
                raise
            logger.warning("%s: recipient refused, recorded as a bounce", what)
            effect.record(letter.refused)
            return False
        except DeliveryFailed as failed:
            logger.warning("%s: delivery failed (%s)", what, failed)
            raise
        if letter.done is not None:
            effect.record(letter.done)
    return True
