"""Proofs, on Linux, of the macro workbooks (.xlsm): what Excel itself would run cannot be tested here,
so everything around it is — the VBA project's bytes, its modules, the buttons' bindings, the Python
functions the macros call, and two independent readers (oletools, LibreOffice)."""

from __future__ import annotations

import inspect
import io
from importlib import resources
import re
import zipfile
from importlib import import_module
from pathlib import Path

import olefile
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from conftest import ROOT, examples
from toolkit.adapters.vba import compound_file
from toolkit.adapters.vba.compression import compress, decompress
from toolkit.adapters.vba.project import BASE_WORKBOOK, Module, ProjectError, build_project
from toolkit.domain.buttons import (CITY_BUTTONS, CITY_VBA_MODULES, COUNTY_BUTTONS, COUNTY_VBA_MODULES,
                                    VBA_MESSAGES)
from toolkit.domain.periods import Period
from toolkit.excel.udfs import vba_wrappers
from toolkit.services.control_book import write_control_workbooks
from toolkit.services.deployment import pinned_xlwings, workbook_xlwings
from toolkit.services.templates import make_templates
from toolkit.services.workspace import init_workspace

MACROS = ROOT / "macros"
BASE_MODULES = ("ThisWorkbook", "Sheet1", "Sheet2", "xlwings", "Dictionary")  # kept from xlwings' project


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, policy):
    """The county template and the city control workbook, macro editions, as the product writes them."""
    folder = tmp_path_factory.mktemp("xlsm")
    county = make_templates(policy, Period.parse("2022-06"), [policy.counties[0]], folder / "模板", macros=True)
    workspace, _ = init_workspace(folder / "工作区")
    city = write_control_workbooks(workspace).paths
    return {"county": next(p for p in county if p.suffix == ".xlsm"),
            "city": next(p for p in city if p.suffix == ".xlsm")}


EXPECTED = {"county": (COUNTY_VBA_MODULES, COUNTY_BUTTONS), "city": (CITY_VBA_MODULES, CITY_BUTTONS)}


def _modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


# --- the codec and the container -----------------------------------------------------------------------
@settings(max_examples=examples(60), deadline=None)
@given(st.one_of(st.binary(max_size=12000),
                 st.text(alphabet="Dim x As String = \"abc\"\r\n'EndSub()", max_size=20000).map(str.encode)))
def test_compression_round_trips_through_oletools(data):
    packed = compress(data)
    assert decompress_stream(bytearray(packed)) == data  # an independent decompressor
    assert decompress(packed) == data


def test_compression_of_a_large_module_is_exact():
    source = (MACROS / "GuishangCommon.bas").read_bytes() * 20  # ~80 KB: where ms-ovba 0.0.1 garbles
    assert decompress_stream(bytearray(compress(source))) == source


def test_compound_file_reads_back_with_olefile():
    root = compound_file.Storage()
    root.children["tiny"] = b"x"
    root.children["empty"] = b""
    root.children["big"] = bytes(range(256)) * 100  # regular sectors
    sub = compound_file.Storage()
    for i in range(37):  # enough siblings for a deep red-black tree
        sub.children[f"s{i}"] = bytes([i]) * (i * 113)
    root.children["VBA"] = sub
    data = compound_file.write(root)
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("tiny").read() == b"x"
    assert ole.openstream("big").read() == bytes(range(256)) * 100
    assert ole.get_size("empty") == 0
    for i in range(37):
        assert ole.openstream(f"VBA/s{i}").read() == bytes([i]) * (i * 113)
    assert len(ole.listdir()) == 3 + 37


# --- the VBA sources ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(MACROS.glob("*.bas")), ids=lambda p: p.name)
def test_vba_source_is_ascii_with_crlf_and_names_itself(path):
    module = Module.from_bas(path)
    module.check()  # ASCII only, CRLF, first line Attribute VB_Name
    assert module.name == path.stem


