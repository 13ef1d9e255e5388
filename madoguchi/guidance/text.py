"""Japanese (and a little English) text analysis for the guidance search.

Not a second normaliser: it builds on ``madoguchi.core.text`` (NFKC, width, kana folding,
reading keys) and adds what search needs on top:

1. ``prepare``: NFKC, lower case, itaiji folded, HTML tags dropped.
2. Synonyms (``SynonymMatcher``): every variant of a ward-edited group is rewritten to its
   canonical term, in the query and in the entries alike. Kanji variants also match by
   their kana reading (こくほ, ｺｸﾎ → 国保 → 国民健康保険).
3. SudachiPy (``sudachidict-core``) in split mode C, with the mode-A parts of compounds
   added, so 国民健康保険 also matches 保険. Terms are Sudachi's normalised forms
   (引越し/引っ越し → 引っ越し, 子ども → 子供), katakana folded; particles, auxiliaries,
   symbols and a short list of empty words (する, ある, こと, どこ …) are dropped.
4. English words: lower case, plural and a few suffixes stripped, stop words dropped;
   the synonym data maps common English words to Japanese terms.
5. A reading field: the kana reading of the content words folded by
   ``core.text.reading_key`` and cut into character bigrams, so typos, hiragana-only
   input and kanji homophones still meet the entries (じゅうみんひょう → 住民票).
"""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jaconv

from madoguchi.core.text import ITAIJI, reading_key

# ---------------------------------------------------------------------------- tokenizer

_local = threading.local()


@lru_cache(maxsize=1)
def dictionary():
    """The Sudachi dictionary (memory-mapped, shared by every thread of the process)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def tokenizer():
    """One Sudachi tokenizer per thread: a tokenizer keeps state while it works."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        tok = _local.tokenizer = dictionary().tokenizer()
    return tok


def _modes():
    from sudachipy import SplitMode

    return SplitMode.C, SplitMode.A


# ---------------------------------------------------------------------------- preparing

_TAGS = re.compile(r"<[^>]*>")
_SCRIPTS = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_ASCII_WORD = re.compile(r"[a-z][a-z0-9'\-]*|[0-9]+")
_KATAKANA_ONLY = re.compile(r"^[\u30A1-\u30FA\u30FC]+$")
_HAS_KANA_OR_KANJI = re.compile(r"[\u3041-\u3096\u30A1-\u30FA\u3400-\u4dbf\u4e00-\u9fff]")
_READING = re.compile(r"^[\u30A1-\u30FA\u30FC]+$")


def prepare(text: str) -> str:
    """NFKC, HTML tags and entities dropped, lower case, itaiji folded, spaces kept."""
    text = _TAGS.sub(" ", _SCRIPTS.sub(" ", text or ""))
    text = unicodedata.normalize("NFKC", html.unescape(text))
    return text.lower().translate(ITAIJI)


def is_searchable(text: str) -> bool:
    """Whether the text holds any letter, kana or kanji at all (not only emoji/symbols)."""
    return bool(_HAS_KANA_OR_KANJI.search(text) or re.search(r"[a-z0-9]", text))


def fold_term(term: str) -> str:
    """One spelling per term: hiragana as katakana; a kana-only term is its sound
    (``READING_MARK`` + reading key), which a kanji word also carries as a second term."""
    term = jaconv.hira2kata(term)
    if _KATAKANA_ONLY.match(term):
        return READING_MARK + reading_key(term)
    return term


# ---------------------------------------------------------------------------- stop words

