"""Forms of the community pages. They parse input; the services judge it (their Japanese
messages come back as the form's errors)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models import (
    BookingEventKind,
    CircularAudience,
    Condition,
    Daypart,
    Group,
    GroupKind,
    GroupStatus,
    Item,
    Room,
)
from madoguchi.community.services.circulars import MAX_FILES, PURPOSE
from madoguchi.files.policy import policy_for
from madoguchi.files.uploads import limits_text
from madoguchi.organisation.models import District, DistrictCentre


class UnitChoice(forms.ModelChoiceField):
    """A district or centre named in the page's language."""

    def label_from_instance(self, obj) -> str:
        return obj.label


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class LendForm(forms.Form):
    item = forms.ModelChoiceField(label=_("貸出品"), queryset=Item.objects.none(),
                                  empty_label=_("選んでください"))
    borrower_name = forms.CharField(label=_("借りる方の氏名"), max_length=80)
    borrower_phone = forms.CharField(label=_("電話番号"), max_length=20,
                                     help_text=_("例: 03-5432-1111"))
    borrower_email = forms.EmailField(label=_("メールアドレス（任意・返却期限のお知らせ用）"),
                                      required=False)
    group = forms.ModelChoiceField(label=_("団体として借りる場合の団体"), required=False,
                                   queryset=Group.objects.none(),
                                   empty_label=_("個人の貸出"))
    id_checked = forms.BooleanField(label=_("本人確認書類を確認した"), required=False)
    due_on = forms.DateField(label=_("返却期限（空欄なら標準の貸出期間）"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, centre: DistrictCentre, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(
            centre=centre, is_active=True).select_related("kind")
        self.fields["group"].queryset = Group.objects.filter(
            status=GroupStatus.APPROVED, districts=centre.district_id)


class ReturnForm(forms.Form):
    item = forms.ModelChoiceField(label=_("返却される貸出品"), queryset=Item.objects.none(),
                                  empty_label=_("選んでください"))
    condition = forms.ChoiceField(label=_("返却時の状態"), choices=Condition.choices)
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, centre: DistrictCentre, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = Item.objects.filter(centre=centre).select_related(
            "kind")


class RoomBookForm(forms.Form):
    room = forms.ModelChoiceField(label=_("部屋"), queryset=Room.objects.none(),
                                  empty_label=_("選んでください"))
    date = forms.DateField(label=_("利用日"), widget=forms.DateInput(attrs={"type": "date"}))
    daypart = forms.ChoiceField(label=_("区分"), choices=Daypart.choices)
    group = forms.ModelChoiceField(label=_("団体"), required=False,
                                   queryset=Group.objects.none(), empty_label=_("団体なし（区民）"))
    purpose = forms.CharField(label=_("利用目的"), max_length=120)
    attendees = forms.IntegerField(label=_("人数"), min_value=1, max_value=1000)
    commercial = forms.BooleanField(label=_("営利目的の利用"), required=False)

    def __init__(self, *args, rooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["group"].queryset = Group.objects.filter(status=GroupStatus.APPROVED)


class ClosureForm(forms.Form):
    room = forms.ModelChoiceField(label=_("部屋"), queryset=Room.objects.none(),
                                  empty_label=_("選んでください"))
    date = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("理由（学校行事など）"), max_length=120)

    def __init__(self, *args, rooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class GroupApplyForm(forms.Form):
    name = forms.CharField(label=_("団体名"), max_length=120)
    kind = forms.ChoiceField(label=_("種別"), choices=GroupKind.choices)
    centre = UnitChoice(label=_("申請先のまちづくりセンター"),
                                    queryset=DistrictCentre.objects.select_related("district"),
                                    empty_label=_("選んでください"))
    districts = UnitsChoice(label=_("活動地区"),
                                               queryset=District.objects.all(),
                                               widget=forms.CheckboxSelectMultiple)
    members_count = forms.IntegerField(label=_("会員数"), min_value=1, max_value=100000)
    activity = forms.CharField(label=_("活動内容"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 4}))
    public_profile = forms.BooleanField(label=_("団体の紹介を地区のページに掲載してよい"),
                                        required=False)
    contact_name = forms.CharField(label=_("代表者の氏名"), max_length=80)
    contact_email = forms.EmailField(label=_("代表者のメールアドレス"))
    contact_phone = forms.CharField(label=_("代表者の電話番号"), max_length=20, required=False)


class LoginRequestForm(forms.Form):
    email = forms.EmailField(label=_("代表者のメールアドレス"))


class LotteryForm(forms.Form):
    month = forms.CharField(label=_("対象月（例: 2027-06）"), max_length=7)
    seed = forms.CharField(label=_("乱数の種（空欄なら自動）"), max_length=64, required=False)

    def clean_month(self):
        raw = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in raw.split("-"))
            return dt.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("月は 2027-06 の形で入力してください。")) from None


