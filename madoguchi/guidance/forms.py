"""HTML forms of the guidance pages. They shape the input; the engine and its services judge
it (so that the page, the API and the command give the same Japanese messages)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.core.forms import ServiceErrorsMixin
from madoguchi.guidance.models import Entry, EntryStatus, Synonym
from madoguchi.organisation.codes import split_district_key
from madoguchi.organisation.models import District, SectionKind

# The engine refuses longer questions with its own message; the form only stops abuse.
QUESTION_HARD_LIMIT = 10_000
_LIST_SPLIT = re.compile(r"[\n,、，;；]+")


def district_choices() -> list:
    """Districts grouped by region, keyed ``region/district`` (a district code alone is not
    unique: 北沢, 砧 and 烏山 name a region and a district)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in District.objects.select_related("region").order_by(
            "region__sort_order", "sort_order", "code"):
        groups.setdefault(district.region.label, []).append((district.key, district.label))
    return [("", _("選ばない")), *groups.items()]


def district_for_key(key: str) -> District | None:
    parts = split_district_key(key)
    if parts is None:
        return None
    return District.objects.select_related("region").filter(
        region__code=parts[0], code=parts[1]).first()


def split_list(text: str) -> list[str]:
    """Words typed one per line or separated by commas (、 or ,), without duplicates."""
    seen: list[str] = []
    for part in _LIST_SPLIT.split(text or ""):
        word = part.strip()
        if word and word not in seen:
            seen.append(word)
    return seen


class GuideForm(forms.Form):
    """The resident's one question box (and the staff "who handles what" box)."""

    q = forms.CharField(
        label=_("困っていること・知りたいこと"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("ふだんの言葉で書いてください（1,000字まで）。"
                    "お名前・住所・電話番号などは書かないでください。"))
    district = forms.ChoiceField(
        label=_("お住まいの地区"), required=False,
        help_text=_("選ぶと、お近くの窓口とオンライン相談ができるかをお知らせします。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "")[:QUESTION_HARD_LIMIT]


class StaffSearchForm(GuideForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("相談の内容・キーワード")
        self.fields["q"].help_text = _(
            "例: 国保の加入、介護認定、ひっこし。区民の氏名や連絡先は入れないでください。")
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "autocomplete": "off"})
        self.fields["district"].label = _("区民の地区")
        self.fields["district"].help_text = _(
            "選ぶと、その地区の窓口とオンライン相談の可否を表示します。")


class EntryFilterForm(forms.Form):
    section = forms.ChoiceField(label=_("担当する課・機関"), required=False)
    status = forms.ChoiceField(label=_("状態"), required=False,
                               choices=[("", _("すべて")), *EntryStatus.choices])
    q = forms.CharField(label=_("質問・回答・コードに含む語"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("すべて")), *(
            (kind.code, kind.label) for kind in SectionKind.objects.order_by("sort_order", "code"))]


class EntryForm(ServiceErrorsMixin, forms.Form):
    """Every field of a knowledge-base entry; keywords and procedures one per line."""

    code = forms.SlugField(
        label=_("コード"), max_length=80, required=False,
        help_text=_("半角英小文字・数字・ハイフン（例: kokuho-kanyu-tenshutsu）。"
                    "空欄なら自動で付けます。後から変えられません。"))
    section_kind = forms.ChoiceField(label=_("担当する課・機関"))
    question = forms.CharField(label=_("質問"), max_length=300,
                               help_text=_("区民が実際に聞く言葉で書いてください。"))
    answer = forms.CharField(label=_("回答"), widget=forms.Textarea(attrs={"rows": 8}),
                             help_text=_("区民向けに、わかりやすい日本語で書いてください。"))
    easy_answer = forms.CharField(
        label=_("やさしい日本語の回答"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("短い文で、むずかしい言葉を使わずに書きます（任意）。"))
    question_en = forms.CharField(label=_("質問（英語）"), max_length=300, required=False)
    answer_en = forms.CharField(label=_("回答（英語）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    keywords = forms.CharField(
        label=_("キーワード"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("1行に1つ、または「、」で区切って書きます。言い換えや略語も入れてください。"))
    procedure_codes = forms.CharField(
        label=_("関連する手続のコード"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("1行に1つ（例: kokuho-kanyu）。"))

    FIELDS = ("code", "section_kind", "question", "answer", "easy_answer", "question_en",
              "answer_en", "keywords", "procedure_codes")

    def __init__(self, *args, kinds=None, entry: Entry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds if kinds is not None else SectionKind.objects.all()
        self.fields["section_kind"].choices = [("", _("選んでください")), *(
            (kind.code, kind.label) for kind in kinds.order_by("sort_order", "code"))]
        self.entry = entry
        if entry is not None:
            del self.fields["code"]
        for name in ("section_kind", "question", "answer"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    @staticmethod
    def initial_for(entry: Entry) -> dict:
        return {
            "section_kind": entry.section_kind.code,
            "question": entry.question, "answer": entry.answer,
            "easy_answer": entry.easy_answer, "question_en": entry.question_en,
            "answer_en": entry.answer_en,
            "keywords": "\n".join(entry.keywords or []),
            "procedure_codes": "\n".join(entry.procedure_codes or []),
        }

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["section_kind"] = SectionKind.objects.get(code=data["section_kind"])
        data["keywords"] = split_list(data.get("keywords", ""))
        data["procedure_codes"] = split_list(data.get("procedure_codes", ""))
        if not data.get("code"):
            data.pop("code", None)
        return data


class SynonymForm(ServiceErrorsMixin, forms.Form):
    canonical = forms.CharField(label=_("代表の語"), max_length=60,
                                help_text=_("検索ではこの語にそろえます（例: 国民健康保険）。"))
    variants = forms.CharField(
        label=_("言い換え"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1行に1つ、または「、」で区切って書きます（例: 国保、こくほ）。"))
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("canonical", "variants"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    @staticmethod
    def initial_for(synonym: Synonym) -> dict:
        return {"canonical": synonym.canonical, "variants": "\n".join(synonym.variants or []),
                "note": synonym.note}

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["variants"] = split_list(data.get("variants", ""))
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=EntryStatus.choices + [("reviewed", "reviewed")])
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)
