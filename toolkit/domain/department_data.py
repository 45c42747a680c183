"""Other departments' data for 应入尽入, read as the departments send it: the tax office's monthly declared sales,
the market-registration extract and the power company's monthly use.

A file holds one table, with title rows and notes above it and totals or notes below. ``find_header`` finds the
header row (the first row that has every key column of a kind); ``read_table`` maps its columns by the
departments' own names (``FIELDS``: aliases in order of preference), decides the sales unit (元 or 万元, from the
column's title or a 单位 note above the table — never guessed), and reads the rows into records. It refuses, with a
message naming file, sheet, row and column and what to do, a file whose unit or key column cannot be told, a code
that is not a credit code (an ID-card number, a code read as a number), a month given twice for one taxpayer or
account, or a total row amid the data. Records are plain tuples (see ``COLUMNS``), the way the store keeps them.

Pure: the adapter (``toolkit/adapters/department_files.py``) reads the bytes; columns come in column-major, as a
columnar reader gives them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum

import polars as pl

from toolkit.domain.findings import column_letters
from toolkit.domain.uscc import ALPHABET, check_uscc


class Kind(str, Enum):
    TAX = "tax"
    REGISTRATION = "registration"
    POWER = "power"


KIND_LABEL = {Kind.TAX: "税务申报销售额", Kind.REGISTRATION: "市场监管登记信息", Kind.POWER: "电力用电量"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]  # in order of preference: the first present is taken
    required: bool = True


FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.TAX: (
        Field("code", "纳税人识别号", ("纳税人识别号", "统一社会信用代码", "社会信用代码", "纳税人识别号/统一社会信用代码")),
        Field("name", "纳税人名称", ("纳税人名称", "企业名称", "名称")),
        Field("month", "所属期", ("所属期", "税款所属期", "所属月份", "税款所属期起", "申报所属期")),
        Field("sales", "销售额", ("销售额", "申报销售额", "开票销售额", "应税销售额")),
        Field("industry", "国标行业", ("国标行业", "行业", "所属行业", "国标行业代码", "行业代码"), required=False),
        Field("status", "登记状态", ("登记状态", "纳税人状态"), required=False),
    ),
    Kind.REGISTRATION: (
        Field("code", "统一社会信用代码", ("统一社会信用代码", "社会信用代码", "信用代码")),
        Field("name", "名称", ("名称", "企业名称", "市场主体名称", "主体名称")),
        Field("established", "成立日期", ("成立日期", "成立时间")),
        Field("status", "登记状态", ("登记状态", "经营状态", "企业状态")),
        Field("address", "住所", ("住所", "地址", "住所(经营场所)", "经营场所"), required=False),
        Field("authority", "登记机关", ("登记机关",), required=False),
        Field("scope", "经营范围", ("经营范围",), required=False),
    ),
    Kind.POWER: (
        Field("account", "户号", ("户号", "用电户号", "用户编号", "客户编号")),
        Field("name", "户名", ("户名", "用户名称", "客户名称", "用电户名")),
        Field("code", "统一社会信用代码", ("统一社会信用代码", "社会信用代码"), required=False),
        Field("month", "月份", ("月份", "电费年月", "抄表年月", "用电年月", "年月")),
        Field("kwh", "用电量", ("用电量", "月用电量", "结算电量", "电量")),
    ),
}

# the record each kind keeps, in order (the store's columns)
COLUMNS: dict[Kind, tuple[str, ...]] = {
    Kind.TAX: ("code", "name", "month", "sales_wan", "industry", "status", "row"),
    Kind.REGISTRATION: ("code", "name", "established", "status", "address", "authority", "scope", "row"),
    Kind.POWER: ("account", "name", "code", "month", "kwh", "row"),
}

HEADER_SEARCH_ROWS = 30  # a table's header is within its first rows (titles and notes above it)
MAX_PROBLEMS = 200  # a file that is wrong everywhere is refused with its first problems
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "总和")
NOTE_WORDS = ("注", "说明", "备注", "填表", "制表", "数据来源", "单位", "审核", "负责人")
WAN = Decimal(10000)


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


@dataclass
class DepartmentTable:
    """One department file as read: what was taken for what, and its records (or why it is refused)."""

    file: str
    sheet: str = ""
    encoding: str = ""  # csv: the encoding the text was read in
    kind: Kind | None = None
    taken: dict[str, str] = field(default_factory=dict)  # field label -> the file's column (its title and place)
    unit: str = ""  # tax: 元 | 万元 (sales as given; stored in 万元); power: kWh | 万kWh
    unit_from: str = ""  # where the unit was read
    header_row: int = 0  # 1-based
    frame: pl.DataFrame | pl.LazyFrame | None = None  # the records, a column each (``COLUMNS[kind]``); lazy
    # over the batches kept when the file was read a batch at a time; None when refused early
    count: int = 0  # records
    month_range: tuple[str, str] | None = None
    skipped: list[str] = field(default_factory=list)  # totals and notes below the table, left out
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.count

    @property
    def records(self) -> list[tuple]:
        """The records as tuples (``COLUMNS[kind]``): for a look at a few; the store takes ``frame``."""
        return [] if self.frame is None else self.frame.lazy().collect().rows()

    @property
    def months(self) -> tuple[str, str] | None:
        return None if self.kind is None or self.kind is Kind.REGISTRATION else self.month_range


def records_of(tables: list[DepartmentTable]) -> pl.DataFrame | pl.LazyFrame | None:
    """The records of a file's tables (its sheets) as one frame (lazy when one was read a batch at a time)."""
    frames = [table.frame for table in tables if table.frame is not None]
    if any(isinstance(frame, pl.LazyFrame) for frame in frames):
        return pl.concat([frame.lazy() for frame in frames])
    return pl.concat(frames) if frames else None


