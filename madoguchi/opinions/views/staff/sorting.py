"""Sorting: items into categories, merging them into groups, the ward's answer to each
group. Items are the senders' words: reading them is audited."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.opinions import services
from madoguchi.opinions.forms import AnswerForm, GroupForm, SortForm
from madoguchi.opinions.models import AnswerGroup, Consultation, Item
from madoguchi.opinions.views.staff._common import MANAGE, _consultation, _refused


def _item(found: Consultation, item: int) -> Item:
    return get_object_or_404(Item.objects.select_related("consultation", "opinion"), pk=item,
                             consultation=found)


@MANAGE
@require_POST
def item_sort(request, consultation, item):
    found = _consultation(request, consultation)
    form = SortForm(request.POST, consultation=found)
    if not form.is_valid():
        return _refused(request, services.OpinionsError(form.errors.get("category", [])),
                        found)
    target = _item(found, item)
    try:
        services.item_sort(by=request.user, item=target, category=form.cleaned_data["category"])
    except services.OpinionsError as error:
        return _refused(request, error, found)
    if request.POST.get("back") == "opinion":
        return redirect("opinions:opinion", consultation=found.public_id,
                        opinion=target.opinion.public_id)
    return redirect("opinions:sorting", consultation=found.public_id)


@MANAGE
@require_POST
def item_remove(request, consultation, item):
    found = _consultation(request, consultation)
    target = _item(found, item)
    try:
        services.item_remove(by=request.user, item=target)
    except services.OpinionsError as error:
        return _refused(request, error, found)
    return redirect("opinions:sorting", consultation=found.public_id)


def _audit_items(request, items: list[Item], source: str) -> None:
    """Items are the senders' words: reading them is reading their opinions."""
    opinions = {item.opinion.public_id for item in items}
    if opinions:
        audit.record_many(actor=request.user, action=AuditAction.LIST, record_type="opinion",
                          records=[(public_id, "") for public_id in sorted(opinions)],
                          source=source, fields=["text"])


@MANAGE
@require_http_methods(["GET", "POST"])
def sorting(request, consultation):
    """Every item with its category and group; merge the checked ones into a group."""
    found = _consultation(request, consultation)
    form = GroupForm(request.POST or None, consultation=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.items_group(by=request.user, consultation=found,
                                 items=form.cleaned_data["items"],
                                 summary=form.cleaned_data["summary"],
                                 group=form.cleaned_data["group"])
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:sorting", consultation=found.public_id)
    items = list(found.items.select_related("opinion", "category", "group"))
    _audit_items(request, items, "opinions:sorting")
    return render(request, "opinions/staff/sorting.html", {
        "consultation": found, "items": items, "form": form,
        "categories": found.categories.all(),
        "groups": found.groups.select_related("category").prefetch_related("items"),
    }, status=400 if request.method == "POST" else 200)


@MANAGE
@require_http_methods(["GET", "POST"])
def group_answer(request, consultation, group):
    found = _consultation(request, consultation)
    group = get_object_or_404(AnswerGroup.objects.select_related("category"), pk=group,
                              consultation=found)
    form = AnswerForm(request.POST or None,
                      initial={"summary": group.summary, "answer": group.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.group_answer(by=request.user, group=group, **form.cleaned_data)
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:sorting", consultation=found.public_id)
    items = list(group.items.select_related("opinion"))
    _audit_items(request, items, "opinions:group")
    return render(request, "opinions/staff/group.html", {
        "consultation": found, "group": group, "form": form, "items": items},
        status=400 if request.method == "POST" else 200)
