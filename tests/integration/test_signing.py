"""``guishang excel sign``: the city's IT signs a control workbook once in Excel's VBA editor; every later
市级控制台.xlsm carries that signature while the macros are unchanged.

A real signature needs Windows, Excel and a certificate. Here the signed workbook is simulated as Excel
writes one: the project re-saved with compiled code before each module's source (MODULEOFFSET > 0),
identifiers re-cased by the VBA editor, a document module for every sheet, and a signature part with
its relationship and content type. What only Windows can confirm is said in docs/Excel安装与宏信任.md.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser

from toolkit.adapters import macro_workbook
from toolkit.adapters.vba import compound_file
from toolkit.adapters.vba.compression import compress, decompress
from toolkit.adapters.vba.project import _module_records, _pack, _records, read_storage
from toolkit.adapters.vba.reading import read_modules
from toolkit.cli import main
from toolkit.services import signing
from toolkit.services.control_book import write_control_workbooks
from toolkit.services.errors import UserError
from toolkit.services.workspace import init_workspace

SIGNATURE = b"\x30\x82PKCS#7 test signature blob " + bytes(range(256))  # stands in for Excel's DigSig stream
SIGNATURE_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature"
SIGNATURE_CONTENT_TYPE = "application/vnd.ms-office.vbaProjectSignature"
COMPILED = b"\x01\x16\x03\x00" + bytes(60)  # what Excel puts before a module's source (p-code, cache)


def excel_resaved(project: bytes, sheet_count: int, *, edit=None, drop: str = "") -> bytes:
    """The project as Excel saves it after signing: compiled code before each source, identifiers re-cased,
    Sheet3..SheetN document modules added; ``edit`` changes one module's source (name, function)."""
    root = read_storage(project)
    vba = root.children["VBA"]
    records = _records(decompress(vba.children["dir"]))
    existing = {data.decode() for rid, data in records if rid == 0x0019}
    new_documents = [f"Sheet{i}" for i in range(1, sheet_count + 1) if f"Sheet{i}" not in existing]
    out, module, offset_at = [], None, None
    for record_id, data in records:
        if record_id == 0x0010:  # before the dir terminator: the sheets' document modules Excel adds
            for name in new_documents:
                out += [(r, d) if r != 0x0021 else (0x0022, b"") for r, d in _module_records(name)]
                vba.children[name] = compress(
                    f'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "0{{00020820-0000-0000-C000-000000000046}}"\r\n'
                    "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
                    "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n".encode("ascii"))
        if record_id == 0x0019:
            module = data.decode()
        if record_id == 0x0031:
            offset_at = len(out)
        if record_id == 0x002B and module:
            stream = vba.children[module]
            offset = struct.unpack("<I", out[offset_at][1])[0]
            source = decompress(stream[offset:]).decode("latin-1")
            source = source.replace("Dim result As Variant", "Dim Result As Variant").replace("result = ", "Result = ")
            if edit and edit[0] == module:
                source = edit[1](source)
            vba.children[module] = COMPILED + compress(source.encode("latin-1"))
            out[offset_at] = (0x0031, struct.pack("<I", len(COMPILED)))
            module = None
        if record_id == 0x000F:
            record_id, data = 0x000F, struct.pack("<H", len(existing) + len(new_documents))
        out.append((record_id, data))
    if drop:
        start = next(i for i, (r, d) in enumerate(out) if r == 0x0019 and d == drop.encode())
        end = next(i for i in range(start, len(out)) if out[i][0] == 0x002B)
        del out[start:end + 1]
        vba.children.pop(drop)
        out = [(r, struct.pack("<H", struct.unpack("<H", d)[0] - 1)) if r == 0x000F else (r, d) for r, d in out]
    vba.children["dir"] = compress(_pack(out))
    text = root.children["PROJECT"].decode("latin-1")
    text = text.replace("Name=", "".join(f"Document={n}/&H00000000\r\n" for n in new_documents) + "Name=", 1)
    root.children["PROJECT"] = text.encode("latin-1")
    return compound_file.write(root)


def signed_workbook(unsigned: Path, target: Path, *, project: bytes | None = None, signature: bool = True) -> Path:
    """The .xlsm Excel saves after 工具 → 数字签名: the re-saved project and the signature part."""
    with zipfile.ZipFile(unsigned) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        sheet_count = len(re.findall(r"<sheet ", source.read("xl/workbook.xml").decode()))
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/vbaProject.bin":
                data = project or excel_resaved(data, sheet_count)
            if signature and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/xl/vbaProjectSignature.bin" ContentType="'
                                    f'{SIGNATURE_CONTENT_TYPE}"/></Types>'.encode())
            out.writestr(item, data)
        if signature:
            out.writestr("xl/vbaProjectSignature.bin", SIGNATURE)
            out.writestr("xl/_rels/vbaProject.bin.rels",
                         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                         f'{SIGNATURE_REL_TYPE}" Target="vbaProjectSignature.bin"/></Relationships>')
    return target


@pytest.fixture
def workspace(tmp_path):
    workspace, _ = init_workspace(tmp_path / "工作区")
    write_control_workbooks(workspace)
    return workspace


def _control(workspace) -> Path:
    return workspace.root / "市级控制台.xlsm"


