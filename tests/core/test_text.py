"""Japanese text normalisation: the keys every name and kana search uses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.text import clean_kana, fold, kana_key, search_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("髙橋　太郎", "高橋太郎"),
        ("山﨑 花子", "山崎花子"),
        ("渡邊", "渡辺"),
        ("齋藤", "斎藤"),
        ("ＡＢＣ１２３", "ABC123"),
        ("  世田谷区\t役所\n", "世田谷区役所"),
    ],
)
def test_fold_normalises_width_spaces_and_variant_kanji(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text", ["やまだ たろう", "ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"])
def test_kana_key_makes_hiragana_katakana_and_half_width_meet(text):
    assert kana_key(text) == "ヤマダタロウ"


def test_search_key_folds_kanji_and_kana_alike():
    assert search_key("髙橋") == search_key("高橋") == "高橋"
    assert search_key("たかはし") == search_key("ﾀｶﾊｼ") == "タカハシ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﾀﾞｲｽｹ", "ダイスケ"),
        ("ﾊﾟﾝﾀﾞ", "パンダ"),
        ("やまだ　たろう", "ヤマダ\u3000タロウ"),
        ("  ヤマダ   タロウ ", "ヤマダ\u3000タロウ"),
        ("ｻﾄｳ ﾊﾅｺ", "サトウ\u3000ハナコ"),
        ("ヴァイオリン", "ヴァイオリン"),
        ("コーヒー", "コーヒー"),
    ],
)
def test_clean_kana_returns_full_width_katakana_with_single_spaces(text, expected):
    assert clean_kana(text) == expected


@pytest.mark.parametrize("text", ["Yamada", "山田", "やまだ1", "ヤマダ・Taro", "", "   ", "　"])
def test_clean_kana_rejects_latin_kanji_digits_and_empty_text(text):
    with pytest.raises(ValueError):
        clean_kana(text)


# Text as people type it: kana of both widths (a half-width voiced kana is one unit, ﾀﾞ),
# kanji incl. itaiji, latin, digits and spaces.
_TYPED = st.lists(
    st.sampled_from(
        [*"あいうえおかがきぎぱぴゃゅょっー", *"アイウエオカガキギパピャュョッヴ",
         *"ｱｲｳｴｵｶｷｬｯｰ", "ﾀﾞ", "ﾊﾟ", "ｶﾞ", *"山田髙橋﨑邊齋世田谷区",
         *"AbcＡＢＣ123１２３", " ", "\u3000", "\t"]
    ),
    max_size=30,
).map("".join)


@given(_TYPED)
def test_kana_key_is_idempotent(text):
    assert kana_key(kana_key(text)) == kana_key(text)


@given(_TYPED)
def test_fold_is_idempotent_and_leaves_no_spaces(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(ch.isspace() for ch in folded)


_KANA_UNITS = [*"あいうかがぱゃっーアカガパヴ", "ｶﾞ", "ﾊﾟ", "ｱ", "ｯ", "ｰ", " ", "\u3000"]


@given(st.lists(st.sampled_from(_KANA_UNITS), max_size=20).map("".join))
def test_clean_kana_accepts_any_kana_and_is_idempotent(text):
    if not text.strip():
        with pytest.raises(ValueError):
            clean_kana(text)
        return
    cleaned = clean_kana(text)
    assert clean_kana(cleaned) == cleaned
    assert kana_key(cleaned) == kana_key(text)


def test_spacing_dakuten_meets_the_composed_kana():
    assert kana_key("か゛") == kana_key("ガ")
