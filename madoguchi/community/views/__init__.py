"""Pages of the community context: the public rooms and equipment pages and the group
application (no account), and the staff pages (counter lending, room desk, groups).

The role gate of staff pages is ``policy_required``; which centre is the user's own
district's (ward administrators pick one). Services judge every write; their Japanese
message comes back on the page and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, can, own_district_ids, roles
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community import fees, selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import (
    AnnulForm,
    CircularForm,
    ClosureForm,
    GroupApplyForm,
    GroupRequestForm,
    HouseholdForm,
    LendForm,
    LoginRequestForm,
    LotteryForm,
    ReturnForm,
    RoomBookForm,
)
from madoguchi.community.group_session import GROUP_SESSION_KEY, current_contact
from madoguchi.community.models import (
    Circular,
    CircularAttachment,
    CircularReceipt,
    Daypart,
    Group,
    GroupStatus,
    LotteryRun,
)
from madoguchi.community.services import circulars as circulars_svc
from madoguchi.community.services import requests as requests_svc
from madoguchi.community.views._common import districts_ordered, staff_rooms
from madoguchi.core.dates import day_text, wareki_year
from madoguchi.documents.circular import render_circular
from madoguchi.documents.errors import DocumentError
from madoguchi.files.services import FileRefused, file_open
from madoguchi.organisation.models import District, DistrictCentre


def _source(request) -> str:
    return request.resolver_match.view_name


def _district_param(request) -> District | None:
    raw = request.GET.get("district", "").strip()
    if not raw.isdigit():
        return None
    return District.objects.filter(pk=int(raw)).select_related("centre").first()


def _district_among(request, districts: list[District]) -> District | None:
    """The district chosen (``?district=``) out of the picker's list (no query)."""
    raw = request.GET.get("district", "").strip()
    return next((d for d in districts if raw.isdigit() and d.pk == int(raw)), None)


def _month_param(request) -> tuple[int, int, str]:
    today = timezone.localdate()
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-"))
            dt.date(year, month, 1)
            return year, month, ""
        except ValueError:
            return today.year, today.month, _(
                "月は 2027-01 の形で指定してください。今月を表示しています。")
    return today.year, today.month, ""


def _districts():
    return districts_ordered()


# --- public ------------------------------------------------------------------------------


@require_GET
def index(request):
    return render(request, "community/index.html", {"districts": _districts()})


def _rows_html(rows) -> str:
    """A room's month as table rows, each cell built once per distinct cell (a month of
    several rooms is over a thousand cells: too many template nodes for the page's
    budget of 100 ms). Every text is escaped by ``format_html``."""
    return mark_safe("".join(  # noqa: S308 - built by format_html
        format_html('<tr><th scope="row">{}</th>', label)
        + "".join(_cell_html(cell) for cell in cells) + "</tr>"
        for _day, label, cells in rows))


@functools.lru_cache(maxsize=256)
def _cell_html(cell) -> str:
    return format_html('<td class="slot slot--{}">{}</td>', cell.state, cell.label)


@require_GET
def rooms(request):
    """A district's rooms with the free dayparts of a month (public: no names). Five
    queries: the districts, the rooms, their bookings, their openings and exceptions, the
    ward's closed days (bench/community.py measures it)."""
    districts = list(_districts())
    district = _district_among(request, districts)
    year, month, error = _month_param(request)
    months = None
    if district is not None:
        months = [(entry.room, _rows_html(entry.rows))
                  for entry in selectors.availability(rooms=selectors.district_rooms(district),
                                                      year=year, month=month)]
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(request, "community/rooms.html", {
        "districts": districts, "district": district, "months": months, "error": error,
        "month_label": _("%(year)s%(month)d月") % {
            "year": wareki_year(first) if get_language() == "ja" else first.year,
            "month": first.month},
        "next_month": f"{following.year}-{following.month:02d}",
        "dayparts": Daypart.choices,
    })


