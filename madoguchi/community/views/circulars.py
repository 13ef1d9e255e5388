"""Circulars (回覧板): the group's circulars and households, the centre's circulars, who
has read one (and the record of a paper reading), the printed sign-off sheet, and the
household's own link (its first opening is the read receipt) with the circular's files."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.community import selectors
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import CircularForm, HouseholdForm
from madoguchi.community.group_session import current_contact
from madoguchi.community.models import (
    Circular,
    CircularAttachment,
    CircularReceipt,
    Group,
    GroupStatus,
)
from madoguchi.community.services import circulars as circulars_svc
from madoguchi.community.views._common import source, staff_centre
from madoguchi.documents.circular import render_circular
from madoguchi.documents.errors import DocumentError
from madoguchi.files.services import FileRefused, file_open


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
            origin=request.build_absolute_uri("/"), source=source(request), **sender)
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
                                                 source=source(request))})


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
                                        source=source(request),
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
        posted = request.POST.get("receipt", "")
        receipt = get_object_or_404(CircularReceipt, circular=circular,
                                    pk=int(posted) if posted.isdigit() else 0)
        try:
            circulars_svc.receipt_confirm_paper(receipt=receipt, by=who.get("user"),
                                                contact=who.get("contact"))
        except (CommunityError, PermissionDenied) as error:
            flash.error(request, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("紙で読んだことを記録しました。"))
        return redirect(request.path)
    receipts = selectors.read_status(circular=circular, source=source(request), **who)
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
        circular=circular, source=source(request), contact=contact, group=contact.group,
        unread_only=_unread_only(request)))


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_GROUPS)
def centre_circulars(request):
    """The centre's circulars: post one to a group of the district or to all of them,
    and see how many households have read each."""
    centre = staff_centre(request)
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
        circular=circular, source=source(request), user=request.user,
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
