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


# ── Reading numbers, postal codes and phone numbers that people type ──────────────────────
# Added for form input (procedures); reusable by any context. Every function accepts full-
# and half-width characters and the many dash characters Japanese keyboards produce, and
# raises ValueError when the text is not what it should be.

# Characters people type for a hyphen in numbers: ‐ ‑ ‒ – — ― − ー － ｰ (the long-vowel ー
# is only a dash here, in numbers; kana text keeps it).
NUMBER_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−ー－ｰ", "-"))
_GROUPED_DIGITS = re.compile(r"^[0-9]+(?:-[0-9]+)*$")
_MONEY = re.compile(r"^(?:(?P<oku>[0-9]+)億)?(?:(?P<man>[0-9]+)万)?(?P<rest>[0-9]*)$")


def number_text(text: str) -> str:
    """NFKC, every dash as "-", no spaces: the form of typed numbers before parsing."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text or "").translate(NUMBER_DASHES))


def only_digits(text: str, *, separators: str = "-") -> str:
    """The digits of ``text`` (full width allowed) with ``separators`` removed; ValueError
    when anything else is left."""
    value = number_text(text)
    for separator in separators:
        value = value.replace(separator, "")
    if not value.isascii() or not value.isdigit():
        raise ValueError(text)
    return value


def parse_integer(text: str) -> int:
    """``1,200`` ``１２００`` ``1200円`` ``¥1,200`` ``12万3000`` ``1億`` → an int (≥ 0 unless
    written with a leading minus). ValueError for anything else (decimals included)."""
    value = number_text(text).replace(",", "").replace("、", "")
    negative = value.startswith("-")
    value = value.removeprefix("-").removeprefix("¥").removesuffix("円")
    match = _MONEY.match(value)
    if not match or not any(match.groups()):
        raise ValueError(text)
    if (match["oku"] and match["man"] and len(match["man"]) > 4) or (
            (match["oku"] or match["man"]) and len(match["rest"]) > 4):
        raise ValueError(text)  # 1万23456 is not a number anyone writes
    number = (int(match["oku"] or 0) * 100_000_000 + int(match["man"] or 0) * 10_000
              + int(match["rest"] or 0))
    return -number if negative else number


def normalise_postal_code(text: str) -> str:
    """``〒154-0017``, ``1540017``, ``１５４ー００１７`` → ``154-0017``; ValueError otherwise."""
    value = number_text(text).removeprefix("〒")
    if not _GROUPED_DIGITS.match(value):
        raise ValueError(text)
    digits = value.replace("-", "")
    if len(digits) != 7 or ("-" in value and value.index("-") != 3):
        raise ValueError(text)
    return f"{digits[:3]}-{digits[3:]}"


# Numbers whose grouping is fixed by their prefix (digits, groups). Other area codes have
# 2 to 5 digits, so an ungrouped number with one of them is kept as typed (digits only).
_PHONE_GROUPS: tuple[tuple[str, int, tuple[int, ...]], ...] = (
    ("0120", 10, (4, 3, 3)), ("0800", 11, (4, 3, 4)), ("0570", 10, (4, 3, 3)),
    ("070", 11, (3, 4, 4)), ("080", 11, (3, 4, 4)), ("090", 11, (3, 4, 4)),
    ("050", 11, (3, 4, 4)), ("03", 10, (2, 4, 4)), ("06", 10, (2, 4, 4)),
)


def normalise_phone(text: str) -> str:
    """A Japanese phone number with hyphens: ``03(5432)1111``, ``０３－５４３２－１１１１``,
    ``+81 3 5432 1111`` → ``03-5432-1111``; ``09012345678`` → ``090-1234-5678``. The
    writer's own grouping is kept; ValueError unless 10 or 11 digits starting with 0."""
    value = unicodedata.normalize("NFKC", text or "").translate(NUMBER_DASHES).strip()
    value = re.sub(r"[()\s]+", "-", value).strip("-")
    if value.startswith("+81"):
        value = "0" + value[3:].lstrip("-")
    value = re.sub(r"-{2,}", "-", value)
    if not _GROUPED_DIGITS.match(value):
        raise ValueError(text)
    digits = value.replace("-", "")
    if not digits.startswith("0") or digits.startswith("00") or not 10 <= len(digits) <= 11:
        raise ValueError(text)
    if "-" in value:
        return value
    for prefix, length, groups in _PHONE_GROUPS:
        if digits.startswith(prefix) and len(digits) == length:
            parts, start = [], 0
            for size in groups:
                parts.append(digits[start:start + size])
                start += size
            return "-".join(parts)
    return digits


def is_my_number(digits: str) -> bool:
    """Whether ``digits`` is a well-formed 12-digit 個人番号 (My Number): its last digit is
    the check digit of the first eleven (番号法施行令 / 総務省令の検査用数字)."""
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    body = [int(char) for char in digits[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5)
                for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    return int(digits[11]) == (0 if remainder <= 1 else 11 - remainder)


_TWELVE_DIGITS = re.compile(r"(?<![0-9])([0-9]{4})[-\s]?([0-9]{4})[-\s]?([0-9]{4})(?![0-9])")


def contains_my_number(text: str) -> bool:
    """Whether ``text`` holds something that is a valid My Number (12 digits, optionally
    grouped 4-4-4, full or half width). Used to refuse it where it must not be written."""
    value = unicodedata.normalize("NFKC", text or "").translate(NUMBER_DASHES)
    return any(is_my_number("".join(match.groups())) for match in _TWELVE_DIGITS.finditer(value))
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


# --- Personal data in free text (guidance's logs, public comment's published result) --
# E-mail addresses and phone numbers (also written with full-width digits and dashes).
EMAIL_PATTERN = re.compile(r"[\w.+\-]+[@＠][\w\-]+(?:[.．][\w\-]+)+")
PHONE_PATTERN = re.compile(r"\+?\d[\d\-‐－() （）]{7,}\d")
# Postal codes and the parts of an address that find a house: 〒154-0001, 一丁目2番3号,
# 1丁目2-3, 1-2-3.
_POSTAL = re.compile(r"〒?\s*\d{3}[-‐－]\d{4}")
_BLOCK = re.compile(r"[\d一二三四五六七八九十]+丁目(?:\s*\d+(?:番地?|[-‐－])?(?:\s*\d+号?)?)?"
                    r"|\d+番地?\d*号?|\d+[-‐－]\d+(?:[-‐－]\d+)+")
MASKS = {"name": "〔氏名〕", "address": "〔住所〕", "phone": "〔電話番号〕",
         "email": "〔メールアドレス〕"}


def mask_personal(text: str, *, names: tuple[str, ...] | list[str] = ()) -> str:
    """``text`` with the personal data a published text must not carry masked: the given
    ``names`` (the sender's, also without the space between family and given name),
    e-mail addresses, phone numbers, postal codes and house numbers. The rest is left as
    written (no normalisation), so that the published summary reads as the staff wrote it."""
    masked = text or ""
    for name in sorted({n for raw in names for n in (raw.strip(), _SPACES.sub("", raw))
                        if len(n) >= 2}, key=len, reverse=True):
        masked = masked.replace(name, MASKS["name"])
    masked = EMAIL_PATTERN.sub(MASKS["email"], masked)
    masked = PHONE_PATTERN.sub(MASKS["phone"], masked)
    masked = _POSTAL.sub(MASKS["address"], masked)
    return _BLOCK.sub(MASKS["address"], masked)
