"""Entry points inside Excel (xlwings): the buttons' RunPython targets and the worksheet functions.

Thin shells: each opens the caller workbook through ``adapters.live_book`` and calls the same use case
as the CLI (``services.county_book``, ``services.control_book``, ``services.lookups``).
"""
