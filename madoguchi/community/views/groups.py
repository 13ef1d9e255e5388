"""Groups: the application (no account), the representative's e-mail login and the
group's page (its bookings and requests, a request for a room in the window); the staff's
list of applications waiting for the centre's approval and the decision."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community import fees, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import GroupApplyForm, GroupRequestForm, LoginRequestForm
from madoguchi.community.group_session import GROUP_SESSION_KEY, current_contact
from madoguchi.community.models import Group, GroupStatus
from madoguchi.community.services import requests as requests_svc
from madoguchi.community.views._common import source, staff_centre


@require_http_methods(["GET", "POST"])
def group_apply(request):
    form = GroupApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_apply(
                name=data["name"], kind=data["kind"], centre=data["centre"],
                districts=list(data["districts"]), members_count=data["members_count"],
                activity=data["activity"], public_profile=data["public_profile"],
                contacts=[services.ContactInput(name=data["contact_name"],
                                                email=data["contact_email"],
                                                phone=data["contact_phone"])])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "community/group_applied.html", {"group": group})
    return render(request, "community/group_apply.html", {"form": form})


@require_http_methods(["GET", "POST"])
def group_login_request(request):
    form = LoginRequestForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        services.login_link_request(email=form.cleaned_data["email"],
                                    origin=request.build_absolute_uri("/"))
        sent = True
    return render(request, "community/group_login_request.html", {"form": form, "sent": sent})


@require_GET
def group_login(request, token: str):
    try:
        contact = services.login_open(token=token)
    except CommunityError as error:
        return render(request, "community/group_login_request.html",
                      {"form": LoginRequestForm(), "error": error.message}, status=400)
    request.session.cycle_key()
    request.session[GROUP_SESSION_KEY] = contact.pk
    return redirect("community:group_portal")


@never_cache
@require_http_methods(["GET", "POST"])
def group_portal(request):
    """The group's page: its bookings and requests, and a request for a room in the
    window (no staff account: the representative logged in by the e-mail link)."""
    contact = current_contact(request)
    group = contact.group if contact is not None else None
    if group is None:
        return redirect("community:group_login_request")
    form = GroupRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = requests_svc.request_submit(
                group=group, room=data["room"], day=data["date"], daypart=data["daypart"],
                purpose=data["purpose"], attendees=data["attendees"])
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("申込を受け付けました（使用料: %(fee)s）。抽選の結果は"
                                     "このページでお知らせします。")
                          % {"fee": fees.of_request(row).text()})
            return redirect("community:group_portal")
    bookings = [(b, fees.of_booking(b).text()) for b in group.room_bookings.filter(
        cancelled_at__isnull=True).select_related("room")]
    rows = list(group.requests.select_related("room", "group", "room_booking").order_by(
        "-submitted_at")[:50])
    reductions = fees.reductions_of({row.room for row in rows})
    requests = [(row, fees.of_request(row, reductions).text()) for row in rows]
    return render(request, "community/group_portal.html", {
        "group": group, "bookings": bookings, "requests": requests, "form": form})


@never_cache
@require_GET
@policy_required(Action.COMMUNITY_GROUPS)
def groups(request):
    """Applications waiting for the centre's approval (with the representatives' names:
    audited)."""
    centre = staff_centre(request)
    pending = list(Group.objects.filter(centre=centre, status=GroupStatus.PENDING)
                   .prefetch_related("contacts", "districts"))
    contacts = [c for g in pending for c in g.contacts.all()]
    if contacts:
        audit.record_many(actor=request.user, action=AuditAction.LIST,
                          record_type="community.group_contact",
                          records=[(c.pk, "") for c in contacts], source=source(request),
                          fields=("name", "email", "phone"))
    return render(request, "community/groups.html", {"centre": centre, "pending": pending})


@require_POST
@policy_required(Action.COMMUNITY_GROUPS)
def group_decide(request, group_id):
    group = get_object_or_404(Group, public_id=group_id)
    try:
        services.group_decide(group=group, by=request.user,
                              approve=request.POST.get("decision") == "approve")
    except PermissionDenied:
        raise Http404 from None
    except CommunityError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("「%(group)s」の申請を処理しました。") % {"group": group.name})
    return redirect("community:groups")
