"""Breaking a 公文 title into lines as GB/T 9704 asks (7.3.3): “标题回行时，要做到词意完整，排列对称，长短适宜，
间距恰当，标题排列应当使用梯形或菱形”.

A title is cut only between words — never inside 规模以上工业企业, a county's name, 2022年1-6月 or 通报批评 —
into as few lines as fit the type area, as even as the words allow, so that the lines form a trapezoid
(each line no longer than the next, or no shorter) or a diamond (the middle line longest). Words come from a
small dictionary of the vocabulary our titles use plus the names passed in (the counties); any other text
breaks between characters, never inside a number.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Iterable

# terms a title must never split (longest first wins); the titles' own vocabulary
TERMS = (
    "规模以上工业企业", "规上工业企业", "工业企业", "工业和信息化", "工作情况",
    "成效明显", "推进不力", "未按要求", "报送报表", "报送合格报表", "合格报表", "培育情况报表", "培育情况", "报表",
    "县市区", "市州", "通报批评", "通报", "表扬", "催报", "通知", "请示", "奖励资金", "新入规企业", "拟兑现企业名单",
    "企业名单", "名单", "公示", "审批表", "全市", "全省", "新增", "年度", "第二期", "首期", "关于", "工作",
    "未按要求报送报表", "实施方案", "兑现", "批次", "情况", "培育", "奖励", "资金", "拨付", "企业", "拟兑现",
)
PARTICLES = set("的对")  # a line may end or start at these
JOINING = ("和", "及", "与", "或")  # a conjunction starts the line of the word it joins, never ends one
_NUMBER = re.compile(r"\d{4}年(?:度)?(?:\d{1,2}[-—–~～]\d{1,2}月|\d{1,2}月)?|\d{1,2}[-—–~～]\d{1,2}月|（第\d+批）|第\d+批|\d+")


ZERO_WIDTH = "\u2060\u200b\u200d"  # word joiner, zero-width space and joiner: they take no room on the line


def width(text: str) -> float:
    """Width in title characters: CJK, full-width, the 一字线 — and quotation marks 1, others (digits, Latin,
    hyphen) ½."""
    return sum(1 if ord(ch) > 0x2E7F or ch in "“”‘’—…" else 0.5 for ch in text if ch not in ZERO_WIDTH)


AUTOSPACE = 0.2  # the space a word processor adds between Chinese and Latin text or digits, in characters
_LATIN = re.compile(r"[0-9A-Za-z]")


def set_width(text: str) -> float:
    """Width in title characters as a word processor sets the line: ``width`` plus the small space Word and
    LibreOffice add where Chinese meets digits or Latin letters (“关于表扬2022年1—9月” is 11.2 characters wide,
    not 10: measured on the rendered title, 86.5 mm at 二号)."""
    edges = sum(1 for a, b in zip(text, text[1:]) if bool(_LATIN.match(a)) != bool(_LATIN.match(b))
                and (_wide(a) or _wide(b)))
    return width(text) + AUTOSPACE * edges


def _wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F or ch in "“”‘’—…"


def words(text: str, names: Iterable[str] = ()) -> list[str]:
    """The title as unbreakable pieces: numbers with their 年/月, known terms and ``names`` (longest match),
    single characters otherwise; a closing punctuation mark stays with the word before it, an opening one
    with the word after it."""
    terms = sorted({*TERMS, *(n for n in names if n)}, key=len, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(text):
        number = _NUMBER.match(text, i)
        if number:
            piece = number.group(0)
        else:
            piece = next((t for t in terms if text.startswith(t, i)), text[i])
        out.append(piece)
        i += len(piece)
    merged: list[str] = []
    for piece in out:  # keep punctuation with its word: no line starts with 、，） or ends with （“
        if merged and piece in "、，。：；）》”’":  # nor with a conjunction: 和 goes with the word it joins
            merged[-1] += piece
        elif merged and merged[-1] in ("（", "《", "“", "‘", *JOINING):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def break_title(text: str, max_width: float, names: Iterable[str] = ()) -> list[str]:
    """The title's lines: the fewest lines of at most ``max_width`` characters, cut between words, in a
    trapezoid or diamond shape, as even as possible (a title that fits on one line stays one line)."""
    text = text.strip()
    if set_width(text) <= max_width:
        return [text]
    pieces = tuple(words(text, tuple(names)))
    best = _best(pieces, max_width)
    return [text] if best is None else list(best)


def _shape_ok(widths: list[float]) -> bool:
    """Trapezoid (monotonic) or diamond (rising to one longest line, then falling)."""
    if len(widths) <= 2:
        return True
    peak = widths.index(max(widths))
    rising = all(a <= b + 0.5 for a, b in zip(widths[:peak], widths[1:peak + 1]))
    falling = all(a + 0.5 >= b for a, b in zip(widths[peak:], widths[peak + 1:]))
    return rising and falling


def _inside_word(left: str, right: str) -> bool:
    """A cut between two single characters neither of which is a particle may split an unknown word."""
    return len(left) == 1 and len(right) == 1 and left not in PARTICLES and right not in PARTICLES


MAX_LINES = 4  # a longer title is not laid out as a shape: it is filled line by line


def _best(pieces: tuple[str, ...], max_width: float) -> tuple[str, ...] | None:
    sizes = [set_width(p) for p in pieces]
    # a line's width in one subtraction: the pieces before each position, with the space set between a piece
    # ending in Chinese and the next starting with a digit (or the reverse) — lost where the line breaks there
    joins = [set_width(a[-1] + b[0]) - width(a[-1] + b[0]) for a, b in zip(pieces, pieces[1:])]
    total = sum(sizes) + sum(joins)
    before = [0.0]
    for index, size in enumerate(sizes):
        before.append(before[-1] + size + (joins[index - 1] if index else 0))
    for count in range(2, min(MAX_LINES, len(pieces)) + 1):
        if total > count * max_width:
            continue
        found = None
        for cuts in combinations(range(1, len(pieces)), count - 1):
            bounds = list(zip((0, *cuts), (*cuts, len(pieces))))
            widths = [before[b] - before[a] - (joins[a - 1] if a else 0) for a, b in bounds]
            if max(widths) > max_width or not _shape_ok(widths):
                continue
            # never inside a word if it can be helped; then as even as possible; on a tie the upper line
            # shorter (正梯形)
            risky = sum(_inside_word(pieces[c - 1], pieces[c]) for c in cuts)
            score = (risky, max(widths) - min(widths), widths[0] > widths[-1])
            if found is None or score < found[0]:
                found = (score, tuple("".join(pieces[a:b]) for a, b in bounds))
        if found is not None:
            return found[1]
    return _filled(pieces, sizes, max_width)


def _filled(pieces: tuple[str, ...], sizes: list[float], max_width: float) -> tuple[str, ...] | None:
    """A title too long for a shape: lines filled word by word; None when one word alone is too wide."""
    lines: list[str] = []
    line, used = "", 0.0
    for piece, size in zip(pieces, sizes):
        if size > max_width:
            return None
        if used + size > max_width:
            lines.append(line)
            line, used = "", 0.0
        line += piece
        used += size
    return tuple([*lines, line])
