"""Counter lending (centre staff): lend an item, take it back, the loans out and the
overdue list, and the reminder to the overdue borrowers."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.community import selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import LendForm, ReturnForm
from madoguchi.community.views._common import source, staff_centre
from madoguchi.core.dates import day_text
from madoguchi.organisation.models import DistrictCentre


def _back_to_counter(centre: DistrictCentre):
    return redirect(f"{reverse('community:counter')}?centre={centre.pk}")


def _counter_page(request, centre, lend_form=None, return_form=None, status=200):
    today = timezone.localdate()
    loans = selectors.open_loans(user=request.user, centre=centre, source=source(request))
    return render(request, "community/counter.html", {
        "centre": centre, "today": today,
        "lend_form": lend_form or LendForm(centre=centre),
        "return_form": return_form or ReturnForm(centre=centre),
        "loans": loans, "overdue": [loan for loan in loans if loan.due_on < today],
        "availability": selectors.centre_availability(centre=centre, day=today),
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_LEND)
def counter(request):
    """Counter lending: lend, take back, the loans out and the overdue list."""
    centre = staff_centre(request)
    if request.method != "POST":
        return _counter_page(request, centre)
    form = LendForm(request.POST, centre=centre)
    if form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.lend(item=data["item"], by=request.user,
                                 borrower_name=data["borrower_name"],
                                 borrower_phone=data["borrower_phone"],
                                 borrower_email=data["borrower_email"], group=data["group"],
                                 id_checked=data["id_checked"], due_on=data["due_on"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("「%(item)s」を貸し出しました。返却期限は%(due)sです。")
                          % {"item": loan.item, "due": day_text(loan.due_on, weekday=True)})
            return _back_to_counter(centre)
    return _counter_page(request, centre, lend_form=form, status=200)


@require_POST
@policy_required(Action.COMMUNITY_LEND)
def loan_return(request):
    centre = staff_centre(request)
    form = ReturnForm(request.POST, centre=centre)
    if form.is_valid():
        try:
            loan = services.return_item(item=form.cleaned_data["item"], by=request.user,
                                        condition=form.cleaned_data["condition"],
                                        note=form.cleaned_data["note"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("「%(item)s」の返却を受け付けました。") % {"item": loan.item})
            return _back_to_counter(centre)
    return _counter_page(request, centre, return_form=form)


@require_POST
@policy_required(Action.COMMUNITY_LEND)
def remind(request):
    centre = staff_centre(request)
    count = services.remind_overdue(by=request.user, centre=centre)
    flash.success(request, _("延滞の%(count)d件にお知らせのメールを送ります。"
                             "メールアドレスのない方は一覧から電話してください。")
                  % {"count": count})
    return _back_to_counter(centre)
