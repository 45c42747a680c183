"""Use case: make the county reporting workbooks for a period (生成县区模板)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from toolkit import __version__
from toolkit.domain.city_report import SCHEMA_VERSION as CITY_SCHEMA_VERSION
from toolkit.domain.file_names import file_name
from toolkit.domain.level import Level as AdminLevel
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
    if policy.level is AdminLevel.PROVINCE:
        return _city_reports(policy, period, counties, out_dir, generated_at)
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


def _city_reports(policy: Policy, period: Period, units: list[County], out_dir: Path,
                  generated_at: dt.datetime) -> list[Path]:
    """At province level, the reporting template of each 市州 that does not run guishang (``domain.city_report``):
    its 县市区 listed, never written over one made before under the same name."""
    written = []
    for unit in units:
        path = tools().files.unused_path(Path(out_dir), f"{unit.name}_{period}_规上工业企业报表（报省）", ".xlsx")
        stamp = Stamp(FileKind.CITY_REPORT, CITY_SCHEMA_VERSION, unit.name, str(period),
                      generated_at.strftime("%Y-%m-%d %H:%M:%S"), __version__)
        written.append(tools().workbooks.write_city_report(path, policy, unit, period, stamp, created=generated_at))
    return written