@pytest.mark.parametrize("path", sorted(MACROS.glob("*.bas")), ids=lambda p: p.name)
def test_vba_lines_fit_the_vba_editor(path):
    # the VBA editor refuses a physical line longer than 1,023 characters (our messages are long hex strings)
    assert max(len(line) for line in path.read_bytes().decode("ascii").split("\r\n")) <= 1023


def test_a_python_that_cannot_start_gets_its_own_message_naming_the_command_line():
    source = (MACROS / "GuishangCommon.bas").read_bytes().decode("ascii")
    # Run raising an error (Excel may not start programs: Defender rule, antivirus) is told apart from a
    # Python that starts but lacks guishang; RunPython failing to start is caught as well
    assert re.search(r"On Error GoTo blocked\r\n.*?blocked:\r\n\s+GsPythonStatus = PYTHON_BLOCKED", source, re.S)
    assert re.search(r"Case PYTHON_BLOCKED\r\n\s+MsgBox GsText\(MSG_BLOCKED\)", source)
    assert re.search(r"Case PYTHON_MISSING\r\n\s+MsgBox GsText\(MSG_NO_PYTHON\)", source)
    assert re.search(r"On Error GoTo notStarted\r\n\s+result = RunPython", source)
    # the interpreter is checked once per Excel session, not before every press (one Python start per press);
    # a failed run clears it so that the next press checks again
    assert re.search(r"If Not pythonChecked Then\r\n\s+Select Case GsPythonStatus\(\)", source)
    assert re.search(r"End Select\r\n\s+pythonChecked = True", source)
    assert re.search(r"If result <> 0 Then\r\n\s+pythonChecked = False", source)
    assert re.search(r"notStarted:\r\n.*?\r\n\s+pythonChecked = False", source)
    for key in ("MSG_BLOCKED", "MSG_NO_PYTHON"):
        assert "guishang --help" in VBA_MESSAGES[key] and "命令提示符" in VBA_MESSAGES[key]
    assert "阻止所有 Office 应用程序创建子进程" in VBA_MESSAGES["MSG_BLOCKED"]


def test_vba_messages_decode_to_the_chinese_text():
    source = (MACROS / "GuishangCommon.bas").read_text("ascii")
    for key, text in VBA_MESSAGES.items():
        codes = re.search(rf'Private Const {key} As String = "([0-9A-F ]+)"', source).group(1)
        assert "".join(chr(int(c, 16)) for c in codes.split()) == text


def test_worksheet_function_wrappers_are_generated_from_python():
    assert (MACROS / "GuishangFunctions.bas").read_bytes() == vba_wrappers()


def test_non_ascii_or_clashing_modules_are_refused():
    with pytest.raises(ProjectError):
        build_project([Module("Bad", 'Attribute VB_Name = "Bad"\r\nMsgBox "校验"\r\n'.encode("utf-8"))])
    with pytest.raises(ProjectError):
        build_project([Module("xlwings", b'Attribute VB_Name = "xlwings"\r\n')])


# --- the workbooks ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["county", "city"])
def test_olevba_extracts_every_module_identical_to_its_source(workbooks, kind):
    modules = _modules(workbooks[kind])
    ours, _ = EXPECTED[kind]
    assert set(modules) == set(ours) | set(BASE_MODULES)
    for name in ours:
        assert modules[name].encode("ascii") == (MACROS / f"{name}.bas").read_bytes()
    base = _modules(Path(str(resources.files("xlwings").joinpath(BASE_WORKBOOK))))
    for name in BASE_MODULES:  # xlwings' own modules, untouched
        assert modules[name] == base[name]
    assert "SampleCall" not in "".join(modules.values())  # the quickstart's sample module is gone