def _sheet_count(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return len(re.findall(r"<sheet ", archive.read("xl/workbook.xml").decode()))


def test_the_simulated_excel_project_is_read_as_excel_would_read_it(workspace):
    original = zipfile.ZipFile(_control(workspace)).read("xl/vbaProject.bin")
    resaved = excel_resaved(original, _sheet_count(_control(workspace)))
    ours, theirs = read_modules(original), read_modules(resaved)
    assert set(theirs) == set(ours) | {f"Sheet{i}" for i in range(3, _sheet_count(_control(workspace)) + 1)}
    assert "Dim Result As Variant" in theirs["GuishangCommon"].source  # re-cased, and still the same code
    assert theirs["GuishangCommon"].normalised() == ours["GuishangCommon"].normalised()


def test_sign_keeps_the_signature_and_later_control_workbooks_carry_it(workspace, tmp_path, capsys):
    signed = signed_workbook(_control(workspace), tmp_path / "市级控制台（已签名）.xlsm")
    assert main(["excel", "sign", "--workspace", str(workspace.root), str(signed)]) == 0
    assert "已导入" in capsys.readouterr().out
    kept = signing.stored_signature(workspace)
    assert kept.signature == SIGNATURE
    assert signing.stored_info(workspace).source == signed.name

    assert main(["excel", "workbook", "--workspace", str(workspace.root), "--period", "2022-06"]) == 0
    assert "带有本单位的数字签名" in capsys.readouterr().out
    with zipfile.ZipFile(_control(workspace)) as archive:
        assert archive.read("xl/vbaProjectSignature.bin") == SIGNATURE
        assert archive.read("xl/vbaProject.bin") == kept.project  # the signed bytes, untouched
        rels = archive.read("xl/_rels/vbaProject.bin.rels").decode()
        assert f'Type="{SIGNATURE_REL_TYPE}"' in rels and 'Target="vbaProjectSignature.bin"' in rels
        types = archive.read("[Content_Types].xml").decode()
        assert re.search(r'PartName="/xl/vbaProjectSignature.bin" ContentType="' + re.escape(SIGNATURE_CONTENT_TYPE), types)
        assert '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' in types
    parser = VBA_Parser(str(_control(workspace)))  # an independent reader finds our modules in the signed project
    try:
        found = {Path(name).stem for _, _, name, _ in parser.extract_macros()}
    finally:
        parser.close()
    assert {"GuishangCommon", "GuishangCity", "GuishangFunctions", "xlwings"} <= found


def test_a_workbook_without_a_signature_is_refused_with_the_steps(workspace, tmp_path):
    unsigned = signed_workbook(_control(workspace), tmp_path / "未签名.xlsm", signature=False)
    with pytest.raises(UserError, match="数字签名.*工具 → 数字签名"):
        signing.sign_control_workbook(workspace, unsigned)
    assert signing.stored_signature(workspace) is None


@pytest.mark.parametrize("change,expected", [
    (dict(edit=("GuishangCity", lambda s: s.replace("GsRun", "GsRun2", 1))), "模块 GuishangCity 的代码与本版工具不同"),
    (dict(edit=("Sheet1", lambda s: s + "Sub Hidden()\r\nEnd Sub\r\n")), "Sheet1 中有代码"),
    (dict(drop="GuishangFunctions"), "缺少模块 GuishangFunctions"),
])
def test_a_signed_project_with_other_macros_is_refused(workspace, tmp_path, change, expected):
    original = zipfile.ZipFile(_control(workspace)).read("xl/vbaProject.bin")
    project = excel_resaved(original, _sheet_count(_control(workspace)), **change)
    signed = signed_workbook(_control(workspace), tmp_path / "改过.xlsm", project=project)
    with pytest.raises(UserError, match=re.escape(expected)):
        signing.sign_control_workbook(workspace, signed)
    assert signing.stored_signature(workspace) is None


def test_a_signature_for_another_sheet_layout_is_refused(workspace, tmp_path):
    original = zipfile.ZipFile(_control(workspace)).read("xl/vbaProject.bin")
    project = excel_resaved(original, _sheet_count(_control(workspace)) - 1)
    signed = signed_workbook(_control(workspace), tmp_path / "旧版.xlsm", project=project)
    with pytest.raises(UserError, match="缺少工作表模块"):
        signing.sign_control_workbook(workspace, signed)


def test_when_the_macros_change_the_control_workbook_is_written_unsigned_and_says_why(workspace, tmp_path,
                                                                                  monkeypatch, capsys):
    signing.sign_control_workbook(workspace, signed_workbook(_control(workspace), tmp_path / "签名.xlsm"))
    changed = tmp_path / "macros"
    changed.mkdir()
    for bas in macro_workbook.macros_dir().glob("*.bas"):
        text = bas.read_bytes()
        if bas.stem == "GuishangCity":
            text = text.replace(b"GsRun", b"GsRunNew", 1)
        (changed / bas.name).write_bytes(text)
    monkeypatch.setattr(macro_workbook, "macros_dir", lambda: changed)  # a newer version of the tool
    macro_workbook.vba_project.cache_clear()
    try:
        assert main(["excel", "workbook", "--workspace", str(workspace.root)]) == 0
        assert "重新签名" in capsys.readouterr().out
        with zipfile.ZipFile(_control(workspace)) as archive:
            assert "xl/vbaProjectSignature.bin" not in archive.namelist()
            assert b"GsRunNew" in decompress(olefile.OleFileIO(io.BytesIO(archive.read("xl/vbaProject.bin")))
                                              .openstream("VBA/GuishangCity").read())
    finally:
        macro_workbook.vba_project.cache_clear()
