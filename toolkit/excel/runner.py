"""Running one button: open the caller workbook, check the xlwings versions, call the use case, and turn
every outcome into one Chinese sentence in a message box. A traceback never reaches the clerk: it goes
to ``guishang运行日志.txt`` next to the workbook (or the temp folder when that is read-only).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from pathlib import Path
from typing import Callable

from toolkit.excel import hints
from toolkit.ports.book import Book
from toolkit.services.errors import told

LOG_NAME = "guishang运行日志.txt"


def installed_xlwings() -> str:
    import xlwings

    return xlwings.__version__


def version_problem(vba_xlwings: str, installed: str | None = None) -> str | None:
    """The workbook's xlwings VBA module loads the DLL of its exact version: they must match."""
    installed = installed or installed_xlwings()
    if not vba_xlwings or vba_xlwings == installed:
        return None
    return (f"本工作簿的宏需要 xlwings {vba_xlwings}，本机 Python 中安装的是 xlwings {installed}，两者必须一致。"
            f"请用离线安装包重新安装（或运行 guishang excel setup 查看），也可以向市里索取用当前版本生成的工作簿。")


def caller_book() -> Book:
    import xlwings as xw

    from toolkit.adapters.live_book import LiveBook

    return LiveBook(xw.Book.caller())


def log_problem(book_path: Path | None, what: str) -> Path:
    """Append the traceback to the log next to the workbook; return where it went."""
    text = f"\n===== {dt.datetime.now():%Y-%m-%d %H:%M:%S} {what}\n{traceback.format_exc()}"
    for folder in ([book_path.parent] if book_path else []) + [Path(tempfile.gettempdir())]:
        path = folder / LOG_NAME
        try:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except OSError:
            continue
    return Path(tempfile.gettempdir()) / LOG_NAME


def run_button(what: str, action: Callable[[Book], object], vba_xlwings: str = "", book: Book | None = None):
    """Run ``action`` on ``book`` (the caller workbook when None). Returns the action's result, or None."""
    book = book if book is not None else caller_book()
    try:
        problem = version_problem(vba_xlwings)
        if problem:
            book.tell(problem, problem=True)
            return None
        return action(book)
    except Exception as error:
        said = told(error)  # the one mapping every door uses (services.errors)
        if said is None:
            log = log_problem(getattr(book, "path", None), what)
            book.tell(f"{what}时程序内部出错，未完成。详细信息已写入“{log}”，请把该文件发给维护人员。", problem=True)
        else:
            steps = "".join("\n" + hints.render(hint) for hint in said.hints)
            sentence = said.with_first_problem()
            book.tell(f"{what}未完成：{sentence}{'' if sentence.endswith('。') else '。'}{steps}", problem=True)
    finally:
        book.progress(None)
    return None
