"""Reading workbook files in bulk (python-calamine), after checking that they are what they claim.

Every way a file can fail to be a readable workbook ends in ``UnreadableWorkbook`` with one Chinese
sentence that names the file and says what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine

from toolkit.domain.tables import Rows

MAX_FILE_MB = 50  # a county workbook is well under 5 MB
MAX_UNCOMPRESSED_MB = 500  # protects against zip bombs
MAX_SHEETS = 100

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook; ``str()`` is the message for the user."""


def _refuse(path: Path, why: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(f"无法读取“{path.name}”：{why}")


def preflight(path: Path) -> None:
    """Refuse, before parsing, files that are missing, too large, not workbooks, encrypted or old .xls."""
    if not path.exists():
        raise _refuse(path, "文件不存在，请检查路径。")
    if path.is_dir():
        raise _refuse(path, "这是一个文件夹，不是 Excel 文件。")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as error:
        raise _refuse(path, f"文件无法打开（{error.strerror or error}），请确认文件未被占用且有读取权限。") from None
    if size == 0:
        raise _refuse(path, "文件是空的（0 字节），请重新保存或重新发送。")
    if size > MAX_FILE_MB * 1024 * 1024:
        raise _refuse(path, f"文件大小 {size / 1024 / 1024:.0f} MB，超过上限 {MAX_FILE_MB} MB；县市区报表通常不足 5 MB，请确认发送的是正确的文件。")
    if head.startswith(_OLE_MAGIC):
        data = path.read_bytes()
        if _ENCRYPTED_MARK in data:
            raise _refuse(path, "工作簿设置了打开密码。请在 Excel 中取消密码（文件→信息→保护工作簿）后重新发送。")
        raise _refuse(path, "这是旧版 Excel 97-2003 格式（.xls）。请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）。")
    if not head.startswith(_ZIP_MAGIC):
        if _looks_like_text(path):
            raise _refuse(path, "这是文本或 CSV 文件，只是扩展名为 Excel。请在市里下发的模板中填报后发送 .xlsx 文件。")
        raise _refuse(path, "不是 Excel 工作簿（.xlsx）。请确认发送的是填报好的模板文件。")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _refuse(path, "文件已损坏（可能未下载或复制完整）。请重新发送。") from None
    if "xl/workbook.xml" not in names:
        raise _refuse(path, "这是压缩包或其他 Office 文件，不是 Excel 工作簿。")
    if total > MAX_UNCOMPRESSED_MB * 1024 * 1024:
        raise _refuse(path, f"文件解压后超过 {MAX_UNCOMPRESSED_MB} MB 上限，可能是异常文件，已拒绝读取。")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def read_sheets(path: Path, only: tuple[str, ...] | None = None) -> dict[str, Rows]:
    """Every sheet of the workbook (or those named in ``only`` that exist) as 2-D lists from A1."""
    path = Path(path)
    preflight(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise _refuse(path, "工作簿设置了打开密码。请取消密码后重新发送。") from None
    except Exception:  # calamine's own errors: a damaged or non-standard file
        raise _refuse(path, "文件已损坏或不是标准的 Excel 工作簿。请在 Excel 中打开后重新保存再发送。") from None
    try:
        names = workbook.sheet_names
        if len(names) > MAX_SHEETS:
            raise _refuse(path, f"工作表有 {len(names)} 个，超过上限 {MAX_SHEETS} 个。请使用下发的模板。")
        wanted = [n for n in names if only is None or n in only]
        return {name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wanted}
    except UnreadableWorkbook:
        raise
    except Exception:
        raise _refuse(path, "工作表内容已损坏，无法读取。请在 Excel 中打开后重新保存再发送。") from None
    finally:
        workbook.close()
