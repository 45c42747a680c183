"""Rendering editable Word templates (docxtpl) into documents: escaped, strict, atomic.

- autoescape: an ``&`` or ``<`` in a name renders as text instead of corrupting the document;
- finalize: control characters from a county's cell are shown as [U+0007] instead of breaking the XML;
- strict undefined variables: a template that names a variable the context lacks fails before
  anything is written, with a Chinese message naming the template and the variable;
- the 版记 placed from the pages as set, where LibreOffice is installed (imprint_layout).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.gbt9704_docx import finish
from toolkit.adapters.imprint_layout import place_imprint
from toolkit.domain.text import safe_text
from toolkit.ports.files import TemplateProblem


def _visible(value: object) -> object:
    return safe_text(value) if isinstance(value, str) else value


def _environment() -> jinja2.Environment:
    # finalize: every value printed passes through safe_text first (control characters XML cannot carry
    # would otherwise break the document), then autoescape makes it text
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_visible)


def _load(template: Path, context: dict) -> DocxTemplate:
    """The template, opened and checked against the context: every variable it uses must be there."""
    template = Path(template)
    try:
        document = DocxTemplate(str(template))
        unknown = sorted(document.get_undeclared_template_variables(_environment()) - set(context))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"公文模板“{template.name}”中的标记有语法错误（{error.message}，第 {error.lineno} 处）。"
                              "请检查 {{ }} 和 {% %} 是否成对、是否被 Word 拆开。") from None
    except Exception as error:  # not a docx, damaged
        raise TemplateProblem(f"公文模板“{template.name}”无法打开（{type(error).__name__}）。请确认它是 Word .docx 文件。") from None
    if unknown:
        raise TemplateProblem(f"公文模板“{template.name}”使用了未知的变量“{unknown[0]}”"
                              f"{'等 ' + str(len(unknown)) + ' 个' if len(unknown) > 1 else ''}。"
                              "请对照文档《公文模板变量》（docs/公文模板变量.md）改正，未生成任何文件。")
    return document


def check_docx(template: Path, context: dict) -> None:
    """Raise TemplateProblem now if ``template`` could not be rendered with ``context`` (nothing is written)."""
    _load(template, context)


def render_docx(template: Path, context: dict, target: Path) -> Path:
    template = Path(template)
    document = _load(template, context)
    try:
        document.render(context, _environment())
    except jinja2.UndefinedError as error:
        raise TemplateProblem(f"公文模板“{template.name}”引用了不存在的内容：{error.message}。请对照文档《公文模板变量》（docs/公文模板变量.md）改正，未生成任何文件。") from None
    except jinja2.TemplateError as error:
        raise TemplateProblem(f"公文模板“{template.name}”无法生成：{error}。未生成任何文件。") from None
    finish(document.docx)  # the mark on one line, the imprint at the bottom, whatever the text
    _properties(document.docx, context, Path(target).stem)
    with atomic_output(Path(target)) as temp:
        document.save(str(temp))
    place_imprint(Path(target))  # with LibreOffice: the 版记 on the text's last page or the next even one
    return Path(target)


def _properties(document, context: dict, title: str) -> None:
    """The file's own properties say who issues it and when it was made (Word's 文件属性), not the template's
    defaults (python-docx's: an author of its own and a creation date in 2013)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)  # written with a "Z": Word shows it in local time
    props = document.core_properties
    props.author = props.last_modified_by = safe_text(str(context.get("signer") or ""))  # as the text shows it
    props.created = props.modified = now
    props.revision = 1
    props.title = safe_text(title)  # the file's name: 2022年1-6月表扬通报
    props.subject = props.keywords = props.comments = props.category = ""
