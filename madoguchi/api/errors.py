"""Error answers shared by the APIs: the common messages and a service's ``ValidationError``
as a 422 problem (``madoguchi.core.problem``, ADR 0023) naming the fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja.responses import Status

NOT_LOGGED_IN = "ログインが必要です。"
CSRF_FAILED = ("CSRFトークンが正しくありません。"
               "ページを読み込み直してから、もう一度送信してください。")
FORBIDDEN = "この操作を行う権限がありません。"
INVALID = "入力内容を確認してください。"


def invalid(error: ValidationError) -> Status:
    """422 with the messages per field (``__all__`` for a message about no one field); the
    detail is the message itself when there is one field, else a general sentence."""
    errors = ({field: [str(m) for m in ValidationError(errs).messages]
               for field, errs in error.error_dict.items()}
              if hasattr(error, "error_dict") else {"__all__": list(error.messages)})
    first = next(iter(errors.values()))[0]
    return Status(422, {"detail": first if len(errors) == 1 else INVALID, "code": "invalid",
                        "errors": errors})