# Parts of speech that carry no topic.
_SKIP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "感動詞", "接続詞"}
# Normalised forms of words residents use around every question.
_STOP_FORMS = {
    "為る", "居る", "有る", "成る", "出来る", "無い", "事", "物", "為", "様", "方", "所",
    "思う", "言う", "分かる", "知る", "教える", "欲しい", "良い", "いい", "下さる", "頂く",
    "貰う", "呉れる", "遣る", "見る", "来る", "行く", "置く", "仕舞う", "御", "お", "ご",
    "私", "僕", "俺", "自分", "何", "何処", "どこ", "誰", "どう", "如何", "どの", "どれ",
    "此れ", "其れ", "彼れ", "これ", "それ", "あれ", "この", "その", "あの", "ここ", "そこ",
    "今", "今度", "場合", "時", "とき", "ところ", "よう", "くらい", "位", "ほど", "等",
    "など", "もう", "まだ", "ちょっと", "とても", "すごく", "凄い", "大丈夫", "本当",
    "願う", "お願い", "したい", "ください", "です", "ます", "的", "さん",
    "かしら", "かな", "ね", "よ", "な", "ん", "の", "ない", "いる", "ある", "なる", "する",
    "できる", "一寸", "是非", "何時", "いつ", "何故", "なぜ", "どうして", "どんな",
    "どちら", "何方", "困る", "問い合わせる", "問い合わせ", "窓口",
}
_EN_STOP = {
    "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "he", "she", "it", "its",
    "they", "them", "their", "is", "am", "are", "was", "were", "be", "been", "being", "do",
    "does", "did", "have", "has", "had", "to", "of", "in", "on", "at", "for", "from", "by",
    "with", "about", "and", "or", "but", "if", "so", "can", "could", "would", "should",
    "will", "shall", "may", "might", "must", "what", "where", "when", "who", "whom", "which",
    "how", "why", "this", "that", "these", "those", "there", "here", "want", "need", "get",
    "please", "help", "go", "any", "some", "not", "no", "yes", "just", "also", "too", "very",
    "office", "counter", "ward", "setagaya", "city", "know", "tell", "like", "into", "up",
    "out", "as", "than", "then", "s", "t", "d", "ll", "m", "re", "ve", "anything",
    "something", "someone", "somebody", "one", "again", "now", "still", "much", "many",
}


def stem_en(word: str) -> str:
    """A light English stemmer: plurals and the common verb endings."""
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + repl
    return word


# ---------------------------------------------------------------------------- synonyms


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key for analyses
class SynonymMatcher:
    """Rewrites every variant of a synonym group to its canonical term.

    Japanese keys are matched on the katakana-folded text, longest first, and only where
    a word starts and ends (Sudachi's token boundaries or a change of script), so a short
    variant never rewrites the inside of a longer word (マイナ in マイナンバー). Canonical
    terms map to themselves, so 国民年金 is not read as 国民 + a variant 年金. A kanji variant
    also matches by its reading (3 kana or more), but only as a whole token or a whole run
    of kana (こくほ → 国保 → 国民健康保険; しんだん is not 死んだ + ん). English variants
    match whole words.
    """

    surface: dict[str, list[str]]  # first character -> keys, longest first
    reading: dict[str, list[str]]
    english: re.Pattern | None
    canonical_of: dict[str, str]

    @classmethod
    def build(cls, groups: Iterable[tuple[str, Iterable[str]]]) -> SynonymMatcher:
        canonical_of: dict[str, str] = {}
        sounds: dict[str, str] = {}
        for canonical, variants in groups:
            target = prepare(canonical).strip()
            if not target:
                continue
            for variant in [canonical, *variants]:
                surface, sound = _variant_keys(variant)
                for key in surface:
                    canonical_of.setdefault(key, target)
                if sound:
                    sounds.setdefault(sound, target)
        # A spelling written in the data wins over a reading worked out from a variant.
        readings = {sound for sound in sounds if sound not in canonical_of}
        canonical_of.update({sound: sounds[sound] for sound in readings})
        surface_keys: dict[str, list[str]] = {}
        reading_keys: dict[str, list[str]] = {}
        for key in sorted(canonical_of, key=lambda k: (-len(k), k)):
            if key.isascii():
                continue
            (reading_keys if key in readings else surface_keys).setdefault(key[0], []).append(key)
        english = sorted((k for k in canonical_of if k.isascii()), key=lambda k: -len(k))
        return cls(
            surface=surface_keys, reading=reading_keys,
            english=(re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, english))
                                + r")(?![a-z0-9])") if english else None),
            canonical_of=canonical_of,
        )

    def rewrite(self, prepared: str) -> str:
        """``prepared`` (see ``prepare``) with variants replaced by canonical terms."""
        if self.english is not None:
            prepared = self.english.sub(lambda m: " " + self.canonical_of[m.group(0)] + " ",
                                        prepared)
        if not self.surface and not self.reading:
            return prepared
        key = jaconv.hira2kata(prepared)  # same length as ``prepared``
        edges, wholes = _word_edges(prepared)
        out: list[str] = []
        last = i = 0
        while i < len(key):
            end = self._match(key, i, edges, wholes) if i in edges else None
            if end is None:
                i += 1
                continue
            out += [prepared[last:i], self.canonical_of[key[i:end]]]
            last = i = end
        out.append(prepared[last:])
        return "".join(out)

    def _match(self, key: str, i: int, edges: set[int], wholes: set[tuple[int, int]]
               ) -> int | None:
        for candidate in self.surface.get(key[i], ()):
            end = i + len(candidate)
            if not key.startswith(candidate, i):
                continue
            # Sudachi often mis-splits hiragana: a kana variant may also end before a
            # particle (こくほにはいりたい).
            if end in edges or (_READING.match(candidate) and key[end:end + 1] in _PARTICLES):
                return end
        for candidate in self.reading.get(key[i], ()):
            end = i + len(candidate)
            if (i, end) in wholes and key.startswith(candidate, i):
                return end
        return None


