Attribute VB_Name = "GuishangCity"
Option Explicit
' guishang: the buttons of the city control workbook, acting on the workspace folder it sits in.
' Templates, consolidation, status, notices, the forecast, the screen of department data, rewards: see toolkit/excel/city.py.

Public Sub GsMakeTemplates()
    GsRun "toolkit.excel.city", "make_templates"
End Sub

Public Sub GsConsolidate()
    GsRun "toolkit.excel.city", "consolidate"
End Sub

Public Sub GsRefreshStatus()
    GsRun "toolkit.excel.city", "refresh_status"
End Sub

Public Sub GsMakeNotices()
    GsRun "toolkit.excel.city", "make_notices"
End Sub

Public Sub GsPipeline()
    GsRun "toolkit.excel.city", "pipeline"
End Sub

Public Sub GsScreen()
    GsRun "toolkit.excel.city", "screen"
End Sub

Public Sub GsMakeRewards()
    GsRun "toolkit.excel.city", "make_rewards"
End Sub
