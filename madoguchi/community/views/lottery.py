"""The monthly draw of the groups' requests (ward administrators): run it for a month,
see each run's seed, inputs and result, annul one with a reason."""

from __future__ import annotations

from django.contrib import messages as flash
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import AnnulForm, LotteryForm
from madoguchi.community.models import LotteryRun
from madoguchi.community.services import requests as requests_svc


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_LOTTERY)
def lottery(request):
    """The monthly draw: run it for a month, see each run's seed, inputs and result (and
    whether drawing again from them gives the same), annul one with a reason."""
    form = LotteryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = requests_svc.lottery_run(month=form.cleaned_data["month"], by=request.user,
                                           seed=form.cleaned_data["seed"] or None)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("抽選を行いました（種 %(seed)s）。") % {"seed": run.seed})
            return redirect("community:lottery")
    runs = [(run, requests_svc.lottery_reproduce(run),
             sum(1 for won, _rank in run.results.values() if won))
            for run in LotteryRun.objects.select_related("run_by", "annulled_by")[:12]]
    return render(request, "community/lottery.html", {"form": form, "runs": runs,
                                                      "annul_form": AnnulForm()})


@require_POST
@policy_required(Action.COMMUNITY_LOTTERY)
def lottery_annul(request, run_id: int):
    run = get_object_or_404(LotteryRun, pk=run_id)
    form = AnnulForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        requests_svc.lottery_annul(run=run, by=request.user, reason=reason)
    except CommunityError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("抽選を無効にしました。"))
    return redirect("community:lottery")
