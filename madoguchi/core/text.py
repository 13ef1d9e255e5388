"""Japanese text normalisation shared by every search in the project.

One rule everywhere: NFKC (full/half width), no spaces, katakana folded to one script,
common itaiji (異体字) in names folded to their usual form.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

# Variant kanji common in personal names, folded so that 髙橋 finds 高橋 and back.
ITAIJI = str.maketrans({
    "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "齋": "斎", "齊": "斉",
    "澤": "沢", "濱": "浜", "廣": "広", "櫻": "桜", "國": "国", "眞": "真", "德": "徳",
    "惠": "恵", "實": "実", "冨": "富", "曾": "曽", "嶋": "島", "嶌": "島", "藪": "薮",
    "龍": "竜", "瀨": "瀬", "淺": "浅", "壽": "寿", "榮": "栄", "彌": "弥", "靜": "静",
})

_SPACES = re.compile(r"\s+")
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE]+$")


def fold(text: str) -> str:
    """NFKC, spaces removed, itaiji folded; the key for names written in kanji.

    NFKC runs again after the spaces go: NFKC turns a spacing ゛ into a space and a
    combining mark, which composes with the kana before it only once the space is gone.
    """
    spaced = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFKC", spaced).translate(ITAIJI)


def kana_key(text: str) -> str:
    """Fold, then hiragana to katakana: ひらがな, カタカナ and ﾊﾝｶｸ meet."""
    return jaconv.hira2kata(fold(text))


def search_key(text: str) -> str:
    """Key for a query that may be kanji or kana: folded kanji, kana as katakana."""
    return kana_key(text)


def clean_kana(text: str) -> str:
    """Return ``text`` as full-width katakana with single full-width spaces.

    Raises ValueError when the text holds anything but kana and spaces.
    """
    normalised = jaconv.hira2kata(unicodedata.normalize("NFKC", text)).strip()
    normalised = _SPACES.sub("\u3000", normalised)
    if not normalised or not _KATAKANA.match(normalised.replace("\u3000", "")):
        raise ValueError(text)
    return normalised


# --- Reading keys for fuzzy Japanese search (guidance) -------------------------------
# Kana spelled by ear differ in small kana (ひつこし/ひっこし), long vowels (コード/コオド,
# けんこう/ケンコー) and ou/ei spellings. ``reading_key`` folds all of these so that two
# readings a resident would consider the same sound compare equal.

_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_VOWEL_ROWS = {
    "ア": "アカサタナハマヤラワガザダバパァャヮ",
    "イ": "イキシチニヒミリギジヂビピィ",
    "ウ": "ウクスツヌフムユルグズヅブプゥュッヴ",
    "エ": "エケセテネヘメレゲゼデベペェ",
    "オ": "オコソトノホモヨロヲゴゾドボポォョ",
}
_VOWEL_OF = {kana: vowel for vowel, row in _VOWEL_ROWS.items() for kana in row}


def fold_small_kana(text: str) -> str:
    """Katakana small kana to their full-size letters (ッ→ツ, ャ→ヤ …)."""
    return text.translate(_SMALL_KANA)


def fold_long_vowels(text: str) -> str:
    """Katakana long vowels spelled one way: ー becomes the vowel before it, and the
    spellings オウ and エイ become オオ and エエ (コード = コオド, ケンコウ = ケンコー)."""
    out: list[str] = []
    for char in text:
        vowel = _VOWEL_OF.get(out[-1]) if out else None
        if char == "ー" and vowel:
            char = vowel
        elif char == "ウ" and vowel == "オ":
            char = "オ"
        elif char == "イ" and vowel == "エ":
            char = "エ"
        out.append(char)
    return "".join(out)


def reading_key(text: str) -> str:
    """Kana text as a fuzzy reading key: NFKC, katakana, long vowels and small kana folded."""
    katakana = jaconv.hira2kata(unicodedata.normalize("NFKC", text))
    return fold_small_kana(fold_long_vowels(katakana))
