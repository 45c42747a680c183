Attribute VB_Name = "GuishangCommon"
Option Explicit
' guishang: shared by the buttons of the county and city macro workbooks.
' Each button runs one Python function through xlwings' RunPython; all the work is in Python.
' This source is ASCII only: the Chinese messages VBA must show by itself (when Python is missing
' or fails) are written as hexadecimal Unicode code points and turned into text by GsText.

Private Const MSG_TITLE As String = "89C4 4E0A 5DE5 4E1A 4F01 4E1A 57F9 80B2 5DE5 5177"
Private Const MSG_NO_PYTHON As String = "627E 4E0D 5230 53EF 7528 7684 0020 0050 0079 0074 0068 006F 006E FF0C 6216 5176 4E2D 672A 5B89 88C5 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 5DE5 5177 FF0C 6309 94AE 65E0 6CD5 8FD0 884C 3002 8BF7 6309 300A 5B89 88C5 8BF4 660E 300B 5B89 88C5 FF08 6216 8FD0 884C 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 0065 0078 0063 0065 006C 0020 0073 0065 0074 0075 0070 0020 68C0 67E5 FF09 3002 4E0D 4F7F 7528 6309 94AE 4E5F 53EF 4EE5 7167 5E38 586B 62A5 FF1B 4E0D 5141 8BB8 4F7F 7528 5B8F 7684 5355 4F4D 8BF7 7528 0020 002E 0078 006C 0073 0078 0020 62A5 8868 548C 547D 4EE4 884C 3002"
Private Const MSG_FAILED As String = "0050 0079 0074 0068 006F 006E 0020 8FD0 884C 51FA 9519 FF08 4E0A 4E00 4E2A 7A97 53E3 662F 82F1 6587 7684 6280 672F 4FE1 606F FF09 3002 8BF7 8FD0 884C 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 0065 0078 0063 0065 006C 0020 0073 0065 0074 0075 0070 0020 68C0 67E5 5B89 88C5 FF0C 6216 628A 8BE5 4FE1 606F 548C 5DE5 4F5C 7C3F 65C1 7684 201C 0067 0075 0069 0073 0068 0061 006E 0067 8FD0 884C 65E5 5FD7 002E 0074 0078 0074 201D 53D1 7ED9 7EF4 62A4 4EBA 5458 3002"

Public Function GsText(ByVal hexCodes As String) As String
    Dim parts() As String, i As Long, s As String
    parts = Split(Trim$(hexCodes), " ")
    For i = LBound(parts) To UBound(parts)
        If Len(parts(i)) > 0 Then s = s & ChrW(CLng("&H" & parts(i)))
    Next i
    GsText = s
End Function

Private Function GsPythonReady() As Boolean
    ' True when the configured interpreter starts and can import guishang and xlwings.
    Dim interpreter As String, q As String, commandLine As String
    interpreter = GetConfig("INTERPRETER_WIN", "")
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "python")
    q = Chr(34)
    commandLine = "cmd.exe /s /c " & q & q & interpreter & q & " -c " & q & "import toolkit, xlwings" & q & q
    On Error GoTo failed
    GsPythonReady = (CreateObject("WScript.Shell").Run(commandLine, 0, True) = 0)
    Exit Function
failed:
    GsPythonReady = False
End Function

Public Sub GsRun(ByVal moduleName As String, ByVal functionName As String)
    ' Calls moduleName.functionName(vba_xlwings=...) in Python; Python checks the xlwings versions match.
    Dim result As Variant
#If Not Mac Then
    If Not GsPythonReady() Then
        MsgBox GsText(MSG_NO_PYTHON), vbExclamation, GsText(MSG_TITLE)
        Exit Sub
    End If
#End If
    Application.StatusBar = GsText(MSG_TITLE) & " ..."
    result = RunPython("import " & moduleName & " as gs; gs." & functionName & "(vba_xlwings='" & XLWINGS_VERSION & "')")
    Application.StatusBar = False
    If VarType(result) <> vbEmpty Then
        If result <> 0 Then MsgBox GsText(MSG_FAILED), vbCritical, GsText(MSG_TITLE)
    End If
End Sub
