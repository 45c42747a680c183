"""The Excel buttons' rendering of a ``Hint``: the button to press where the control workbook has one, else
the command to type (a command window is on every desk where the buttons run)."""

from __future__ import annotations

from toolkit.cli.hints import command
from toolkit.domain.buttons import CITY_BUTTONS
from toolkit.domain.hints import Action, Hint

_CAPTIONS = {button.function: button.caption for button in CITY_BUTTONS}
# actions that a button of the city control workbook does, with the input it needs filled in on 控制台
BUTTONS = {Action.CONSOLIDATE: ("consolidate", "报送期", "period")}


def render(hint: Hint | None) -> str:
    if hint is None:
        return ""
    if hint.action in BUTTONS:
        function, label, key = BUTTONS[hint.action]
        return f"下一步：在“控制台”的“{label}”填 {hint.get(key)}，然后点“{_CAPTIONS[function]}”。"
    return f"下一步（{hint.action.title}）：在“命令提示符”中运行 {command(hint)}"
