"""The LINE audience each district's posts are narrowcast to, set by staff (every change
kept)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.text import only_digits
from madoguchi.news.models import LineAudience, LineAudienceChange
from madoguchi.news.services._common import _refuse
from madoguchi.organisation.models import District

AUDIENCE_ID_MAX = 2**63 - 1  # LINE's audienceGroupId is a 64-bit number


def audience_id_parse(value: str) -> int | None:
    """The audience id staff typed (full-width digits and spaces allowed); None when
    left empty (narrowcasts stop). Raises NewsError with a message for the staff."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        digits = only_digits(raw, separators="- ")
    except ValueError:
        raise _refuse(_("オーディエンスIDは数字だけで入力してください"
                        "（LINE公式アカウントの管理画面に表示される番号です）。"),
                      "audience_digits") from None
    number = int(digits)
    if number <= 0:
        raise _refuse(_("オーディエンスIDに0は使えません。"
                        "LINE公式アカウントの管理画面の番号を入力してください。"), "audience_zero")
    if number > AUDIENCE_ID_MAX:
        raise _refuse(_("オーディエンスIDが長すぎます。"
                        "LINE公式アカウントの管理画面の番号をそのまま入力してください。"),
                      "audience_long")
    return number


def line_audience_set(*, by, district: District, value: str) -> LineAudience | None:
    """Set (or, empty, remove) the LINE audience a district's posts are narrowcast to.
    The district's centre staff or a ward administrator (the publish rule); every change
    is kept in ``LineAudienceChange``. Raises NewsError and then changes nothing."""
    if not can(by, Action.NEWS_PUBLISH, district):
        raise _refuse(_("この地区のLINE配信先を変更する権限がありません。"), "forbidden")
    new_id = audience_id_parse(value)
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()  # one at a time
        current = LineAudience.objects.filter(district=district).first()
        if new_id is not None:
            other = (LineAudience.objects.filter(audience_group_id=new_id)
                     .exclude(district=district).select_related("district").first())
            if other is not None:
                raise _refuse(_("このオーディエンスIDは%(name)s地区で使われています。"
                                "地区ごとに別のオーディエンスを作って登録してください。")
                              % {"name": other.district.name}, "audience_taken")
        old_id = current.audience_group_id if current is not None else None
        if old_id == new_id:
            return current
        if new_id is None:
            LineAudience.objects.filter(district=district).delete()
            found = None
        elif current is None:
            found = LineAudience.objects.create(district=district, audience_group_id=new_id)
        else:
            current.audience_group_id = new_id
            current.save(update_fields=["audience_group_id"])
            found = current
        LineAudienceChange.objects.create(district=district, old_id=old_id, new_id=new_id,
                                          changed_by=by)
    return found
