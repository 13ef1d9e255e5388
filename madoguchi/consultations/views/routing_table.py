"""The ward administrators' pages: the routing table and the online services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.consultations import selectors, services
from madoguchi.consultations.forms import (
    RoutingRuleForm,
)
from madoguchi.consultations.models import RoutingRule
from madoguchi.organisation.models import DistrictCentre, SectionKind

# ── the routing table and online services (ward administrators) ────────────────────────

def _routable_kinds():
    from madoguchi.consultations.routing import ROUTABLE_TIERS

    return list(SectionKind.objects.filter(tier__in=ROUTABLE_TIERS)
                .order_by("sort_order", "code"))


@require_http_methods(["GET"])
@policy_required(Action.ROUTING_EDIT)
def routing_rules(request):
    return render(request, "consultations/routing_rules.html",
                  {"rules": selectors.routing_rules()})


@require_http_methods(["GET", "POST"])
@policy_required(Action.ROUTING_EDIT)
def routing_rule_edit(request, pk=None):
    rule = get_object_or_404(RoutingRule, pk=pk) if pk is not None else None
    initial = ({"category": rule.category, "keywords": rule.keywords,
                "section_kind": rule.section_kind.code, "priority": rule.priority,
                "active": rule.active} if rule else {})
    form = RoutingRuleForm(request.POST if request.method == "POST" else None,
                           initial=initial, kinds=_routable_kinds())
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(by=request.user, rule=rule, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("回付の規則を保存しました。"))
            return redirect("consultations:routing_rules")
    return render(request, "consultations/routing_rule_form.html",
                  {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
@policy_required(Action.ROUTING_EDIT)
def online_services(request):
    if request.method == "POST":
        centre = DistrictCentre.objects.filter(pk=request.POST.get("centre") or 0).first()
        kind = SectionKind.objects.filter(code=request.POST.get("kind") or "").first()
        if centre is None or kind is None:
            messages.error(request, _("センターと課・機関を選んでください。"))
            return redirect("consultations:online_services")
        else:
            enabled = request.POST.get("enabled") == "1"
            try:
                services.online_service_set(by=request.user, centre=centre, kind=kind,
                                            enabled=enabled)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    (_("%(centre)sで%(kind)sのオンライン相談を開始しました。") if enabled
                     else _("%(centre)sで%(kind)sのオンライン相談を停止しました。"))
                    % {"centre": centre.label, "kind": kind.label})
            return redirect(f"{reverse('consultations:online_services')}#centre-{centre.pk}")
    kinds, rows = selectors.online_matrix()
    return render(request, "consultations/online_services.html",
                  {"kinds": kinds, "rows": rows})
