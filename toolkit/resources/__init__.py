"""Every file the program reads at run time, shipped inside the package and reached through
``importlib.resources`` — never through the repository's layout.

``macros`` and ``templates`` are links to the repository's top-level ``macros/`` and ``templates/`` (the
places people edit); building the sdist and the wheel copies the files they point to. ``SHIPPED`` lists,
as glob patterns, what the wheel must carry: a test builds the wheel and checks each pattern against the
source tree, byte for byte, and a second test checks that no module reads a file of its own by any other
route (``__file__``, ``resources.files``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE_POLICY = "sample_policy.xlsx"  # Zhuzhou 2022-2025, written by toolkit/demo/samples.py
SAMPLE_PROVINCE_POLICY = "sample_province_policy.xlsx"  # Hunan's 14 市州 (toolkit/demo/hunan_policy.py, same path)
FONTS_CONF = "fonts.conf"  # official font names → free fonts, for PDFs made by LibreOffice
MACROS = "macros"  # the VBA modules (*.bas) of the macro workbooks
TEMPLATES = "templates"  # the Word templates (*.docx) of notices and reward documents
INDUSTRIES = "gbt4754_2017.csv"  # GB/T 4754-2017: the 20 sections and 97 divisions (应入尽入: B, C, D are industry)
BACKTEST = "forecast_backtest.json"  # how often the forecast's ranges held (benchmarks/backtest_forecast.py writes it)

SHIPPED = (SAMPLE_POLICY, SAMPLE_PROVINCE_POLICY, FONTS_CONF, INDUSTRIES, BACKTEST, f"{MACROS}/*.bas",
           f"{TEMPLATES}/*.docx")


def resource_path(name: str) -> Path:
    """The installed file or folder ``name`` (one of the names above)."""
    return Path(str(resources.files(__name__).joinpath(name)))