@dataclass(frozen=True)
class ImportedFile:
    """The journal's line for one department file imported (the store's ``department_files``)."""

    sha256: str
    file_name: str
    kind: Kind
    sheets: str  # the sheets read, "、"-joined ('' for a csv)
    encoding: str
    unit: str
    unit_from: str
    columns: dict[str, str]  # field label -> the file's column
    first_month: str
    last_month: str
    rows: int
    imported_at: str


# the key that says which firm's (account's) month a row gives: a row given again in a later file stands for it
ROW_KEYS: dict[Kind, tuple[str, ...]] = {Kind.TAX: ("code", "month"), Kind.POWER: ("account", "month"),
                                          Kind.REGISTRATION: ("code",)}


def _months_shared(earlier: ImportedFile, later: ImportedFile) -> tuple[str, str] | None:
    """The months two files of one kind both cover (registration: always shared, it has no months)."""
    if earlier.kind is Kind.REGISTRATION:
        return ("", "")
    if not (earlier.first_month and later.first_month):
        return None
    first, last = max(earlier.first_month, later.first_month), min(earlier.last_month, later.last_month)
    return (first, last) if first <= last else None


def current_rows(parts: list[pl.LazyFrame], files: list[ImportedFile]) -> pl.LazyFrame:
    """The rows that count of one kind's files (``parts[i]`` the rows of ``files[i]``, in the order imported): a
    taxpayer's month (an account's month, a firm's registration) given again in a later file is taken from the
    later one — a corrected or cumulative extract (1—9月 after 1—6月) replaces what it repeats, never adds to it.
    Files whose months do not overlap are taken whole, unjoined."""
    kept = []
    for i, (part, file) in enumerate(zip(parts, files)):
        later = [j for j in range(i + 1, len(files)) if _months_shared(file, files[j]) is not None]
        if later:
            keys = list(ROW_KEYS[file.kind])
            again = pl.concat([parts[j].select(keys) for j in later]).unique()
            part = part.join(again, on=keys, how="anti", maintain_order="left")
        kept.append(part)
    return pl.concat(kept)


def superseded_notes(files: list[ImportedFile], by: str | None = None) -> list[str]:
    """What ``current_rows`` replaces, said to the user: each pair of one kind's files that overlap (``by``: only
    the pairs whose later file has that SHA-256)."""
    notes = []
    for i, file in enumerate(files):
        for later in files[i + 1:]:
            shared = _months_shared(file, later)
            if shared is None or (by is not None and later.sha256 != by):
                continue
            what = {Kind.TAX: "同一纳税人同一月份", Kind.POWER: "同一用电户同一月份",
                    Kind.REGISTRATION: "同一企业"}[file.kind]
            months = f"{shared[0]}至{shared[1]}" if shared[0] != shared[1] else shared[0]
            overlap = f"月份重叠（{months}）" if shared[0] else "有重复的企业"
            notes.append(f"{KIND_LABEL[file.kind]}“{file.file_name}”与其后导入的“{later.file_name}”{overlap}："
                         f"{what}以后导入的文件为准（更正或累计的数据替换原数据，不重复相加）。")
    return notes

# --- text of cells and headers -------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "：": ":"})
_UNIT_IN_TITLE = re.compile(r"^(.*?)\((.*?)\)$")
_UNIT_NOTE = re.compile(r"单位:?(万元|元)")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return _SPACES.sub("", str(value)) if isinstance(value, str) else str(value)


def normal_title(value) -> tuple[str, str]:
    """A column title as (name, what its brackets say): 申报销售额（万元） -> (申报销售额, 万元)."""
    text = cell_text(value).translate(_BRACKETS).lower()
    match = _UNIT_IN_TITLE.match(text)
    if match and match.group(1):
        return match.group(1), match.group(2)
    return text, ""


def _match(titles: list[tuple[str, str]], spec: Field) -> int | None:
    names = [name for name, _ in titles]
    for alias in spec.aliases:
        alias = alias.translate(_BRACKETS).lower()
        if alias in names:
            return names.index(alias)
        if alias in [f"{name}({inside})" for name, inside in titles]:  # 住所(经营场所) as one name
            return [f"{name}({inside})" for name, inside in titles].index(alias)
    return None