_PARTICLES = set("ニノガヲハデトヘモヤカ")


def _script(char: str) -> str:
    if "\u3041" <= char <= "\u309f":
        return "hiragana"
    if "\u30a0" <= char <= "\u30ff":
        return "katakana"
    if _is_kanji(char):
        return "kanji"
    if char.isascii() and char.isalnum():
        return "ascii"
    return "other"


def _word_edges(text: str) -> tuple[set[int], set[tuple[int, int]]]:
    """Positions where a word may start or end (token boundaries of Sudachi's A and C
    modes, changes of script) and the spans of whole tokens and whole kana runs."""
    edges = {0, len(text)}
    wholes: set[tuple[int, int]] = set()
    mode_c, mode_a = _modes()
    for mode in (mode_a, mode_c):
        for morpheme in tokenizer().tokenize(text, mode):
            edges.update((morpheme.begin(), morpheme.end()))
            if mode is mode_c:
                wholes.add((morpheme.begin(), morpheme.end()))
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _script(text[i]) != _script(text[i - 1]):
            edges.add(i)
            if _script(text[start]) in ("hiragana", "katakana"):
                wholes.add((start, i))
                # ... also without one or two particles at its end (こくほには).
                for cut in (1, 2):
                    if i - cut > start and all(jaconv.hira2kata(c) in _PARTICLES
                                               for c in text[i - cut:i]):
                        wholes.add((start, i - cut))
                        edges.add(i - cut)
            start = i
    return edges, wholes


def _variant_keys(variant: str) -> tuple[set[str], str | None]:
    """Keys a variant is matched by: its own spelling (katakana-folded), and for a variant
    with kanji its reading when 3 kana or longer."""
    prepared = prepare(variant).strip()
    if not prepared:
        return set(), None
    if prepared.isascii():
        return {prepared}, None
    surface = jaconv.hira2kata(prepared)
    if _READING.match(surface):
        return {surface}, None
    reading = "".join(m.reading_form() for m in tokenizer().tokenize(prepared, _modes()[0]))
    sound = reading if len(reading) >= 3 and _READING.match(reading) else None
    return {surface}, sound


EMPTY_MATCHER = SynonymMatcher({}, {}, None, {})


# ---------------------------------------------------------------------------- analysis


