Attribute VB_Name = "GuishangCounty"
Option Explicit
' guishang: the buttons of the county reporting workbook (macro edition).
' Check this workbook, clear the marks, make the clean .xlsx to send: see toolkit/excel/county.py.

Public Sub GsCheckSheet()
    GsRun "toolkit.excel.county", "check_sheet"
End Sub

Public Sub GsClearMarks()
    GsRun "toolkit.excel.county", "clear_marks"
End Sub

Public Sub GsMakeReport()
    GsRun "toolkit.excel.county", "make_report"
End Sub
