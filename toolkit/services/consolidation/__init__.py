"""Use case: consolidate a period (导入并汇总 / guishang consolidate), and what hangs on it.

Reads every workbook in the inbox, checks each one (the workbook's own rules, then the checks that need the
register and the other counties), records every submission in the store in one transaction, settles duplicates
(the latest saved workbook counts, or the city's choice: domain.submissions), and computes the period's figures,
status and assessment from the store. Importing the same file twice changes nothing.

By use case: ``run`` (consolidate: the inbox in, the summary and the results out), ``judging`` (which file counts,
the checks across files, the statuses and the register, inside the caller's transaction), ``summary`` (the
period's summary read from the store: status) and ``decisions`` (the city's 认定归属 and 指定报表).
"""

from toolkit.services.consolidation.decisions import Assigned, Chosen, apply_assignment, apply_choice, assign, choose
from toolkit.services.consolidation.judging import ConsolidationRun, refresh_register, rejudge, run_period
from toolkit.services.consolidation.run import (RESULTS_DIR_NAME, SUMMARY_DIR_NAME, consolidate, results_name,
                                                results_path)
from toolkit.services.consolidation.summary import period_summary, status

__all__ = ["Assigned", "Chosen", "ConsolidationRun", "RESULTS_DIR_NAME", "SUMMARY_DIR_NAME", "apply_assignment",
           "apply_choice", "assign", "choose", "consolidate", "period_summary", "refresh_register", "rejudge",
           "results_name", "results_path", "run_period", "status"]
