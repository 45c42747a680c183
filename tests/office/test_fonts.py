"""PDFs of 公文 made on Linux use free fonts that look like the official ones (#19): fonts.conf maps each
official name to a font that is really installed, and LibreOffice embeds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from toolkit.adapters.office_pdf import fonts_conf, to_pdf

OFFICIAL = {"仿宋_GB2312": ("FandolFang", "Regular"), "楷体_GB2312": ("LXGW WenKai", "Regular"),
            "黑体": ("Noto Sans CJK SC", "Regular"), "宋体": ("Noto Serif CJK SC", "Regular"),
            "方正小标宋简体": ("Noto Serif CJK SC", "Bold")}
INSTALL = "请运行 .ci/fandol（Fandol 字体）并安装 fonts-noto-cjk、fonts-lxgw-wenkai"


def _mapped() -> set[str]:
    """Every family fonts.conf names as a replacement."""
    root = ET.parse(fonts_conf()).getroot()
    prefer = {f.text for alias in root.iter("alias") for f in alias.find("prefer").iter("family")}
    assigned = {s.text for match in root.iter("match") for edit in match.iter("edit") if edit.get("name") == "family"
                for s in edit.iter("string")}
    return prefer | assigned


@pytest.fixture(scope="module")
def fontconfig(soffice):
    """fontconfig's tools, wherever LibreOffice is (a PDF made there must use these fonts)."""
    if shutil.which("fc-list") is None:
        pytest.fail("LibreOffice 已安装但没有 fontconfig（fc-list）")


def test_every_font_the_mapping_names_is_installed(fontconfig):
    installed = set()
    for line in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout.splitlines():
        installed.update(name.strip() for name in line.split(","))
    missing = sorted(_mapped() - installed)
    assert not missing, f"fonts.conf 指向未安装的字体：{missing}。{INSTALL}"


@pytest.mark.parametrize("official", sorted(OFFICIAL))
def test_each_official_name_renders_in_its_look_alike(fontconfig, official):
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf())}
    found = subprocess.run(["fc-match", "-f", "%{family[0]}|%{style[0]}", official], capture_output=True, text=True,
                           env=env).stdout
    assert found.split("|") == list(OFFICIAL[official]), f"{official} → {found}。{INSTALL}"


def test_libreoffice_embeds_the_look_alikes_in_a_pdf(soffice, tmp_path):
    """Text set in 方正小标宋简体 and 仿宋_GB2312 (the east-Asian font of each run, as our documents set it) comes
    out of LibreOffice in the bold Noto Serif and in FandolFang."""
    from docx import Document
    from docx.oxml.ns import qn

    from toolkit.adapters.gbt9704_docx import set_chinese

    document = Document()
    set_chinese(document)  # as every document we build
    for text, font in (("关于2022年1—6月全市新增规模以上工业企业工作情况的通报", "方正小标宋简体"),
                       ("各县市区工业和信息化主管部门：现将有关情况通报如下。", "仿宋_GB2312")):
        run = document.add_paragraph().add_run(text)
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    source = tmp_path / "样张.docx"
    document.save(str(source))
    pdf = to_pdf(source, tmp_path / "样张.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    # (LibreOffice names a subset of a .ttc after the collection's first face; the glyphs are the SC ones)
    assert "FandolFang-Regular" in fonts and "NotoSerifCJK" in fonts and "-Bold" in fonts, fonts

