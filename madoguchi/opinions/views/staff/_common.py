"""What the staff's pages share: the permission, finding a consultation the user manages,
the refusal page and a create page (form, service, the new record's page)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.opinions import services
from madoguchi.opinions.models import Consultation

MANAGE = policy_required(Action.OPINIONS_MANAGE)


def _consultation(request, consultation) -> Consultation:
    found = Consultation.objects.select_related("district").filter(
        public_id=consultation).first()
    if found is None or not can(request.user, Action.OPINIONS_MANAGE, found):
        raise Http404
    return found


def _refused(request, error: services.OpinionsError, consultation: Consultation):
    return render(request, "opinions/staff/refused.html",
                  {"consultation": consultation, "messages_list": error.messages}, status=409)


def _create(request, form, create, page: str, key: str, template: str):
    """A create page: the form, the service, then the new record's page."""
    if request.method == "POST" and form.is_valid():
        try:
            found = create(by=request.user, data=form.cleaned_data)
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect(page, **{key: found.public_id})
    return render(request, template, {"form": form},
                  status=400 if request.method == "POST" else 200)