def mapping(row: list, kind: Kind) -> dict[str, int]:
    """Field key -> column index for the fields of ``kind`` this header row has."""
    titles = [normal_title(value) for value in row]
    found = {}
    for spec in FIELDS[kind]:
        at = _match(titles, spec)
        if at is not None and at not in found.values():
            found[spec.key] = at
    return found


def missing(found: dict[str, int], kind: Kind) -> list[str]:
    return [spec.label for spec in FIELDS[kind] if spec.required and spec.key not in found]


def find_header(rows: list[list], kind: Kind | None = None) -> tuple[int, Kind] | None:
    """(0-based header row, kind): the first of the first rows that has every key column of a kind (of ``kind``
    when given) — alone or with the row below it when the header is two rows (``header_titles``). None when no
    row has; ``why_no_header`` says what is missing."""
    kinds = [kind] if kind else list(Kind)
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        titles, _ = header_titles(rows, index)
        complete = [k for k in kinds if not missing(mapping(titles, k), k)]
        if len(complete) == 1:
            return index, complete[0]
        if len(complete) > 1:
            raise AmbiguousKind(complete)
    return None


def header_titles(rows: list[list], index: int) -> tuple[list, int]:
    """The column titles of a header starting at ``rows[index]`` and how many rows it takes (1 or 2).

    A two-row header (merged cells, as tax systems export): titles spanning both rows stand in the top row only,
    and a group title spans several columns of the row below (销售额（万元） over 申报销售额 and 其中：免税销售额). The row
    below is a sub-header when every filled cell is a title (Chinese, no digit) and one stands under an empty top
    cell (and the top row is not a title or note of one cell); a column's title is then its own title from below,
    with the unit its group's title gives, else the top's.
    """
    top = list(rows[index])
    below = list(rows[index + 1]) if index + 1 < len(rows) else []
    filled = [(at, cell_text(value)) for at, value in enumerate(below) if cell_text(value)]
    if not filled or len([value for value in top if cell_text(value)]) < 2 or \
            not all(_is_title(text) for _, text in filled) or \
            not any(at >= len(top) or not cell_text(top[at]) for at, _ in filled):
        return top, 1
    titles, group = [], ""
    for at in range(max(len(top), len(below))):
        upper = cell_text(top[at]) if at < len(top) else ""
        lower = cell_text(below[at]) if at < len(below) else ""
        group = upper or (group if lower else "")
        unit = normal_title(group)[1]
        titles.append((f"{lower}（{unit}）" if unit and not normal_title(lower)[1] else lower) if lower else upper)
    return titles, 2


def _is_title(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text) and not any(c.isdigit() for c in text)


class AmbiguousKind(Exception):
    def __init__(self, kinds: list[Kind]):
        super().__init__(kinds)
        self.kinds = kinds


def why_no_header(rows: list[list], kind: Kind | None = None) -> str:
    """The key columns missing from the row that came closest to a header, per kind."""
    best: tuple[int, int, Kind] | None = None
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        row, _ = header_titles(rows, index)
        for k in [kind] if kind else list(Kind):
            have = len([key for key in mapping(row, k) if any(s.key == key and s.required for s in FIELDS[k])])
            if have and (best is None or have > best[0]):
                best = (have, index, k)
    if best is None:
        wanted = "；".join(f"{KIND_LABEL[k]}须有“{'”“'.join(s.label for s in FIELDS[k] if s.required)}”"
                          for k in ([kind] if kind else list(Kind)))
        return f"在前 {HEADER_SEARCH_ROWS} 行中找不到表头（{wanted}）。"
    _, index, k = best
    lacking = "”“".join(missing(mapping(header_titles(rows, index)[0], k), k))
    names = "、".join(f"“{a}”" for s in FIELDS[k] if s.label in lacking.split("”“") for a in s.aliases)
    return (f"第 {index + 1} 行像是{KIND_LABEL[k]}的表头，但缺少“{lacking}”列（可用的列名：{names}）。"
            f"请部门补上这一列后重新导出。")


# --- values ---------------------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})(?!\d)")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
# GB 32100-2015: the registering authority (position 1) and the types it may give (position 2)
AUTHORITY_TYPES = {"1": "1239", "2": "19", "3": "123459", "4": "129", "5": "1239", "6": "129", "7": "129",
                   "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1"}
_ID_PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
                 "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
                 "81", "82"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def looks_like_id_card(code: str) -> bool:
    """An 18-character 居民身份证号码: province, a birth date, and its own check character (ISO 7064 MOD 11-2)."""
    if len(code) != 18 or not code[:17].isdigit() or code[17] not in "0123456789X" or code[:2] not in _ID_PROVINCES:
        return False
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    check = "10X98765432"[sum(int(c) * w for c, w in zip(code, _ID_WEIGHTS)) % 11]
    return check == code[17]