@require_GET
def equipment(request):
    """What each centre can lend today (public: counts only)."""
    district = _district_param(request)
    centre = getattr(district, "centre", None) if district is not None else None
    today = timezone.localdate()
    rows = selectors.centre_availability(centre=centre, day=today) if centre else None
    return render(request, "community/equipment.html", {
        "districts": _districts(), "district": district, "centre": centre, "rows": rows,
        "today": today})


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


# --- staff ---------------------------------------------------------------------------------


def _staff_centre(request) -> DistrictCentre:
    """The user's own centre; a ward administrator chooses one (``?centre=``)."""
    raw = request.GET.get("centre") or request.POST.get("centre") or ""
    if Role.WARD_ADMIN in roles(request.user):
        found = DistrictCentre.objects.filter(pk=int(raw)).first() if raw.isdigit() else \
            DistrictCentre.objects.order_by("pk").first()
    else:
        found = DistrictCentre.objects.filter(
            district_id__in=own_district_ids(request.user)).order_by("pk").first()
    if found is None:
        raise Http404
    return found


def _back_to_counter(centre: DistrictCentre):
    return redirect(f"{reverse('community:counter')}?centre={centre.pk}")


def _counter_page(request, centre, lend_form=None, return_form=None, status=200):
    today = timezone.localdate()
    loans = selectors.open_loans(user=request.user, centre=centre, source=_source(request))
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
    centre = _staff_centre(request)
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
    centre = _staff_centre(request)
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
    centre = _staff_centre(request)
    count = services.remind_overdue(by=request.user, centre=centre)
    flash.success(request, _("延滞の%(count)d件にお知らせのメールを送ります。"
                             "メールアドレスのない方は一覧から電話してください。")
                  % {"count": count})
    return _back_to_counter(centre)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def room_desk(request):
    """Staff book a room for a group or a resident, and record exceptions (学校行事)."""
    rooms_qs = staff_rooms(request)
    form = RoomBookForm(request.POST or None, rooms=rooms_qs)
    closure_form = ClosureForm(rooms=rooms_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.room_book(room=data["room"], day=data["date"],
                                        daypart=data["daypart"], by=request.user,
                                        purpose=data["purpose"], attendees=data["attendees"],
                                        group=data["group"], commercial=data["commercial"])
        except (CommunityError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("%(booking)sを予約しました（使用料: %(fee)s）。")
                          % {"booking": booked, "fee": fees.of_booking(booked).text()})
            return redirect("community:room_desk")
    return render(request, "community/room_desk.html", {
        "form": form, "closure_form": closure_form, "rooms": rooms_qs.select_related(
            "district")})


@require_POST
@policy_required(Action.COMMUNITY_ROOM_EDIT)
def closure_add(request):
    rooms_qs = staff_rooms(request)
    closure_form = ClosureForm(request.POST, rooms=rooms_qs)
    if closure_form.is_valid():
        data = closure_form.cleaned_data
        try:
            services.closure_add(room=data["room"], day=data["date"], reason=data["reason"],
                                 by=request.user)
        except (CommunityError, PermissionDenied) as error:
            closure_form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("利用できない日を登録しました。"))
            return redirect("community:room_desk")
    return render(request, "community/room_desk.html", {
        "form": RoomBookForm(rooms=rooms_qs), "closure_form": closure_form,
        "rooms": rooms_qs.select_related("district")})


