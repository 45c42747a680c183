"""Use case: make the county reporting workbooks for a period (生成县区模板)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from toolkit import __version__
from toolkit.domain.file_names import file_name
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy
from toolkit.domain.report_schema import SCHEMA_VERSION
from toolkit.domain.stamp import FileKind, Stamp
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError


def resolve_counties(policy: Policy, names: Iterable[str] | None) -> list[County]:
    """The named units (by name or alias), or all of them when ``names`` is None."""
    if names is None:
        return list(policy.counties)
    out = []
    for name in names:
        county = policy.find_county(name)
        if county is None:
            raise UserError(f"政策参数中没有“{name}”。可选：{'、'.join(policy.county_names)}。")
        out.append(county)
    return out


def template_stamp(county: County, period: Period, generated_at: dt.datetime) -> Stamp:
    return Stamp(FileKind.TEMPLATE, SCHEMA_VERSION, county.name, str(period),
                 generated_at.strftime("%Y-%m-%d %H:%M:%S"), __version__)


def make_templates(policy: Policy, period: Period, counties: list[County], out_dir: Path, *,
                   generated_at: dt.datetime | None = None, prefills: dict | None = None,
                   macros: bool = False, policy_digest: str = "") -> list[Path]:
    """One workbook per county, named so that a clerk recognises it. Returns the paths written.

    ``prefills`` (county name -> services.prefill.Prefill) pre-fills each workbook from the store.
    ``macros``: also the .xlsm edition with buttons, for offices with Python (the .xlsx stays the default).
    Each carries what its check needs of ``policy`` (and the policy file's digest); a template made before under
    the same name is never written over (it may have been sent): the new one is numbered “（2）”.
    """
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    written = []
    for county in counties:
        known = (prefills or {}).get(county.name)
        for suffix in (".xlsx", ".xlsm") if macros else (".xlsx",):
            plain = file_name(county.name, period, suffix)
            path = tools().files.unused_path(Path(out_dir), plain[:-len(suffix)], suffix)
            stamp = template_stamp(county, period, generated_at)
            tools().workbooks.write_county_workbook(path, policy, county, period, stamp,
                                                    lists=known.lists if known else None,
                                                    reference=known.reference if known else None,
                                                    created=generated_at, macros=suffix == ".xlsm",
                                                    policy_digest=policy_digest)
            written.append(path)
    return written
