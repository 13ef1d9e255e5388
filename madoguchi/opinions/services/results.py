"""The published result (意見の概要と区の考え方): what still stands in its way, and its
publication."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.documents.pubcom import result_problems
from madoguchi.opinions import selectors
from madoguchi.opinions.models import Consultation, State
from madoguchi.opinions.services._common import OpinionsError, _require

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


def publish_problems(consultation: Consultation) -> list[str]:
    """What stands between the sorting and the published result (empty: ready)."""
    problems = []
    unsplit = consultation.opinions.filter(items__isnull=True).count()
    if unsplit:
        problems.append(_("項目に分けていない意見が%(n)s件あります。") % {"n": unsplit})
    unsorted = consultation.items.filter(category__isnull=True).count()
    if unsorted:
        problems.append(_("分類が決まっていない項目が%(n)s件あります。") % {"n": unsorted})
    ungrouped = consultation.items.filter(group__isnull=True).count()
    if ungrouped:
        problems.append(_("区の考え方に結び付いていない項目が%(n)s件あります。") % {"n": ungrouped})
    unanswered = consultation.groups.filter(answer="", items__isnull=False).distinct().count()
    if unanswered:
        problems.append(_("区の考え方を書いていない意見のまとまりが%(n)s件あります。") % {
            "n": unanswered})
    if consultation.ends_on >= timezone.localdate():
        problems.append(_("意見の募集期間がまだ終わっていません。"))
    if not problems:  # the published result must print (its public PDF)
        problems += [_("結果のPDF: %(problem)s") % {"problem": problem} for problem in
                     result_problems(selectors.result_sheet(consultation))]
    return problems


def result_publish(*, by: User, consultation: Consultation, intro: str = "") -> Consultation:
    """Publish 意見の概要と区の考え方. Refused while any opinion is not split, any item
    not sorted into a category and a group, or any group without the ward's answer."""
    _require(by, consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.state == State.RESULT:
            raise OpinionsError(_("結果はすでに公表しています。"))
        if locked.state != State.OPEN:
            raise OpinionsError(_("公開していない意見募集の結果は公表できません。"))
        problems = publish_problems(locked)
        if problems:
            raise OpinionsError([_("まだ結果を公表できません。"), *problems])
        locked.state = State.RESULT
        locked.result_intro = (intro or "").strip()
        locked.result_published_at = timezone.now()
        locked.save(update_fields=["state", "result_intro", "result_published_at"])
    return locked