@pytest.mark.parametrize("kind", ["county", "city"])
def test_every_button_is_bound_to_a_macro_that_exists(workbooks, kind):
    modules = _modules(workbooks[kind])
    subs = {name for code in modules.values() for name in re.findall(r"(?m)^Public Sub (\w+)\(\)", code)}
    with zipfile.ZipFile(workbooks[kind]) as archive:
        vml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".vml"))
    bound = re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    _, buttons = EXPECTED[kind]
    assert sorted(bound) == sorted(b.macro for b in buttons)
    assert set(bound) <= subs
    for button in buttons:
        assert button.caption in vml


@pytest.mark.parametrize("kind", ["county", "city"])
def test_every_runpython_call_names_an_existing_function(workbooks, kind):
    modules = _modules(workbooks[kind])
    common = modules["GuishangCommon"]
    # GsRun builds: import <module> as gs; gs.<function>(vba_xlwings='<XLWINGS_VERSION>')
    assert re.search(r'RunPython\("import " & moduleName & " as gs; gs\." & functionName & '
                     r'"\(vba_xlwings=\'" & XLWINGS_VERSION & "\'\)"\)', common)
    calls = [c for code in modules.values() for c in re.findall(r'GsRun "([\w.]+)", "(\w+)"', code)]
    _, buttons = EXPECTED[kind]
    assert sorted(calls) == sorted((b.module, b.function) for b in buttons)
    for module_name, function_name in calls:
        function = getattr(import_module(module_name), function_name)
        parameters = inspect.signature(function).parameters
        assert list(parameters) == ["vba_xlwings", "book"]
        assert parameters["book"].kind is inspect.Parameter.KEYWORD_ONLY


def test_udf_wrappers_call_existing_python_functions(workbooks):
    code = _modules(workbooks["city"])["GuishangFunctions"]
    calls = re.findall(r'XLPy\.CallUDF\("([\w.]+)", "(\w+)", Array\(([^)]*)\)', code)
    assert len(calls) == 4
    for module_name, name, arguments in calls:
        function = getattr(import_module(module_name), name)
        assert [a.strip() for a in arguments.split(",")] == [
            "Nothing" if p == "caller" else p for p in inspect.signature(function).parameters]


def test_county_workbook_has_no_worksheet_functions(workbooks):
    assert "CallUDF" not in "".join(v for k, v in _modules(workbooks["county"]).items() if k != "xlwings")
    with zipfile.ZipFile(workbooks["county"]) as archive:
        sheets = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "GS_" not in sheets


@pytest.mark.parametrize("kind", ["county", "city"])
def test_vba_expects_the_pinned_xlwings(workbooks, kind):
    assert workbook_xlwings(workbooks[kind]) == pinned_xlwings()
    import xlwings

    assert xlwings.__version__ == pinned_xlwings()


@pytest.mark.parametrize("kind", ["county", "city"])
def test_openpyxl_round_trip_keeps_the_vba_project_byte_identical(workbooks, kind, tmp_path):
    workbook = openpyxl.load_workbook(workbooks[kind], keep_vba=True)
    copy = tmp_path / "copy.xlsm"
    workbook.save(copy)
    with zipfile.ZipFile(workbooks[kind]) as a, zipfile.ZipFile(copy) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


@pytest.mark.parametrize("kind", ["county", "city"])
def test_libreoffice_imports_the_modules_and_binds_the_buttons(workbooks, kind, soffice, tmp_path):
    source = tmp_path / f"{kind}.xlsm"
    source.write_bytes(workbooks[kind].read_bytes())
    result = soffice(source, "ods", tmp_path)
    ods = tmp_path / f"{kind}.ods"
    assert ods.exists(), result.stderr
    ours, buttons = EXPECTED[kind]
    with zipfile.ZipFile(ods) as archive:
        for name in ours:
            module = archive.read(f"Basic/VBAProject/{name}.xml").decode("utf-8")
            assert "Option Explicit" in module or "Function" in module  # a module with its code, not empty
        content = archive.read("content.xml").decode("utf-8")
    for button in buttons:
        module = "GuishangCounty" if kind == "county" else "GuishangCity"
        assert f"vnd.sun.star.script:VBAProject.{module}.{button.macro}?language=Basic" in content