class AnnulForm(forms.Form):
    reason = forms.CharField(label=_("無効にする理由"), max_length=200)


class GroupRequestForm(forms.Form):
    room = forms.ModelChoiceField(label=_("部屋"), queryset=Room.objects.filter(is_active=True),
                                  empty_label=_("選んでください"))
    date = forms.DateField(label=_("利用日"), widget=forms.DateInput(attrs={"type": "date"}))
    daypart = forms.ChoiceField(label=_("区分"), choices=Daypart.choices)
    purpose = forms.CharField(label=_("利用目的"), max_length=120)
    attendees = forms.IntegerField(label=_("人数"), min_value=1, max_value=1000)


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to a few files in one input; each is checked by the files context."""

    widget = MultipleFiles

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(FilesField, self).clean(item, initial) for item in items]


class CircularForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=120)
    body = forms.CharField(label=_("本文"), max_length=5000, widget=forms.Textarea(
        attrs={"rows": 8}))
    audience = forms.ChoiceField(label=_("回覧先"), choices=CircularAudience.choices,
                                 initial=CircularAudience.GROUP)
    to_group = forms.ModelChoiceField(label=_("回覧先の団体"), queryset=Group.objects.none(),
                                      required=False, empty_label=_("選んでください"),
                                      help_text=_("回覧先が「団体の会員」のとき。"))
    files = FilesField(label=_("添付ファイル"), required=False, allow_empty_file=True)
    is_public = forms.BooleanField(label=_("地区のお知らせ・掲示にも載せてよい"),
                                   required=False)
    due_on = forms.DateField(label=_("回覧の期限"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("この日までに読んでいない世帯に一度だけメールで"
                                         "催促します。空欄なら発信の%(days)d日後。"))

    district = UnitChoice(label=_("回覧先の地区"), queryset=District.objects.none(),
                          required=False, empty_label=_("団体の地区"),
                          help_text=_("回覧先が「地区のすべての団体の会員」のとき。"))

    def __init__(self, *args, groups=None, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is None:  # a group posts to its own members: no choice of group
            del self.fields["to_group"]
        else:
            self.fields["to_group"].queryset = groups
        if districts is None:  # the centre posts in its own district
            del self.fields["district"]
        else:
            self.fields["district"].queryset = districts
        self.fields["due_on"].help_text = self.fields["due_on"].help_text % {
            "days": settings.COMMUNITY_CIRCULAR_REMIND_DAYS}
        self.fields["files"].help_text = gettext("%(limits)sを%(count)d個まで。") % {
            "limits": limits_text(PURPOSE), "count": MAX_FILES}
        self.fields["files"].widget.attrs["accept"] = policy_for(PURPOSE).accept


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("世帯名"), max_length=80, help_text=_("例: 山田家"))
    email = forms.CharField(label=_("メールアドレス"), max_length=254, required=False,
                            help_text=_("紙で回覧する世帯は空欄にしてください。"))
    language = forms.ChoiceField(label=_("メールの言語"), choices=[("ja", "日本語"),
                                                                 ("en", "English")],
                                 initial="ja", required=False)


class BookingRecordForm(forms.Form):
    """A cancellation or a no-show of a room booking, with its reason."""

    kind = forms.ChoiceField(label=_("記録"), choices=BookingEventKind.choices,
                             widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=200)


class ApproveForm(forms.Form):
    """The approval of a room request, with the conditions the group must keep (optional)."""

    conditions = forms.CharField(label=_("承認の条件（任意）"), max_length=300, required=False,
                                 strip=True)
