"""For pages that take a file: the form field, and a refusal before the body is parsed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.files.policy import POLICIES, policy_for
from madoguchi.files.services import FileRefused, too_large

MULTIPART_SLACK = 64 * 1024  # form fields and multipart boundaries around the file


def limits_text(purpose: str) -> str:
    """「PDF・JPEG・PNGのファイル（1ファイル10MBまで）」"""
    policy = policy_for(purpose)
    return _("%(types)sのファイル（1ファイル%(max)sまで）") % {
        "types": policy.type_names, "max": policy.max_text}


def largest_request() -> int:
    """Bytes of the largest request one file upload needs: the largest limit of any purpose
    and the form around it (for core's early refusal of large bodies, ADR 0056)."""
    return max(policy.max_bytes for policy in POLICIES.values()) + MULTIPART_SLACK


def refuse_oversized_request(request, purpose: str) -> FileRefused | None:
    """A refusal when the request announces more bytes than one allowed file (and a form):
    answered without parsing the body. The limit itself is checked on the bytes by
    ``file_store``; a reverse proxy's body limit protects the server (ADR 0011)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    policy = policy_for(purpose)
    if length > policy.max_bytes + MULTIPART_SLACK:
        return too_large(policy)
    return None


class UploadForm(forms.Form):
    """One file; every check but "a file was chosen" is ``file_store``'s."""

    file = forms.FileField(label=gettext_lazy("ファイル"), allow_empty_file=True,
                           error_messages={"required": gettext_lazy("ファイルを選んでください。")})

    def __init__(self, *args, purpose: str, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        if label:
            field.label = label
        field.help_text = limits_text(purpose)
        policy = policy_for(purpose)
        # For a script that refuses a too large file before sending it (the server decides).
        field.widget.attrs.update({"accept": policy.accept,
                                   "data-max-bytes": str(policy.max_bytes),
                                   "data-too-large": too_large(policy).message})


def bound_upload_form(request, purpose: str, **kwargs) -> UploadForm:
    """The posted UploadForm; when the request is larger than a file may be, its body is not
    parsed and the form carries the size error."""
    refused = refuse_oversized_request(request, purpose)
    if refused is None:
        return UploadForm(request.POST, request.FILES, purpose=purpose, **kwargs)
    form = UploadForm({}, {}, purpose=purpose, **kwargs)
    form.is_valid()
    form.errors["file"] = form.error_class([refused.message])
    return form
