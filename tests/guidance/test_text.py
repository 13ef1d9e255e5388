"""One normalisation for search: width, kana, long vowels, small kana, Sudachi's normalised
forms, readings, synonyms, English words, and input that holds nothing to search."""

from __future__ import annotations

import threading

import pytest

from madoguchi.core.text import fold_long_vowels, fold_small_kana, kana_key, reading_key
from madoguchi.guidance.text import (
    READING_MARK,
    SynonymMatcher,
    analyse,
    is_searchable,
    prepare,
    stem_en,
    tokenizer,
)

SYNONYMS = SynonymMatcher.build([
    ("国民健康保険", ["国保"]),
    ("マイナンバーカード", ["マイナカード"]),
    ("引っ越し", ["moving", "転居"]),
    ("健康診断", ["健診"]),
])


def words(text: str, synonyms: SynonymMatcher = SYNONYMS) -> set[str]:
    return set(analyse(text, synonyms=synonyms).words)


def grams(text: str) -> set[str]:
    return set(analyse(text).readings)


def test_core_folds_width_and_kana():
    assert kana_key("ｺｸﾎ") == kana_key("こくほ") == "コクホ"


@pytest.mark.parametrize(("a", "b"), [
    ("コード", "こうど"), ("ケンコウ", "けんこー"), ("ひっこし", "ひつこし"),
    ("ｺｰﾄﾞ", "コード"), ("せいかつ", "セーカツ"), ("キャンセル", "きやんせる"),
])
def test_reading_keys_meet_for_the_same_sound(a, b):
    assert reading_key(a) == reading_key(b)


def test_long_vowel_and_small_kana_folds():
    assert fold_long_vowels("マイナンバー") == "マイナンバア"
    assert fold_long_vowels("ショウガイ") == "ショオガイ"
    assert fold_small_kana("ッャュョ") == "ツヤユヨ"
    assert reading_key("カード") != reading_key("カド")  # a long vowel is still a sound


def test_hikkoshi_in_three_spellings_shares_terms():
    kanji, okurigana, kana = words("引っ越し"), words("引越し"), words("ひっこし")
    assert kanji & okurigana & kana
    no_synonyms = SynonymMatcher.build([])
    assert words("引っ越し", no_synonyms) == words("引越し", no_synonyms)
    # Without any synonym data the kana spelling still meets through its sound.
    assert grams("ひっこし") == grams("引っ越し") == grams("引越し")


def test_kokuho_abbreviation_half_width_and_full_name_meet():
    full = words("国民健康保険")
    assert "国民健康保険" in full
    assert "国民健康保険" in words("国保") and "国民健康保険" in words("ｺｸﾎ")
    assert "国民健康保険" in words("こくほに入りたい")
    # The parts of the compound are terms too, so 保険 alone still finds it.
    assert "保険" in full


def test_mynumber_card_colloquial_name():
    assert "~マイナンバアカアド" in words("マイナカードをなくした")
    assert words("マイナカード") & words("マイナンバーカード")


def test_sudachi_normalised_forms_fold_spelling_variants():
    assert words("子どもが生まれた") & words("子供が生まれた")
    assert words("手続きをしたい") == words("手続をしたい")


def test_particles_auxiliaries_and_empty_words_are_not_terms():
    terms = words("住民票の写しをどこで取ればいいのですか")
    assert {"ノ", "ヲ", "デ", "何処", "どこ", "ドコ", "イイ"}.isdisjoint(terms)
    assert "住民票" in terms


def test_sound_terms_let_kana_meet_kanji_words():
    sound = f"{READING_MARK}{reading_key('ケンシン')}"
    assert sound in words("けんしん", SynonymMatcher.build([]))
    assert sound in words("検診", SynonymMatcher.build([]))


def test_english_words_are_stemmed_and_mapped_by_synonyms():
    assert stem_en("certificates") == "certificate"
    assert stem_en("moving") == "mov"
    terms = words("I am moving to Setagaya with my children")
    assert "引ッ越シ" in terms  # moving → 引っ越し through the synonym data
    assert {"i", "am", "to", "setagaya", "my"}.isdisjoint(terms)


def test_english_synonyms_match_whole_words_only():
    assert "引ッ越シ" not in words("removing stains")


def test_html_is_dropped_and_emoji_are_not_searchable():
    assert "alert" not in prepare("<script>alert(1)</script>こんにちは")
    assert prepare("<b>国保</b>") .strip() == "国保"
    assert not is_searchable(prepare("😀🙏✨"))
    assert not is_searchable(prepare("！？・…"))
    assert is_searchable(prepare("ほけん"))
    assert analyse("😀🙏").words == {}


def test_tokenizer_is_one_per_thread_and_gives_the_same_answer():
    results: dict[int, tuple] = {}
    seen: dict[int, object] = {}  # the tokenizers themselves: ids of dead objects repeat

    def work(n: int) -> None:
        seen[n] = tokenizer()
        for _ in range(50):
            results[n] = tuple(sorted(analyse("国民健康保険の加入の手続き").words))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results.values())) == 1
    assert len({id(tok) for tok in seen.values()}) == 6
    assert all(tokenizer() is not tok for tok in seen.values())


WARD_GROUPS = SynonymMatcher.build([
    ("国民年金", ["年金", "こくみんねんきん"]),
    ("認知症", ["認知", "もの忘れ"]),
    ("ケアマネ", ["ケアマネジャー", "ケアマネージャー"]),
    ("死亡届", ["死んだ", "亡くなった"]),
    ("地震", ["大地震"]),
    ("マイナンバーカード", ["マイナ", "マイナカード"]),
    ("国民健康保険", ["国保", "こくほ"]),
])


@pytest.mark.parametrize(("text", "rewritten"), [
    # A canonical term protects itself from its own shorter variants.
    ("国民年金の免除", "国民年金の免除"),
    ("認知症の母", "認知症の母"),
    ("ケアマネジャーに相談", "ケアマネに相談"),
    # A short variant never rewrites the inside of a longer word.
    ("マイナンバーの通知", "マイナンバーの通知"),
    ("マイナで手続き", "マイナンバーカードで手続き"),
    # Readings of kanji variants match whole tokens or whole kana runs only.
    ("しんだん", "しんだん"),
    ("健康しんだんを受けたい", "健康しんだんを受けたい"),
    ("こくほ", "国民健康保険"),
    # A kana variant written in the data may end before a particle.
    ("こくほにはいりたい", "国民健康保険にはいりたい"),
])
def test_synonyms_rewrite_whole_words_only(text, rewritten):
    assert WARD_GROUPS.rewrite(prepare(text)) == prepare(rewritten)


def test_a_reading_matches_a_kana_run_before_its_particles():
    only_kanji = SynonymMatcher.build([("国民健康保険", ["国保"])])
    assert only_kanji.rewrite(prepare("こくほには")) == "国民健康保険には"
    assert only_kanji.rewrite(prepare("こくほけん")) == "こくほけん"
