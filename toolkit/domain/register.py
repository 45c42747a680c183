"""The register of above-scale enterprises (规上企业名录) as the accepted county lists build it.

Counties report year-to-date lists, so a county's year is described by its latest accepted period
(its *effective* list for that year). The register at any moment follows from those lists in
month order, starting from the statistics office's starting list when one has been imported.
Everything here is pure: the store hands in accepted submissions, these functions say what they mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, NamedTuple

from toolkit.domain.periods import Period


# Source and Listing keep their fields in slots: half a million of each at national scale, 112 bytes a listing
# instead of 160 with a dictionary
@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure came from: the county file (by name and SHA-256), its sheet and row."""

    file: str
    sha256: str
    sheet: str
    row: int

    @property
    def label(self) -> str:
        return f"{self.file} {self.sheet} 第{self.row}行"


@dataclass(frozen=True, slots=True)
class Listing:
    """One row of a county's accepted entry or exit list."""

    kind: str  # "entry" | "exit"
    uscc: str
    name: str
    county: str
    period: Period  # the report period the list belongs to
    month: Period | None  # 入规月份 / 退库月份
    code: str  # 入规类型 / 退库原因
    source: Source
    values: dict = field(default_factory=dict, compare=False, hash=False)


LIST_KEYS = ("entries", "exits")  # the sheets (by key) whose rows become listings: Submitted.entries and .exits


class ListRow(NamedTuple):
    """One row of an entry or exit list as it travels to ``listings_of``: from a worker process that read the
    file, or from the store (a tuple with names: cheap to make and to send, half a million at national scale)."""

    sheet: str
    row: int  # 1-based worksheet row in the county file
    uscc: str
    name: str
    values: dict  # the row's typed values


def listings_of(sheet_key: str, rows: Iterable[ListRow], county: str, period: Period, file: str,
                sha256: str) -> tuple[Listing, ...]:
    """Listings from a list sheet's rows."""
    is_entry = sheet_key == "entries"
    kind, month_key, code_key = ("entry", "entry_month", "entry_kind") if is_entry else ("exit", "exit_month",
                                                                                        "exit_reason")
    return tuple(Listing(kind, uscc, name, county, period, _as_month(values.get(month_key)),
                         str(values.get(code_key) or ""), Source(file, sha256, sheet, number), values)
                 for sheet, number, uscc, name, values in rows)


def _as_month(value) -> Period | None:
    """A list's month: a period as a fresh workbook's values give it, or text as the store gives it."""
    return value if type(value) is Period else _month(value)