@dataclass
class Analysis:
    """Terms of one text.

    ``words``: term → weight in a query (1 for a whole word, ``PART_WEIGHT`` for the parts
    of a compound); ``occurrences``: the terms with repeats, for term frequencies in an
    entry; ``readings``: reading bigrams with repeats; ``surfaces``: term → the word as
    written, for explanations.
    """

    words: dict[str, float] = field(default_factory=dict)
    occurrences: list[str] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)
    surfaces: dict[str, str] = field(default_factory=dict)

    def add_word(self, term: str, surface: str, weight: float) -> None:
        if not term:
            return
        self.occurrences.append(term)
        self.words[term] = max(self.words.get(term, 0.0), weight)
        self.surfaces.setdefault(term, surface)


PART_WEIGHT = 0.5
# Every word also stands for its sound (国保 → ~コクホ), so kana input meets kanji entries.
READING_MARK = "~"
SOUND_WEIGHT = 0.6
# Verbs and adjectives (入る, 払う, 高い) say less about the topic than nouns do.
_PREDICATE_POS = {"動詞", "形容詞", "形状詞", "副詞"}
PREDICATE_WEIGHT = 0.5


def analyse(text: str, *, synonyms: SynonymMatcher = EMPTY_MATCHER) -> Analysis:
    """Terms of ``text`` after preparation and synonym rewriting."""
    prepared = synonyms.rewrite(prepare(text))
    result = Analysis()
    for match in re.finditer(r"[a-z0-9][a-z0-9'\-]*|[^\sa-z0-9]+", prepared):
        chunk = match.group(0)
        if chunk[0].isascii() and chunk[0].isalnum():
            _english(chunk, result)
        elif _HAS_KANA_OR_KANJI.search(chunk):
            _japanese(chunk, result)
    return result


def _english(chunk: str, result: Analysis) -> None:
    for word in _ASCII_WORD.findall(chunk):
        word = word.strip("'-")
        if word.isdigit() or word in _EN_STOP or len(word) < 2:
            continue
        result.add_word(stem_en(word), word, 1.0)


def _japanese(chunk: str, result: Analysis) -> None:
    mode_c, mode_a = _modes()
    run: list[str] = []
    for morpheme in tokenizer().tokenize(chunk, mode_c):
        form = morpheme.normalized_form()
        if (morpheme.part_of_speech()[0] in _SKIP_POS or form in _STOP_FORMS
                or morpheme.dictionary_form() in _STOP_FORMS):
            _flush_reading(run, result)
            continue
        reading = morpheme.reading_form()
        if _READING.match(reading):
            run.append(reading)
        elif _HAS_KANA_OR_KANJI.search(morpheme.surface()):
            run.append(jaconv.hira2kata(morpheme.surface()))
        if len(morpheme.surface()) == 1 and not _is_kanji(morpheme.surface()):
            continue
        term = fold_term(form)
        weight = 1.0 if morpheme.part_of_speech()[0] not in _PREDICATE_POS else PREDICATE_WEIGHT
        result.add_word(term, morpheme.surface(), weight)
        if _READING.match(reading) and len(reading) >= 2:
            sound = READING_MARK + reading_key(reading)
            if sound != term:
                result.add_word(sound, morpheme.surface(), SOUND_WEIGHT * weight)
        parts = morpheme.split(mode_a)
        if len(parts) > 1:
            for part in parts:
                part_form = part.normalized_form()
                if part_form in _STOP_FORMS or part.part_of_speech()[0] in _SKIP_POS:
                    continue
                if len(part.surface()) == 1:
                    continue
                result.add_word(fold_term(part_form), part.surface(), PART_WEIGHT)
    _flush_reading(run, result)


def _flush_reading(run: list[str], result: Analysis) -> None:
    if run:
        key = reading_key("".join(run))
        if len(key) == 1:
            result.readings.append(key)
        result.readings.extend(key[i:i + 2] for i in range(len(key) - 1))
        run.clear()


def _is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"
