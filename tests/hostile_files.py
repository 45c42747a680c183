"""The corpus of broken and hostile inputs, generated here (nothing binary is checked in).

Each maker writes one file (or folder) into ``folder`` and returns its path. Most start from a real,
correct county workbook of 天元区 for 2022-06 and then break it the way a clerk, a mail gateway or an
attacker would: at the byte level (zip), in its XML parts, or through openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

from county_files import entry, firm, write_report

COUNTY, PERIOD = "天元区", "2022-06"
ENTRIES_SHEET = "新增入规企业"
BOMB_BYTES = 1100 * 1024 * 1024  # what the zip bomb's sheet expands to: more than a gigabyte
SECRET = "guishang-secret-4f7d1c"  # the content of the local file the external entity points at


def base_report(folder: Path, policy, name: str | None = None, names: tuple[str, ...] = ()) -> Path:
    """A correct county workbook; ``names`` (one per row) replace the default enterprise names."""
    rows = [entry(firm(policy, COUNTY, n + 1), "2022-02") for n in range(max(2, len(names)))]
    for row, name_ in zip(rows, names):
        row["name"] = name_
    folder.mkdir(parents=True, exist_ok=True)
    return write_report(folder, policy, COUNTY, PERIOD, rows, name=name)


def rewrite_parts(path: Path, changes: dict) -> None:
    """Rewrite the archive with some parts changed: ``changes`` maps a part name to a function of its bytes."""
    source = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename in changes:
                data = changes[info.filename](data)
            new.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


def entries_part(path: Path) -> str:
    """The XML part holding the new-entries sheet."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet [^>]*name="{ENTRIES_SHEET}"[^>]*r:id="(\w+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    target = target.group(1)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


# --- broken at the byte level
def not_a_zip(folder: Path, policy) -> Path:
    path = folder / f"{COUNTY}_{PERIOD}_图片.xlsx"
    path.write_bytes(b"GIF89a\x01\x00\x01\x00" + bytes(range(256)) * 8)
    return path


def truncated_zip(folder: Path, policy) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_未传完.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted(folder: Path, policy) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = base_report(folder / "明文", policy)
    path = folder / f"{COUNTY}_{PERIOD}_加密.xlsx"
    with plain.open("rb") as source, path.open("wb") as out:
        OOXMLFile(source).encrypt("1234", out)
    return path


def old_xls(folder: Path, policy) -> Path:
    """An Excel 97-2003 file as far as its container goes (a compound file with a Workbook stream)."""
    from toolkit.adapters.vba.compound_file import Storage, write

    root = Storage({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\x00" * 4096})
    path = folder / f"{COUNTY}_{PERIOD}_旧版.xlsx"
    path.write_bytes(write(root))
    return path


def csv_renamed(folder: Path, policy) -> Path:
    path = folder / f"{COUNTY}_{PERIOD}_导出.xlsx"
    path.write_bytes("统一社会信用代码,企业名称,主营业务收入（万元）\n91430211MA4L00001X,株洲恒达,2600\n".encode("gb18030"))
    return path


def _bomb(folder: Path, policy, *, lie: bool) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_{'谎报' if lie else ''}炸弹.xlsx")
    part = entries_part(path)
    source = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                     compresslevel=1) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename != part:
                new.writestr(info.filename, data)
                continue
            member = zipfile.ZipInfo(part)
            member.compress_type = zipfile.ZIP_DEFLATED
            with new.open(member, "w", force_zip64=True) as stream:
                stream.write(data)  # the real sheet, then whitespace after its root element (legal XML)
                block = b" " * (4 << 20)
                for _ in range(BOMB_BYTES // len(block)):
                    stream.write(block)
            if lie:  # the central directory claims the sheet is as small as it was
                new.filelist[-1].file_size = len(data)
    path.write_bytes(out.getvalue())
    return path


def zip_bomb(folder: Path, policy) -> Path:
    return _bomb(folder, policy, lie=False)


def zip_bomb_that_lies(folder: Path, policy) -> Path:
    return _bomb(folder, policy, lie=True)


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + "]>")


def _with_doctype(doctype: str, reference: str):
    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        head, _, rest = text.partition("?>")
        rest = rest.replace("PH-NAME-1", reference, 1)
        return (head + "?>" + doctype + rest).encode("utf-8")
    return change


def billion_laughs(folder: Path, policy) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_实体.xlsx", names=("PH-NAME-1", "株洲正常"))
    rewrite_parts(path, {"xl/sharedStrings.xml": _with_doctype(_LAUGHS, "&lol9;")})
    return path


def external_entity(folder: Path, policy) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_外部实体.xlsx", names=("PH-NAME-1", "株洲正常"))
    doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    rewrite_parts(path, {"xl/sharedStrings.xml": _with_doctype(doctype, "&xxe;")})
    return path


# --- readable, but with content that must never come alive in an output
HOSTILE_NAMES = ('=HYPERLINK("http://evil.invalid/x","点我领奖")', "=cmd|' /C calc'!A0", "+1+1株洲", "-2+3株洲",
                 "@SUM(A1)株洲", "<w:fldSimple w:instr=\"HYPERLINK http://evil.invalid\"/>株洲&公司")


FORMULA_SHOWS = "株洲公式企业有限公司"  # what the real formula cell displays (its cached value)


def formulas_and_injections(folder: Path, policy) -> Path:
    """Names that look like formulas, a DDE payload, and a REAL formula cell (with its cached value)."""
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_公式.xlsx", names=(*HOSTILE_NAMES, "PH-FORMULA"))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[ENTRIES_SHEET]
    target = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "PH-FORMULA")
    target.value = "=PLACEHOLDER()"
    workbook.save(path)
    part = entries_part(path)

    def live_formula(data: bytes) -> bytes:
        shown = FORMULA_SHOWS.encode("utf-8")
        return re.sub(rb'(<c r="[A-Z]+\d+")[^>]*><f>PLACEHOLDER\(\)</f><v\s*/?>(?:</v>)?',
                      lambda m: m.group(1) + b' t="str"><f>HYPERLINK("http://evil.invalid/y","' + shown + b'")</f><v>'
                      + shown + b"</v>", data)
    rewrite_parts(path, {part: live_formula})
    return path


def long_and_invisible_text(folder: Path, policy) -> Path:
    """A 40,000-character name, a name with a bell and a right-to-left override, an emoji name."""
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_长文本.xlsx",
                       names=("PH-NAME-1", "PH-NAME-2", "株洲😀表情包科技有限公司"))

    def change(data: bytes) -> bytes:
        return (data.replace(b"PH-NAME-1", ("株洲超长" * 10_000).encode("utf-8"))
                .replace(b"PH-NAME-2", "株洲_x0007_恒达\u202e司公限有".encode("utf-8")))
    rewrite_parts(path, {"xl/sharedStrings.xml": change})
    return path


