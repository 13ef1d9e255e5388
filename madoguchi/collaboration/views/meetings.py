"""Pages of four-party meetings: the list, a meeting with its minutes and action items,
tasks and social resources."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import access, selectors, services
from madoguchi.collaboration.forms import (
    ActionForm,
    MinutesForm,
    ResourceForm,
    SeriesForm,
    apply_errors,
)
from madoguchi.collaboration.models import ActionItem, MeetingStatus
from madoguchi.organisation.models import District


@policy_required(Action.COLLAB_MEETING_VIEW)
def meeting_list(request):
    centre_districts = access.centre_district_ids(request.user,
                                                  Action.COLLAB_MEETING_SCHEDULE)
    form = SeriesForm(request.POST or None)
    if request.method == "POST":
        if not centre_districts:
            raise PermissionDenied
        district = District.objects.get(pk=sorted(centre_districts)[0])
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.series_create(
                    district=district,
                    rule=services.RULES[data["pattern"]].format(day=data["weekday"]),
                    starts_on=data["starts_on"], at=data["at"], mode=data["mode"],
                    place=data["place"], video_link=data["video_link"] or "", by=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("四者連携会議の予定を作りました。"))
                return redirect("collaboration:meetings")
    return render(request, "collaboration/meetings.html", {
        "meetings": selectors.meeting_list(user=request.user), "form": form,
        "may_schedule": bool(centre_districts)})


def _meeting_page(request, meeting, *, minutes_form=None, action_form=None, conflict=None,
                  status=200):
    parties = selectors.party_choices(meeting)
    return render(request, "collaboration/meeting.html", {
        "meeting": meeting,
        "agenda": selectors.agenda(user=request.user, meeting=meeting,
                                   source="collaboration:meeting"),
        "actions": selectors.meeting_actions(meeting),
        "read_only": meeting.status == MeetingStatus.APPROVED,
        "may_edit": can(request.user, Action.COLLAB_MINUTES_EDIT, meeting),
        "may_approve": can(request.user, Action.COLLAB_MINUTES_APPROVE, meeting),
        "minutes_form": minutes_form or MinutesForm(initial={
            "minutes": meeting.minutes, "version": meeting.minutes_version}),
        "action_form": action_form or ActionForm(parties=parties,
                                                 people=selectors.person_choices(meeting)),
        "resource_form": ResourceForm(),
        "conflict": conflict,
    }, status=status)


@policy_required(Action.COLLAB_MEETING_VIEW)
def meeting_detail(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    return _meeting_page(request, meeting)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_minutes(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        form.add_error(None, _("議事録の版が分かりません。ページを開き直してください。"))
        return _meeting_page(request, meeting, minutes_form=form, status=200)
    try:
        services.minutes_save(meeting=meeting, text=form.cleaned_data["minutes"],
                              version=form.cleaned_data["version"], by=request.user)
    except services.MinutesConflict as conflict:
        form.add_error(None, conflict.messages[0])
        return _meeting_page(request, meeting, minutes_form=form, conflict=conflict,
                             status=409)
    except ValidationError as error:
        form.add_error(None, error.messages[0])
        return _meeting_page(request, meeting, minutes_form=form, status=200)
    messages.success(request, _("議事録を保存しました。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_hold(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("「開催済みにする」ボタンから操作してください。"))
        return redirect("collaboration:meeting", pk=meeting.pk)
    try:
        services.meeting_hold(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("開催済みにしました。議題の記録は共有済みになりました。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@require_POST
@policy_required(Action.COLLAB_MINUTES_EDIT)
def meeting_action(request, pk):
    from madoguchi.accounts.models import User

    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    parties = selectors.party_choices(meeting)
    people = selectors.person_choices(meeting)
    form = ActionForm(request.POST, parties=parties, people=people)
    if form.is_valid():
        data = form.cleaned_data
        record = None
        if data["record"]:
            try:
                record = selectors.visible_record(user=request.user, public_id=data["record"])
            except Http404:
                record = None
        person = User.objects.filter(pk=data["person"]).first() if data["person"] else None
        try:
            services.action_create(meeting=meeting, task=data["task"], party=data["party"],
                                   person=person, due_date=data["due_date"], record=record,
                                   by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("決定事項を追加しました。担当者の対応項目に表示されます。"))
            return redirect("collaboration:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, action_form=form)


@require_POST
@policy_required(Action.COLLAB_MINUTES_APPROVE)
def meeting_approve(request, pk):
    meeting = selectors.visible_meeting(user=request.user, pk=pk)
    try:
        services.minutes_approve(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("議事録を承認しました。以後は変更できません。"))
    return redirect("collaboration:meeting", pk=meeting.pk)


@policy_required(Action.COLLAB_ACTION_DONE)
def task_list(request):
    return render(request, "collaboration/tasks.html",
                  {"items": selectors.task_list(user=request.user)})


@require_POST
@policy_required(Action.COLLAB_ACTION_DONE)
def action_done(request, pk):
    item = ActionItem.objects.filter(pk=pk).first()
    if item is None or not can(request.user, Action.COLLAB_ACTION_DONE, item):
        raise Http404
    services.action_done(item=item, by=request.user)
    messages.success(request, _("完了にしました。"))
    return redirect("collaboration:tasks")


@policy_required(Action.COLLAB_MEETING_VIEW)
def resource_list(request):
    form = ResourceForm(request.POST or None)
    districts = sorted(access.party_district_ids(request.user, Action.COLLAB_MEETING_VIEW))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_create(
                district=District.objects.filter(pk__in=districts[:1]).first(),
                need=data["need"], resource=data["resource"], partners=data["partners"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("社会資源開発の記録を追加しました。"))
            return redirect("collaboration:resources")
    return render(request, "collaboration/resources.html", {
        "resources": selectors.resource_list(user=request.user), "form": form})
