"""Checks that need more than one file: a county's lists against the register and the other counties.

They run when the city consolidates a period (the county cannot run them at home): a new entry
already in the register, an exit of an enterprise the register does not know, an entry that
disappears from the county's year-to-date list, and the same enterprise claimed by two counties.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Mapping

from toolkit.domain import report_schema as S
from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.province_figures import SUB_UNIT, USCC_COLUMN
from toolkit.domain.register import Holder, Listing, Submitted
from toolkit.domain.text import normalise_name


@dataclass(frozen=True)
class Prior:
    """What the store knows before this county's submission is judged."""

    register: dict[str, Holder]  # in the register at the start of the report year
    # entered this year by any county (accepted lists): the entry itself or a Holder; only its county is read
    entered_this_year: dict[str, Holder | Listing]
    has_starting_list: bool  # the statistics office's starting register has been imported (#4)
    previous: Submitted | None = None  # the county's latest accepted earlier period of the same year
    disputed: dict[str, list[Listing]] = field(default_factory=dict)  # USCC -> claims by several counties
    attributions: dict[tuple[str, int], str] = field(default_factory=dict)  # (USCC, year) -> county
    confirmed: dict[str, dict[str, tuple[str, str]]] | None = None  # change -> USCC -> (county, source); None: no list
    # USCC -> the counties whose latest accepted list of the year reports it as new (to tell a settled double
    # claim from a firm that vanished)
    claimants: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    # at province level: the 县市区 of this 市州 whose own report the 市州 did not accept this period — their firms
    # are missing from its lists for that reason, which W308 tells the province, not because they vanished
    set_aside: AbstractSet[str] = frozenset()
    # change -> [(USCC, source)] that the confirmed list gives this county, in the list's order: an index of
    # ``confirmed`` made once for all counties (derived here when not given)
    confirmed_here: dict[str, list[tuple[str, str]]] | None = None

    def kept_elsewhere(self, uscc: str, county: str, year: int) -> str:
        """The county that keeps an entry this county dropped: another claimant this year, or the city's
        attribution to another county; '' when none does."""
        attributed = self.attributions.get((uscc, year), "")
        if attributed and attributed != county:
            return attributed
        others = sorted(self.claimants.get(uscc, frozenset()) - {county})
        return "、".join(others)


def _uscc_col() -> tuple[int, str]:
    return S.ENTRIES.index("uscc"), S.ENTRIES.column("uscc").header


def cross_check(sub: Submitted, prior: Prior) -> list[Finding]:
    """Findings for one county's submission (its rows keep their file, sheet and row)."""
    findings: list[Finding] = []
    col, header = _uscc_col()

    def at(code: str, listing: Listing, **details) -> None:  # a 市州 summary's row says where its code is
        findings.append(make_finding(code, file=sub.file, sheet=listing.source.sheet, row=listing.source.row,
                                     col=listing.values.get(USCC_COLUMN, col), column=header, value=listing.uscc,
                                     **details))

    for listing in sub.entries:
        holder = prior.register.get(listing.uscc)
        if holder is not None:
            at("E201", listing, expected=holder.since,
               holder="，".join(p for p in (holder.county or "归属待认定", holder.source) if p))
        claims = prior.disputed.get(listing.uscc)
        if claims:
            owner = prior.attributions.get((listing.uscc, sub.period.year))
            if owner is None:
                others = sorted({c.county for c in claims if c.county != sub.county})
                at("W202", listing, expected="、".join(others))
            elif owner != sub.county:
                at("W206", listing, expected=owner)
    own_entries = {e.uscc for e in sub.entries}
    for listing in sub.exits:
        if listing.uscc in own_entries:
            continue  # entered and exited in the same year: the workbook's own W107 covers it
        claims = prior.disputed.get(listing.uscc) if listing.uscc in prior.entered_this_year else None
        if claims:  # entered this year by two or more counties: the city's attribution, else every claimant
            owner = prior.attributions.get((listing.uscc, sub.period.year))
            claimants = sorted({c.county for c in claims})
            if owner is not None and owner != sub.county:
                at("W207", listing, expected=owner)
            elif owner is None and sub.county not in claimants:
                at("W207", listing, expected="、".join(claimants) + "（均报为新增，归属待认定）")
            continue
        holder = prior.entered_this_year.get(listing.uscc) or prior.register.get(listing.uscc)
        if holder is None:
            at("E203" if prior.has_starting_list else "W204", listing)
        elif holder.county and holder.county != sub.county:
            at("W207", listing, expected=holder.county)
    if prior.confirmed is not None:
        here = prior.confirmed_here
        if here is None:
            here = confirmed_by_county(prior.confirmed).get(sub.county, {})
        findings.extend(_against_confirmed(sub, prior.confirmed, here, col, header))
    if prior.previous is not None:
        now = own_entries | {x.uscc for x in sub.exits}
        by_name = {normalise_name(e.name): e for e in sub.entries if e.name}
        sheet = sub.entries[0].source.sheet if sub.entries else S.ENTRIES.name  # a 市州 summary's: 新增明细
        for listing in prior.previous.entries:
            if listing.uscc in now or listing.values.get(SUB_UNIT) in prior.set_aside:
                continue
            renamed = by_name.get(normalise_name(listing.name)) if listing.name else None
            if renamed is not None:  # the same firm under another code: one mistake (often a typo), not a vanished firm
                at("W213", renamed, expected=str(prior.previous.period), holder=listing.uscc)
                continue
            keeper = prior.kept_elsewhere(listing.uscc, sub.county, sub.period.year)
            if keeper:  # a double claim settled: this county dropped it, another keeps it (or the city decided)
                findings.append(make_finding(
                    "W212", file=sub.file, sheet=sheet, value=f"{listing.name}（{listing.uscc}）",
                    expected=str(prior.previous.period), holder=keeper, source=listing.source.label))
            else:
                findings.append(make_finding(
                    "E205", file=sub.file, sheet=sheet, value=f"{listing.name}（{listing.uscc}）",
                    expected=str(prior.previous.period), source=listing.source.label))
    return findings


def confirmed_by_county(confirmed: dict[str, dict[str, tuple[str, str]]]) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """county -> change -> [(USCC, source)], each in the confirmed list's order."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for change, firms in confirmed.items():
        for uscc, (county, source) in firms.items():
            out.setdefault(county, {}).setdefault(change, []).append((uscc, source))
    return out


def _against_confirmed(sub: Submitted, confirmed: dict[str, dict[str, tuple[str, str]]],
                       here: dict[str, list[tuple[str, str]]], col: int, header: str) -> list[Finding]:
    """Every difference between the county's lists and the statistics office's confirmed list (nothing preferred)."""
    out = []
    label = sub.period.label
    for change, listings, code_missing, code_unconfirmed, sheet in (
            ("entry", sub.entries, "W210", "W208", S.ENTRIES.name), ("exit", sub.exits, "W211", "W209", S.EXITS.name)):
        known = confirmed.get(change, {})
        reported = {x.uscc for x in listings}
        for listing in listings:
            holder = known.get(listing.uscc)
            if holder is None or holder[0] != sub.county:
                elsewhere = f"（统计部门确认其属于{holder[0]}）" if holder else ""
                out.append(make_finding(code_unconfirmed, file=sub.file, sheet=listing.source.sheet,
                                        row=listing.source.row, col=col, column=header, value=listing.uscc,
                                        expected=label, holder=elsewhere))
        for uscc, source in here.get(change, ()):
            if uscc not in reported:
                out.append(make_finding(code_missing, file=sub.file, sheet=sheet, value=uscc, expected=label,
                                        source=source))
    return out
