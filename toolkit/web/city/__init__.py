"""The city's pages on its workspace (工作台), one module per page: 报送情况 (``status``), 收件箱 (``inbox``),
汇总 (``consolidating``), 培育 (``pipeline``), 应入尽入 (``screening``), 认定 (``attribution``), 公文 (``documents``), 奖励 (``rewards``),
政策参数 (``policy``), and the writing runs they start (``runs``) — the same use cases as the control workbook's
buttons and the command line. Reading pages compute from the store each time (nothing is cached that could go stale); writing
runs go through ``Jobs`` (one at a time) and the workspace's lock. All register on one blueprint (``common``).
"""

from toolkit.web.city import (attribution, consolidating, documents, inbox, pipeline, policy, rewards,  # noqa: F401
                              runs, screening, status)
from toolkit.web.city.common import city

__all__ = ["city"]