def merged_and_hidden(folder: Path, policy) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_合并隐藏.xlsx", names=("甲公司", "乙公司", "丙公司"))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[ENTRIES_SHEET]
    sheet.merge_cells("C4:C5")  # 入规类型 typed once for two rows
    sheet.row_dimensions[6].hidden = True
    workbook.save(path)
    return path


def million_rows(folder: Path, policy) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_百万行.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook[ENTRIES_SHEET].cell(1_048_576, 1).value = "x"
    workbook.save(path)
    return path


def many_sheets(folder: Path, policy) -> Path:
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_多表.xlsx")
    workbook = openpyxl.load_workbook(path)
    for number in range(300):
        workbook.create_sheet(f"副本{number}")
    workbook.save(path)
    return path


def lock_file(folder: Path, policy) -> Path:
    path = folder / f"~${COUNTY}_{PERIOD}_规上工业企业报表.xlsx"
    path.write_bytes(b"\x08lock\x00" + "李晓华".encode("utf-16-le") + b"\x00" * 100)
    return path


def folder_named_xlsx(folder: Path, policy) -> Path:
    path = folder / f"{COUNTY}_{PERIOD}_文件夹.xlsx"
    path.mkdir(parents=True)
    return path


MAKERS = {
    "不是压缩包": (not_a_zip, "不是 Excel 工作簿"),
    "压缩包不完整": (truncated_zip, "已损坏"),
    "加密": (encrypted, "密码"),
    "旧版xls": (old_xls, "另存为"),
    "CSV改名": (csv_renamed, "CSV"),
    "压缩炸弹": (zip_bomb, "解压后超过上限"),  # 500 MB from the command line, 100 MB on the workbench
    "谎报大小的压缩炸弹": (zip_bomb_that_lies, "解压后超过上限"),
    "实体膨胀": (billion_laughs, "DTD"),
    "外部实体": (external_entity, "DTD"),
    "百万行": (million_rows, "200,000 行"),
    "数百个工作表": (many_sheets, "100 个"),
    "锁定文件": (lock_file, "不是 Excel 工作簿"),
    "名为xlsx的文件夹": (folder_named_xlsx, "文件夹"),
}
"""Files that cannot be taken in at all: the maker and a phrase the message must contain."""

READABLE = {
    "公式与注入": formulas_and_injections,
    "超长与不可见字符": long_and_invisible_text,
    "合并单元格与隐藏行": merged_and_hidden,
}
"""Files that are read, whose content must be reported and never come alive in an output."""


def pasted_sheet(folder: Path, policy, rows: int, columns: int = 20) -> Path:
    """A report whose entries sheet had a large table pasted below its rows: legal on the outside (a few MB, its
    sizes declared honestly, under every row and cell limit), costly to read and check (``rows`` x ``columns``
    numbers, each row a finding or more)."""
    path = base_report(folder, policy, name=f"{COUNTY}_{PERIOD}_粘贴大表.xlsx")
    letters = [chr(65 + i) for i in range(columns)]

    def change(data: bytes) -> bytes:
        body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
                       for r in range(100, 100 + rows))
        return data.replace(b"</sheetData>", body.encode("ascii") + b"</sheetData>")

    rewrite_parts(path, {entries_part(path): change})
    return path