@never_cache
@require_GET
@policy_required(Action.COMMUNITY_GROUPS)
def groups(request):
    """Applications waiting for the centre's approval (with the representatives' names:
    audited)."""
    centre = _staff_centre(request)
    pending = list(Group.objects.filter(centre=centre, status=GroupStatus.PENDING)
                   .prefetch_related("contacts", "districts"))
    contacts = [c for g in pending for c in g.contacts.all()]
    if contacts:
        audit.record_many(actor=request.user, action=AuditAction.LIST,
                          record_type="community.group_contact",
                          records=[(c.pk, "") for c in contacts], source=_source(request),
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


# --- circulars (回覧板) ------------------------------------------------------------------


def _uploads(form) -> list[circulars_svc.Upload]:
    return [circulars_svc.Upload(data=f, name=f.name) for f in form.cleaned_data["files"]]


def _post_circular(request, form, *, district, **sender) -> bool:
    """Post from a valid form; a refusal comes back as the form's error (nothing kept)."""
    data = form.cleaned_data
    own = sender.pop("own", None)
    try:
        circulars_svc.circular_post(
            title=data["title"], body=data["body"], audience=data["audience"],
            district=district, to_group=data.get("to_group") or own,
            uploads=_uploads(form), is_public=data["is_public"], due_on=data["due_on"],
            origin=request.build_absolute_uri("/"), source=_source(request), **sender)
    except (CommunityError, PermissionDenied) as error:
        form.add_error(None, getattr(error, "message", None) or str(error))
        return False
    flash.success(request, _("回覧板「%(title)s」を出しました。") % {"title": data["title"]})
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def group_circulars(request):
    """The group's circulars (sent and received, with how many households read them), a
    new circular and the group's households."""
    contact = current_contact(request)
    if contact is None:
        return redirect("community:group_login_request")
    group = contact.group
    form = CircularForm(request.POST or None, request.FILES or None,
                        districts=group.districts.all())
    if request.method == "POST" and form.is_valid():
        district = form.cleaned_data.get("district") or group.centre.district
        if _post_circular(request, form, district=district, contact=contact, own=group):
            return redirect("community:group_circulars")
    return render(request, "community/group_circulars.html", {
        "group": group, "form": form, "household_form": HouseholdForm(),
        "circulars": selectors.group_circulars(group),
        "households": selectors.group_households(group=group, contact=contact,
                                                 source=_source(request))})


@require_POST
def household_add(request):
    contact = current_contact(request)
    if contact is None:
        return redirect("community:group_login_request")
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            circulars_svc.household_add(group=contact.group, name=form.cleaned_data["name"],
                                        email=form.cleaned_data["email"], contact=contact,
                                        source=_source(request),
                                        language=form.cleaned_data["language"] or "ja")
        except CommunityError as error:
            flash.error(request, error.message)
        else:
            flash.success(request, _("世帯を登録しました。"))
    else:
        flash.error(request, _("世帯名を入力してください（例: 山田家）。"))
    return redirect("community:group_circulars")


def _circular_page(request, circular, *, template: str, print_url: str, **who):
    if request.method == "POST":
        receipt = get_object_or_404(CircularReceipt, circular=circular,
                                    pk=request.POST.get("receipt", "0") or 0)
        try:
            circulars_svc.receipt_confirm_paper(receipt=receipt, by=who.get("user"),
                                                contact=who.get("contact"))
        except (CommunityError, PermissionDenied) as error:
            flash.error(request, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("紙で読んだことを記録しました。"))
        return redirect(request.path)
    receipts = selectors.read_status(circular=circular, source=_source(request), **who)
    read = sum(1 for r in receipts if r.read_at)
    return render(request, template, {
        "circular": circular, "receipts": receipts, "print_url": print_url,
        "read": read, "total": len(receipts), "unread": len(receipts) - read,
        "remind_on": selectors.remind_on(circular),
        "overdue": selectors.remind_on(circular) <= timezone.localdate(),
        "attachments": circular.attachments.select_related("file")})


def _group_circular(request, circular_id):
    contact = current_contact(request)
    if contact is None:
        return None, None
    group = contact.group
    circular = get_object_or_404(
        selectors.group_circular_queryset(group).select_related("district__centre",
                                                                "sender_group"),
        public_id=circular_id)
    return contact, circular


@never_cache
@require_http_methods(["GET", "POST"])
def group_circular(request, circular_id):
    """Who of the group's households has read a circular (all, for one it sent)."""
    contact, circular = _group_circular(request, circular_id)
    if contact is None:
        return redirect("community:group_login_request")
    return _circular_page(request, circular, template="community/circular.html",
                          print_url=reverse("community:group_circular_pdf",
                                            args=[circular.public_id]),
                          contact=contact, group=contact.group)


def _unread_only(request) -> bool:
    """``?unread=1``: the sign-off table lists only the households that have not read."""
    return request.GET.get("unread") == "1"


def _circular_pdf(request, circular, sheet):
    try:
        pdf = render_circular(sheet)
    except DocumentError as error:
        return render(request, "community/circular_unprintable.html", {
            "circular": circular, "problems": error.problems}, status=422)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="circular-{circular.public_id}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def group_circular_pdf(request, circular_id):
    contact, circular = _group_circular(request, circular_id)
    if contact is None:
        return redirect("community:group_login_request")
    return _circular_pdf(request, circular, selectors.printable(
        circular=circular, source=_source(request), contact=contact, group=contact.group,
        unread_only=_unread_only(request)))


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_GROUPS)
def centre_circulars(request):
    """The centre's circulars: post one to a group of the district or to all of them,
    and see how many households have read each."""
    centre = _staff_centre(request)
    groups_qs = Group.objects.filter(districts=centre.district,
                                     status=GroupStatus.APPROVED).distinct()
    form = CircularForm(request.POST or None, request.FILES or None, groups=groups_qs)
    if request.method == "POST" and form.is_valid() and _post_circular(
            request, form, district=centre.district, by=request.user):
        return redirect(f"{reverse('community:centre_circulars')}?centre={centre.pk}")
    return render(request, "community/centre_circulars.html", {
        "centre": centre, "form": form,
        "circulars": selectors.centre_circulars(centre.district)})