@lru_cache(maxsize=1024)
def _month(text) -> Period | None:
    """A list's month as a period (a handful of texts, parsed once each); None when absent or not a month."""
    try:
        return Period.parse(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Submitted:
    """An accepted (or candidate) county submission reduced to what the register needs."""

    submission_id: int
    county: str
    period: Period
    file: str
    sha256: str
    entries: tuple[Listing, ...] = ()
    exits: tuple[Listing, ...] = ()


STARTING_LIST = "规划起始名录"  # where a firm of the plan's starting register came from (Holder.since)


@dataclass(frozen=True)
class Holder:
    """Who holds an enterprise in the register and since when."""

    county: str
    since: str  # "2022-03" or STARTING_LIST
    name: str = ""
    source: str = ""  # a Source label, or the starting list's name


def effective(submissions: Iterable[Submitted]) -> dict[tuple[str, int], Submitted]:
    """Per (county, year): the accepted submission of the latest period, which holds the year so far."""
    best: dict[tuple[str, int], Submitted] = {}
    for sub in submissions:
        key = (sub.county, sub.period.year)
        if key not in best or sub.period > best[key].period:
            best[key] = sub
    return best


def _events(subs: Iterable[Submitted]) -> list[Listing]:
    listings = [item for sub in subs for item in (*sub.entries, *sub.exits)]
    # chronological; an entry goes before an exit of the same month (entered and left in one month);
    # the key is plain numbers and text (comparing Period objects is slow for half a million rows)
    def key(x: Listing) -> tuple:
        month = x.month or x.period
        return (month.year * 12 + month.month, x.kind != "entry", x.county, x.uscc)

    return sorted(listings, key=key)


def register_at(start: dict[str, Holder], effective_subs: Iterable[Submitted], before_year: int,
                attributions: dict[tuple[str, int], str] | None = None) -> dict[str, Holder]:
    """The register at the start of ``before_year``: the starting list, then earlier years' lists in order.

    An enterprise reported as new by two counties in one year is held by the county the city
    attributed it to (``attributions``: (uscc, year) -> county), or by nobody until then.
    """
    attributions = attributions or {}
    state = dict(start)
    earlier = [s for s in effective_subs if s.period.year < before_year]
    for listing in _events(earlier):
        if listing.kind == "entry":
            owner = attributions.get((listing.uscc, listing.period.year), listing.county)
            if owner != listing.county:
                continue
            state[listing.uscc] = Holder(listing.county, str(listing.month or listing.period), listing.name,
                                         listing.source.label)
        else:
            state.pop(listing.uscc, None)
    return state


def contested(subs_of_year: Iterable[Submitted]) -> dict[str, list[Listing]]:
    """USCCs that two or more counties report as new in the same year (待认定), with every claim (in the
    order the submissions list them; the USCCs in the order of their first claim)."""
    subs = list(subs_of_year)
    first: dict[str, str] = {}  # USCC -> the county of its first claim
    disputed: set[str] = set()
    for sub in subs:  # one pass over plain dicts: nearly every firm is claimed once
        for listing in sub.entries:
            county = first.setdefault(listing.uscc, listing.county)
            if county != listing.county:
                disputed.add(listing.uscc)
    if not disputed:
        return {}
    claims: dict[str, list[Listing]] = {uscc: [] for uscc in first if uscc in disputed}
    for sub in subs:
        for listing in sub.entries:
            if listing.uscc in disputed:
                claims[listing.uscc].append(listing)
    return claims


def counted_entries(sub: Submitted, disputed: dict[str, list[Listing]],
                    attributions: dict[tuple[str, int], str]) -> tuple[list[Listing], list[Listing], list[Listing]]:
    """A county's entries split into (counted, pending attribution, attributed to another county)."""
    counted, pending, elsewhere = [], [], []
    for listing in sub.entries:
        if listing.uscc not in disputed:
            counted.append(listing)
            continue
        owner = attributions.get((listing.uscc, sub.period.year))
        if owner is None:
            pending.append(listing)
        elif owner == sub.county:
            counted.append(listing)
        else:
            elsewhere.append(listing)
    return counted, pending, elsewhere


class RegisterRow(NamedTuple):
    """The register as the store keeps it: one row per enterprise and entry (a tuple, in the store's column
    order: half a million of them are made and written at a province's scale and beyond)."""

    uscc: str
    name: str
    county: str  # '' while pending attribution
    entry_period: str
    entry_kind: str
    entry_source: str
    exit_period: str = ""
    exit_reason: str = ""
    exit_source: str = ""


STARTING_KIND = "起始名录"


def register_rows(effective_subs: Iterable[Submitted], attributions: dict[tuple[str, int], str],
                  start: dict[str, Holder] | None = None) -> list[RegisterRow]:
    """The starting list, then every entry and exit the accepted lists record, in order, as register rows."""
    subs = list(effective_subs)
    by_year: dict[int, list[Submitted]] = defaultdict(list)
    for sub in subs:
        by_year[sub.period.year].append(sub)
    disputed_by_year = {year: contested(group) for year, group in by_year.items()}
    open_rows: dict[str, RegisterRow] = {
        uscc: RegisterRow(uscc, h.name, h.county, "", STARTING_KIND, h.source) for uscc, h in (start or {}).items()}
    done: list[RegisterRow] = []
    for listing in _events(subs):
        year = listing.period.year
        if listing.kind == "entry":
            disputed = listing.uscc in disputed_by_year[year]
            owner = attributions.get((listing.uscc, year)) if disputed else listing.county
            if disputed and owner not in (None, listing.county):
                continue
            if listing.uscc in open_rows and open_rows[listing.uscc].county in ("", owner or ""):
                continue  # the same pending enterprise claimed again
            if listing.uscc in open_rows:
                done.append(open_rows.pop(listing.uscc))
            open_rows[listing.uscc] = RegisterRow(listing.uscc, listing.name, owner or "", str(listing.month or ""),
                                                  listing.code, listing.source.label)
        else:
            row = open_rows.pop(listing.uscc, None)
            if row is None:
                row = RegisterRow(listing.uscc, listing.name, listing.county, "", "", "")
            done.append(RegisterRow(row.uscc, row.name, row.county, row.entry_period, row.entry_kind, row.entry_source,
                                    str(listing.month or ""), listing.code, listing.source.label))
    return done + list(open_rows.values())
