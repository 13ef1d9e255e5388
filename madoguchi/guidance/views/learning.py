"""The learning loop: questions the knowledge base could not answer and answers residents
found unhelpful, most frequent first, each with "create an entry from this".

The texts were masked by the engine before they were saved (digits, e-mail addresses and
phone numbers hidden, at most 200 characters).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.guidance import access, services
from madoguchi.guidance.models import Entry, QueryLog, QueryReason

LIMIT = 100


def _question_groups(limit: int = LIMIT) -> list[dict]:
    """Logged questions grouped by their masked text: how often, why, last asked, and the
    newest row (the "create an entry" link starts from it)."""
    return list(
        QueryLog.objects.values("text")
        .annotate(count=Count("pk"), last=Max("created_at"), latest=Max("pk"),
                  no_answer=Count("pk", filter=Q(reason=QueryReason.NO_ANSWER)),
                  not_helpful=Count("pk", filter=Q(reason=QueryReason.NOT_HELPFUL)))
        .order_by("-count", "-last")[:limit])


def _unhelpful_entries(limit: int = 30):
    """Answers with "not helpful" votes, most first, with their "helpful" votes beside."""
    return list(
        Entry.objects.select_related("section_kind")
        .annotate(not_helpful=Count("feedback", filter=Q(feedback__helpful=False)),
                  helpful=Count("feedback", filter=Q(feedback__helpful=True)))
        .filter(not_helpful__gt=0).order_by("-not_helpful", "code")[:limit])


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.GUIDANCE_LEARNING)
def learning(request):
    entries = _unhelpful_entries()
    for entry in entries:
        entry.editable = can(request.user, Action.GUIDANCE_EDIT, entry)
    return render(request, "guidance/learning.html", {
        "groups": _question_groups(), "limit": LIMIT, "entries": entries,
        "can_create": access.editable_kinds(request.user).exists(),
    })


@never_cache
@require_POST
@policy_required(Action.GUIDANCE_LEARNING)
def learning_dismiss(request):
    """"対応済みにする": the logged question (all its rows) leaves the list."""
    text = (request.POST.get("text") or "")[:200]
    removed = services.query_logs_dismiss(text=text, by=request.user) if text else 0
    if removed:
        messages.success(request, _("対応済みにしました（%(count)s件の記録を消しました）。") % {
            "count": removed})
    else:
        messages.info(request, _("この質問の記録はもうありません。"))
    return redirect("guidance:learning")
