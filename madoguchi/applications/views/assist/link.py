"""The centre links an application to the resident's portal identity with the resident
present (ADR 0027): the resident's portal shows a one-time code, the clerk types it here.
A code for somebody whose verified name or birth date is not the record's is refused (and
the refusal audited by ``linking``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.applications import selectors
from madoguchi.applications.services import linking
from madoguchi.applications.views.assist.steps import source_of

REFUSALS = {
    "code": gettext_lazy(
        "確認コードが違うか、有効期限（10分）が切れているか、すでに使われています。"
        "区民の方のマイページで新しいコードを表示してもらってください。"),
    "different person": gettext_lazy(
        "マイナンバーカードで確認されたお名前または生年月日が、この申請の区民の記録と"
        "一致しないため、ひも付けられません。ご本人の申請か確かめてください。"),
    "linked": gettext_lazy("この申請は、すでに別のマイページにひも付いています。"),
    "same": gettext_lazy("この申請は、すでにこの方のマイページにひも付いています。"),
    "no record": gettext_lazy("区民の記録のない申請や下書きは、ひも付けられません。"),
}


class LinkForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("確認コード（8けた）"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off"}))


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_ASSIST)
def link(request, public_id):
    application = selectors.staff_get(user=request.user, public_id=public_id,
                                      source=source_of(request))
    form = LinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                linking.link_with_code(application=application,
                                       code=form.cleaned_data["code"], user=request.user,
                                       source=source_of(request))
            except linking.LinkRefused as refused:
                form.add_error("code", str(REFUSALS[refused.reason]))
            else:
                messages.success(request, _("マイページにひも付けました。この申請と通知書は、"
                                            "区民の方のマイページでも見られます。"))
                return redirect("assist:receipt", public_id=application.public_id)
    return render(request, "applications/assist/link.html", {
        "application": application, "form": form}, status=status)