def _centre_circular(request, circular_id) -> Circular:
    circular = get_object_or_404(Circular.objects.select_related(
        "district__centre", "sender_group"), public_id=circular_id)
    if not can(request.user, Action.COMMUNITY_GROUPS, circular.district):
        raise Http404
    return circular


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_GROUPS)
def centre_circular(request, circular_id):
    circular = _centre_circular(request, circular_id)
    return _circular_page(request, circular, template="community/circular.html",
                          print_url=reverse("community:centre_circular_pdf",
                                            args=[circular.public_id]),
                          user=request.user)


@require_GET
@policy_required(Action.COMMUNITY_GROUPS)
def centre_circular_pdf(request, circular_id):
    circular = _centre_circular(request, circular_id)
    return _circular_pdf(request, circular, selectors.printable(
        circular=circular, source=_source(request), user=request.user,
        unread_only=_unread_only(request)))


@never_cache
@require_GET
def circular_read(request, token: str):
    """A household opens its link: the circular, its files; the first opening is the
    read receipt."""
    try:
        receipt = circulars_svc.circular_open(token=token)
    except CommunityError as error:
        return render(request, "community/circular_read.html", {"error": error.message},
                      status=400)
    circular = receipt.circular
    response = render(request, "community/circular_read.html", {
        "receipt": receipt, "circular": circular, "token": token,
        "sender": circular.sender_group.name if circular.sender_group
        else circular.district.centre.label,
        "attachments": circular.attachments.select_related("file")})
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def circular_file(request, token: str, file_id):
    receipt = selectors.receipt_by_token(token)
    attachment = CircularAttachment.objects.select_related("file").filter(
        circular_id=receipt.circular_id, file__public_id=file_id).first() if receipt else None
    if attachment is None:
        raise Http404
    try:
        handle = file_open(stored=attachment.file)
    except FileRefused:
        raise Http404 from None
    response = FileResponse(handle, filename=attachment.file.original_name,
                            content_type=attachment.file.content_type)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response