def code_problem(value) -> str | None:
    """Why ``value`` is not a credit code (统一社会信用代码 / 纳税人识别号), or None. Never repaired."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f"以数字形式保存（读出为 {value:.6g}），18 位代码的后几位已经丢失，无法恢复。"
                "请部门把这一列设为文本格式后重新导出（不要在 Excel 中打开后另存）。")
    code = cell_text(value).upper()
    if _SCIENTIFIC.match(code):
        return (f"是科学计数法“{code}”，18 位代码的后几位已经丢失，无法恢复。"
                "请部门把这一列设为文本格式后重新导出（不要在 Excel 中打开后另存）。")
    if code[:1] != "9" and looks_like_id_card(code):
        return "是居民身份证号码，不是统一社会信用代码（个人不是法人单位）。请部门核对该行，给出单位的统一社会信用代码。"
    if len(code) != 18:
        return f"“{code}”不是 18 位统一社会信用代码（现为 {len(code)} 位）。请部门核对，不要自行补位。"
    if code[1] not in AUTHORITY_TYPES.get(code[0], ""):
        return (f"“{code}”第 1—2 位“{code[:2]}”不是登记管理部门和机构类别代码（企业为 91、92、93）。"
                "可能是身份证号码或抄错，请部门核对。")
    if not code[2:8].isdigit():
        return f"“{code}”第 3—8 位“{code[2:8]}”不是登记管理机关的行政区划代码（应为 6 位数字）。请部门核对。"
    problem = check_uscc(code)
    if problem is not None and problem.code in ("E102", "E103"):
        return f"“{code}”的校验位不对，某一位可能抄错了。请部门核对（本工具不会猜测或改正代码）。"
    return None


def month_of(value) -> str | None:
    """YYYY-MM of a 所属期 / 月份 cell: a date, 202403, 2024-03, 2024年3月, 2024-03-01至2024-03-31."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    match = _MONTH.match(cell_text(value))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return f"{year:04d}-{month:02d}" if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def date_of(value) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    text = cell_text(value)
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def number_of(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = cell_text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def sales_unit(title_unit: str, notes: list[str]) -> tuple[str, str] | str:
    """(unit, where it was read) of the sales column, or why it cannot be told."""
    in_title = "万元" if "万元" in title_unit else "元" if "元" in title_unit else ""
    noted = {m.group(1) for note in notes for m in _UNIT_NOTE.finditer(note.translate(_BRACKETS))}
    if in_title and noted and noted != {in_title}:
        return f"销售额列标题注明“{in_title}”，表上方却注明“单位：{'、'.join(sorted(noted))}”，无法判断。请部门核对后重新导出。"
    if in_title:
        return in_title, "列标题"
    if len(noted) == 1:
        return noted.pop(), "表上方的单位说明"
    if len(noted) > 1:
        return "表上方的单位说明同时有“元”和“万元”，无法判断销售额的单位。请部门核对后重新导出。"
    return ("销售额列没有注明单位（元还是万元），无法判断。请部门在列标题中注明，如“申报销售额（元）”或"
            "“销售额（万元）”，或在表上方写明“单位：元”。")


# --- the table, column by column ------------------------------------------------------------------------------
# A province's extract is millions of rows: every check is a polars expression over whole columns (or, for the few
# distinct months and dates, a Python look-up of each distinct value); only rows found wrong, at most MAX_PROBLEMS,
# become Python messages. The messages are the row-by-row reader's, word for word.

_REQUIRED_EMPTY = "为空。每一行都须有这一项；如果这一行是合计或说明，请删去后重新导出。"
_TOTAL_START = re.compile("^(" + "|".join(TOTAL_WORDS) + ")")
_NOTE_START = "^[*※]*(" + "|".join(NOTE_WORDS) + ")"
_CANONICAL = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"  # a number whose text Decimal keeps as it is
_FAST_CODE = "^9[123][0-9]{6}[" + ALPHABET + "]{10}$"  # an enterprise's credit code, but for its check character
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # GB 32100's


def column_name(index: int, csv: bool) -> str:
    """How a message names a 0-based column: “第 3 列” in a csv, “C 列” in a workbook."""
    return f"第 {index + 1} 列" if csv else f"{column_letters(index)} 列"


def _texts(column) -> pl.Series:
    """A column's cells (below its title) as ``cell_text`` gives them; a csv column's text is only rewritten
    when it holds white space."""
    if isinstance(column, pl.Series):
        text = column.cast(pl.Utf8).fill_null("")
        if not text.str.contains(r"[\s\u3000]").any():
            return text
        if not text.str.contains(r"[^\S ]").any():  # plain spaces only (C3311 金属结构制造): a literal replace
            return text.str.replace_all(" ", "", literal=True)
        return text.str.replace_all(r"[\s\u3000]+", "")
    return pl.Series([cell_text(value) for value in column], dtype=pl.Utf8)


def _number_texts(column) -> pl.Series:
    """A column's amounts as text Decimal reads them (a workbook's float by its repr, as ``number_of`` does)."""
    if isinstance(column, pl.Series):
        return _texts(column)
    return pl.Series([repr(v) if isinstance(v, float) else str(v) if isinstance(v, int) and not isinstance(v, bool)
                      else cell_text(v) for v in column], dtype=pl.Utf8)


def _numeric_cells(column) -> pl.Series | None:
    """Which cells a workbook gave as numbers (a code kept as a number has lost digits); None for a csv."""
    if isinstance(column, pl.Series):
        return None
    return pl.Series([isinstance(v, (int, float)) and not isinstance(v, bool) for v in column], dtype=pl.Boolean)


def _by_distinct(texts: pl.Series, function) -> pl.Series:
    """``function`` of every text through its distinct values (months and dates repeat: a province has a few)."""
    distinct = texts.unique()
    return texts.replace_strict(distinct, pl.Series([function(t) for t in distinct], dtype=pl.Utf8),
                                return_dtype=pl.Utf8)


def _codes_valid(upper: pl.Series) -> pl.Series:
    """True where a (distinct) upper-cased code is certainly a credit code ``code_problem`` passes: 9, a type of
    1–3, the area's six digits, GB 32100 characters and the right check character. Others are asked one by one."""
    shape = upper.str.contains(_FAST_CODE)
    frame = pl.DataFrame({"c": upper.str.pad_end(18, "0")})
    values = [pl.col("c").str.slice(i, 1).replace_strict(list(ALPHABET), list(range(31)), default=0,
                                                         return_dtype=pl.Int64) for i in range(18)]
    total = pl.sum_horizontal([v * w for v, w in zip(values, _WEIGHTS)])
    check = frame.select(((31 - total % 31) % 31 == values[17]).alias("ok"))["ok"]
    return shape & check


def _shift(texts: pl.Series, places: int) -> pl.Series:
    """Canonical number texts times 10**places, written as ``f"{Decimal(text) * 10**places:f}"`` (or ``/ 10**-places``)
    writes them: Decimal keeps the exponent it can (12345600.5 元 → 1234.56005 万元, 300000 → 30, 2000.00 → 0.20,
    1.5 万kWh → 15000.0 kWh); a zero keeps its own text. Integer arithmetic on the digits where they fit in 18."""
    if places == 0 or texts.is_empty():
        return texts
    point = texts.str.find(".", literal=True)
    decimals = (texts.str.len_chars().cast(pl.Int64) - point.cast(pl.Int64) - 1).fill_null(0)
    digits = texts.str.replace(".", "", literal=True).str.strip_chars_start("-")
    frame = pl.DataFrame({"t": texts, "d": decimals, "c": digits.cast(pl.Int64, strict=False),
                          "fits": digits.str.len_chars() <= 18, "neg": texts.str.starts_with("-")})
    if places > 0:  # the coefficient grows, the exponent stays
        frame = frame.with_columns(pl.col("c") * 10 ** places, pl.col("d").alias("n"),
                                   (pl.col("fits") & (digits.str.len_chars() + places <= 18)).alias("fits"))
    else:  # the exponent drops by -places, then trailing zeros go, as far as the original exponent
        cut = sum((pl.col("c") % 10 ** k == 0).cast(pl.Int64) for k in range(1, -places + 1))
        frame = frame.with_columns(cut.alias("cut")).with_columns(
            pl.col("c") // pl.lit(10, pl.Int64).pow(pl.col("cut")), (pl.col("d") - places - pl.col("cut")).alias("n"))
    scale = pl.lit(10, pl.Int64).pow(pl.col("n"))
    whole = (pl.col("c") // scale).cast(pl.Utf8)
    part = (pl.col("c") % scale).cast(pl.Utf8).str.zfill(pl.col("n"))
    text = pl.when(pl.col("n") > 0).then(whole + "." + part).otherwise(whole)
    text = pl.when(pl.col("neg")).then("-" + text).otherwise(text)
    zero = pl.col("c") == 0
    out = frame.select(pl.when(zero).then(pl.col("t")).when(pl.col("fits")).then(text).otherwise(None).alias("t"))
    shifted = out["t"]
    slow = shifted.is_null().arg_true().to_list()
    if slow:  # more than 18 digits: Decimal itself
        exact = [f"{Decimal(t) * 10 ** places if places > 0 else Decimal(t) / 10 ** -places:f}"
                 for t in texts.gather(slow).to_list()]
        shifted = shifted.scatter(slow, pl.Series(exact, dtype=pl.Utf8))
    return shifted


# the checks of each kind, in the order the messages of one row come: (field key, check)
_CHECKS = {
    Kind.TAX: (("code", "code"), ("name", "text"), ("month", "month"), ("sales", "amount")),
    Kind.REGISTRATION: (("established", "date"), ("code", "code"), ("name", "text"), ("status", "text")),
    Kind.POWER: (("account", "text"), ("name", "text"), ("code", "code?"), ("month", "month"), ("kwh", "amount")),
}
_STORED_FROM = {"sales_wan": "sales", "kwh": "kwh"}  # the stored column of a record field named otherwise
_DUPLICATE_KEYS = ROW_KEYS
BLANK, TOTAL, NOTE, DATA = 0, 1, 2, 3


class TableReader:
    """One department table read a batch of rows at a time (a province's extract does not fit in memory twice):
    ``feed`` each batch's columns, in order, and keep the records it returns; ``finish`` once, with all the
    records kept (a frame, or a lazy frame over them), for the duplicates across batches and the last messages.

    Messages and records are those of reading the whole table at once (``read_table``)."""

    def __init__(self, file: str, sheet: str, above: list[list], header: list, *, kind: Kind, header_row: int,
                 csv: bool = False, encoding: str = "", header_rows: int = 1):
        self.kind, self.csv = kind, csv
        self.table = table = DepartmentTable(file, sheet, encoding, kind, header_row=header_row)
        self.place = f"“{file}”" + (f"工作表“{sheet}”" if sheet else "")
        self.header = header
        self.found = mapping(header, kind)
        self.specs = {spec.key: spec for spec in FIELDS[kind]}
        for key, at in self.found.items():
            table.taken[self.specs[key].label] = f"“{cell_text(header[at])}”（{column_name(at, csv)}）"
        self.first_row = header_row + header_rows  # the file's row of the first cell below the title(s)
        self.done = 0  # rows fed so far
        self.first_total: int | None = None  # the first total row's index
        self.stopped = False  # a total row amid the data: the rest is not read
        self.keys: list[pl.DataFrame] = []  # each record's key hash and row, for the duplicates
        self.places = 0
        if kind is Kind.TAX:
            unit = sales_unit(normal_title(header[self.found["sales"]])[1], [cell_text(c) for r in above for c in r])
            if isinstance(unit, str):
                self._problem(None, "sales", unit)
                self.stopped = True
                return
            table.unit, table.unit_from = unit
            self.places = -4 if table.unit == "元" else 0
        elif kind is Kind.POWER:
            title_unit = normal_title(header[self.found["kwh"]])[1]
            table.unit, table.unit_from = ("万kWh", "列标题") if "万" in title_unit else \
                ("kWh", "列标题" if title_unit else "")
            self.places = 4 if table.unit == "万kWh" else 0

    def _problem(self, row: int | None, key: str | None, message: str) -> None:
        if len(self.table.problems) < MAX_PROBLEMS:
            where = self.place + (f" 第 {row} 行" if row else "") + \
                (f" {column_name(self.found[key], self.csv)}（{self.specs[key].label}）" if key else "")
            self.table.problems.append(Problem(where, message))

    def feed(self, columns: list) -> pl.DataFrame | None:
        """The records of the next rows (``columns``: the batch column by column, without titles — lists of cell
        values or polars text Series); None once the table has stopped being read."""
        if self.stopped or not columns:
            return None
        texts = [_texts(column) for column in columns]
        height = max(len(t) for t in texts)
        if height == 0:
            return None
        texts = [t.extend(pl.repeat("", height - len(t), eager=True, dtype=pl.Utf8)) if len(t) < height else t
                 for t in texts]
        offset, self.done = self.done, self.done + height
        what = self._what(texts)
        index = pl.int_range(0, height, eager=True)
        limit = height
        totals = index.filter(what == TOTAL)
        if self.first_total is None and len(totals):
            self.first_total = offset + totals[0]
        if self.first_total is not None:
            after = index.filter((what == DATA) & (index + offset > self.first_total))
            if len(after):
                limit = after[0]
        for at in index.filter(((what == TOTAL) | (what == NOTE)) & (index < limit)).to_list():
            row = self.first_row + offset + at
            if what[at] == TOTAL:
                self.table.skipped.append(f"第 {row} 行（合计行，不计入）")
            else:
                self.table.skipped.append(f"第 {row} 行（表下说明：{next(t[at] for t in texts if t[at])[:20]}）")
        is_data = (what == DATA) & (index < limit)
        everything = bool(is_data.all())
        data = index if everything else index.filter(is_data)

        def pick(series: pl.Series) -> pl.Series:
            return series if everything else series.gather(data)

        values: dict[str, pl.Series] = {}
        bad = pl.repeat(False, len(data), eager=True)
        found: list[tuple[int, int, str, str]] = []  # (row, order, key, message)
        for order, (key, check) in enumerate(_CHECKS[self.kind]):
            if key not in self.found:
                continue
            column = columns[self.found[key]]
            text = pick(texts[self.found[key]])
            if check == "text":
                wrong = text == "" if self.specs[key].required else pl.repeat(False, len(text), eager=True)
                values[key] = text
                messages = lambda rows: [_REQUIRED_EMPTY] * len(rows)  # noqa: E731
            elif check in ("code", "code?"):
                numeric = _numeric_cells(column)
                values[key], wrong, messages = _check_codes(text, column, data, self.specs[key].required,
                                                            None if numeric is None else pick(numeric))
            elif check == "month":
                values[key] = _by_distinct(text, month_of)
                wrong = values[key].is_null()
                messages = lambda rows, text=text: [  # noqa: E731
                    f"“{text[i]}”不是年月（应如 2024-03、202403 或 2024年3月）。" for i in rows]
            elif check == "date":
                values[key] = _by_distinct(text, date_of)
                wrong = values[key].is_null()
                messages = lambda rows, text=text: [f"“{text[i]}”不是日期（应如 2023-10-08）。" for i in rows]  # noqa: E731
            else:
                values[key], wrong = _amounts(pick(_number_texts(column)), self.places)
                messages = lambda rows, text=text: [  # noqa: E731
                    f"“{text[i]}”不是数字。" if text[i] else "为空。每个月都须有数字（没有即填 0）。" for i in rows]
            wrong = wrong.fill_null(True)
            if wrong.any():
                positions = wrong.arg_true().head(MAX_PROBLEMS).to_list()
                for position, message in zip(positions, messages(positions)):
                    found.append((self.first_row + offset + data[position], order, key, message))
                bad = bad | wrong
        for row, _, key, message in sorted(found, key=lambda p: (p[0], p[1])):
            self._problem(row, key, message)
        if limit < height:
            self._problem(self.first_row + self.first_total, None,
                          f"合计行夹在数据中间（其后第 {self.first_row + offset + limit} 行还有数据）：合计行只能在表的末尾。"
                          "请部门删去中间的合计、小计行后重新导出，以免重复计算。")
            self.stopped = True
        good = ~bad
        everything_good = everything and not bad.any()
        rows = ((data if everything_good else data.filter(good)) + (self.first_row + offset)).cast(pl.Int64)
        record = {}
        for name in COLUMNS[self.kind]:
            key = _STORED_FROM.get(name, name)
            if name == "row":
                record[name] = rows
            elif key in values or key in self.found:
                series = values[key] if key in values else pick(texts[self.found[key]])
                record[name] = series if everything_good else series.filter(good)
            else:
                record[name] = pl.repeat("", len(rows), eager=True, dtype=pl.Utf8)
        records = pl.DataFrame(record)
        self._count(records)
        if self.stopped and self.table.problems:
            return records
        keys = [k for k in _DUPLICATE_KEYS[self.kind]]
        self.keys.append(records.select(pl.struct(keys).hash(7).alias("hash"), "row"))
        return records

    def _what(self, texts: list[pl.Series]) -> pl.Series:
        """Each row: blank, a total (合计…), a note below the table (注：…, 制表人…) or data."""
        cells = pl.DataFrame({f"c{i}": t for i, t in enumerate(texts)})
        names = cells.columns
        filled = pl.sum_horizontal([(pl.col(n) != "").cast(pl.Int32) for n in names])
        total = pl.any_horizontal([pl.col(n).str.contains(_TOTAL_START.pattern) for n in names[:4]] +
                                  [pl.col(n).is_in(TOTAL_WORDS) for n in names])
        what = cells.select(pl.when(filled == 0).then(pl.lit(BLANK, pl.Int8)).when(total).then(pl.lit(TOTAL, pl.Int8))
                            .when(filled == 1).then(pl.lit(NOTE, pl.Int8)).otherwise(pl.lit(DATA, pl.Int8))
                            .alias("what"))["what"]
        lone = what.eq(NOTE).arg_true().to_list()  # one filled cell: a note when it starts as one
        if lone:
            said = [bool(re.match(_NOTE_START, next(t[i] for t in texts if t[i]))) for i in lone]
            what = what.scatter([i for i, note in zip(lone, said) if not note], DATA)
        return what

    def _count(self, records: pl.DataFrame) -> None:
        self.table.count += records.height
        if "month" in records.columns and records.height and self.kind is not Kind.REGISTRATION:
            low, high = records["month"].min(), records["month"].max()
            first, last = self.table.month_range or (low, high)
            self.table.month_range = (min(first, low), max(last, high))

    def finish(self, records: pl.DataFrame | pl.LazyFrame | None) -> DepartmentTable:
        """The table, once every batch is fed: ``records``, all the records kept (for the duplicates' keys)."""
        table = self.table
        if self.stopped:
            return table
        if table.count == 0 and not table.problems:
            self._problem(None, None, "表头下面没有数据行。请确认文件是否导出完整。")
        if self.keys and records is not None:
            hashes = pl.concat(self.keys)
            twice = hashes.filter(hashes["hash"].is_duplicated())["row"]
            if len(twice):
                _duplicates(self, records.lazy().filter(pl.col("row").is_in(twice.implode())).collect())
        table.frame = records
        return table


def read_table(file: str, sheet: str, above: list[list], columns: list, *, kind: Kind, header_row: int,
               csv: bool = False, encoding: str = "", header_rows: int = 1) -> DepartmentTable:
    """The records of one department table read at once. ``above``: the rows above the header (titles, notes;
    row-major); ``columns``: the table column by column, each starting with its title — lists of cell values (a
    workbook) or polars text Series (a csv); ``header_row``: the header's 1-based row in the file; ``header_rows``:
    2 for a two-row header (``header_titles``)."""
    header = [column[0] if len(column) else None for column in columns]
    reader = TableReader(file, sheet, above, header, kind=kind, header_row=header_row, csv=csv, encoding=encoding,
                         header_rows=header_rows)
    records = reader.feed([column.slice(1) if isinstance(column, pl.Series) else column[1:] for column in columns])
    return reader.finish(records)


def _check_codes(text: pl.Series, column, data: pl.Series, required: bool, numeric: pl.Series | None):
    """(the codes upper-cased, which are wrong, their messages): the certain credit codes by expressions over the
    distinct codes, the rest (few: other kinds of code, typos, ID-card numbers, numbers) one by one."""
    upper = text.str.to_uppercase()
    if numeric is None:
        numeric = pl.repeat(False, len(text), eager=True)
    distinct = upper.filter(~numeric & (upper != "")).unique()
    valid = _codes_valid(distinct)
    said = {code: code_problem(code) for code in distinct.filter(~valid).to_list()}
    verdict = pl.Series([c for c, p in said.items() if p], dtype=pl.Utf8)
    wrong = numeric | upper.is_in(verdict.implode()) | ((text == "") & required)

    def messages(rows: list[int]) -> list[str]:
        out = []
        for i in rows:
            if text[i] == "" and not numeric[i]:
                out.append(_REQUIRED_EMPTY)
            else:
                out.append(code_problem(column[data[i]]) if numeric[i] else said[upper[i]])
        return out

    return upper, wrong, messages


def _amounts(texts: pl.Series, places: int) -> tuple[pl.Series, pl.Series]:
    """(the amounts as stored text, which are not numbers): canonical numbers shifted by expressions, the others
    (few: 1.5E+3, +5, .5, 007) through Decimal as ``number_of`` reads them. A zero is kept as 0, as it always was."""
    plain = texts.str.replace_all("[,，]", "") if texts.str.contains("[,，]").any() else texts
    canonical = plain.str.contains(_CANONICAL)
    if canonical.all():
        shifted = _shift(plain, places)
        zero = plain.str.contains(r"^-?[0.]+$")
        out = pl.select(pl.when(zero).then(pl.lit("0")).otherwise(shifted))[:, 0].cast(pl.Utf8)
        return out, pl.repeat(False, len(texts), eager=True)
    shifted = _shift(pl.select(pl.when(canonical).then(plain).otherwise(pl.lit("0")))[:, 0], places)
    zero = canonical & plain.str.contains(r"^-?[0.]+$")
    out = pl.select(pl.when(zero).then(pl.lit("0")).when(canonical).then(shifted).otherwise(None))[:, 0]
    out = out.cast(pl.Utf8)
    others = (~canonical).arg_true().to_list()
    scale = Decimal(10) ** abs(places)
    fixed = []
    for i in others:
        number = number_of(texts[i])
        if number is not None and not number:
            number = Decimal(0)
        fixed.append(None if number is None else f"{number * scale if places > 0 else number / scale:f}")
    out = out.scatter(others, pl.Series(fixed, dtype=pl.Utf8))
    return out, out.is_null()


def _duplicates(reader: TableReader, twice: pl.DataFrame) -> None:
    """A taxpayer's (an account's) month given twice, a firm registered twice: which is right cannot be told.
    ``twice``: the records whose keys' hashes came more than once (a hash may collide: the keys decide)."""
    keys = _DUPLICATE_KEYS[reader.kind]
    found = (twice.sort("row").filter(pl.len().over(keys) > 1).group_by(keys, maintain_order=True)
             .agg(pl.col("row")).head(MAX_PROBLEMS))
    label = {Kind.TAX: "纳税人识别号", Kind.POWER: "户号", Kind.REGISTRATION: "统一社会信用代码"}[reader.kind]
    for line in found.iter_rows(named=True):
        where = line["row"]
        what = f"{label} {line[keys[0]]}" + (f" 的 {line[keys[1]]}" if len(keys) > 1 else "")
        reader._problem(None, None, f"{what} 出现了 {len(where)} 次（第 {'、'.join(map(str, where))} 行），不知以哪一行为准。"
                                    f"请部门核对后每{'月' if len(keys) > 1 else '家'}只留一行（更正申报请给更正后的数字）。")


def garbled(text: str) -> str | None:
    """Why the text of a csv is already mojibake (a GBK file once opened as UTF-8, or the reverse, and saved)."""
    latin = sum("\u00c0" <= c <= "\u00ff" for c in text[:200_000])
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text[:200_000])
    if "\ufffd" in text or "锟斤拷" in text or (latin >= 4 and latin > cjk):
        return ("文件中的中文已是乱码（看来这个 GBK 文件曾被当作 UTF-8 打开后另存，或相反），原来的文字已无法恢复。"
                "请部门从系统重新导出原始文件直接发送，不要打开后另存。")
    return None
