Attribute VB_Name = "GuishangCommon"
Option Explicit
' guishang: shared by the buttons of the county and city macro workbooks.
' Each button runs one Python function through xlwings' RunPython; all the work is in Python.
' This source is ASCII only: the Chinese messages VBA must show by itself (when Python is missing,
' blocked or fails) are written as hexadecimal Unicode code points and turned into text by GsText.

Private Const MSG_TITLE As String = "89C4 4E0A 5DE5 4E1A 4F01 4E1A 57F9 80B2 5DE5 5177"
Private Const MSG_NO_PYTHON As String = "627E 4E0D 5230 53EF 7528 7684 0020 0050 0079 0074 0068 006F 006E FF0C 6216 5176 4E2D 672A 5B89 88C5 0020 0067 0075 0069 0073 0068 0061 006E 0067 FF0C 6309 94AE 65E0 6CD5 8FD0 884C 3002 8BF7 6309 300A 5B89 88C5 8BF4 660E 300B 5B89 88C5 FF0C 6216 8FD0 884C 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 0065 0078 0063 0065 006C 0020 0073 0065 0074 0075 0070 0020 68C0 67E5 3002 4E0D 7528 6309 94AE 4E5F 80FD 5B8C 6210 540C 6837 7684 5DE5 4F5C FF1A 5728 201C 547D 4EE4 63D0 793A 7B26 201D 4E2D 8FD0 884C 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 002D 002D 0068 0065 006C 0070 0020 67E5 770B 547D 4EE4 FF1B 53BF 5E02 533A 7167 5E38 586B 62A5 0020 002E 0078 006C 0073 0078 0020 62A5 8868 5373 53EF 3002"
Private Const MSG_BLOCKED As String = "0045 0078 0063 0065 006C 0020 65E0 6CD5 542F 52A8 0020 0050 0079 0074 0068 006F 006E FF1A 5F88 53EF 80FD 88AB 0020 0057 0069 006E 0064 006F 0077 0073 0020 5B89 5168 4E2D 5FC3 201C 963B 6B62 6240 6709 0020 004F 0066 0066 0069 0063 0065 0020 5E94 7528 7A0B 5E8F 521B 5EFA 5B50 8FDB 7A0B 201D 89C4 5219 6216 6740 6BD2 8F6F 4EF6 62E6 622A 3002 8BF7 4FE1 606F 79D1 6309 300A 0045 0078 0063 0065 006C 5B89 88C5 4E0E 5B8F 4FE1 4EFB 300B 6587 6863 8BBE 7F6E 4F8B 5916 3002 5728 6B64 4E4B 524D FF0C 540C 6837 7684 5DE5 4F5C 53EF 5728 201C 547D 4EE4 63D0 793A 7B26 201D 4E2D 7528 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 547D 4EE4 5B8C 6210 FF08 0067 0075 0069 0073 0068 0061 006E 0067 0020 002D 002D 0068 0065 006C 0070 FF09 FF1B 53BF 5E02 533A 7167 5E38 586B 62A5 0020 002E 0078 006C 0073 0078 0020 62A5 8868 5373 53EF 3002"
Private Const MSG_FAILED As String = "0050 0079 0074 0068 006F 006E 0020 8FD0 884C 51FA 9519 FF08 4E0A 4E00 4E2A 7A97 53E3 662F 82F1 6587 7684 6280 672F 4FE1 606F FF09 3002 8BF7 8FD0 884C 0020 0067 0075 0069 0073 0068 0061 006E 0067 0020 0065 0078 0063 0065 006C 0020 0073 0065 0074 0075 0070 0020 68C0 67E5 5B89 88C5 FF0C 6216 628A 8BE5 4FE1 606F 548C 5DE5 4F5C 7C3F 65C1 7684 201C 0067 0075 0069 0073 0068 0061 006E 0067 8FD0 884C 65E5 5FD7 002E 0074 0078 0074 201D 53D1 7ED9 7EF4 62A4 4EBA 5458 3002"

Private Const PYTHON_READY As Long = 0
Private Const PYTHON_MISSING As Long = 1
Private Const PYTHON_BLOCKED As Long = 2

' Set once the interpreter has been seen to start in this Excel session: later presses start Python only
' once (RunPython itself), instead of a check interpreter and then RunPython's. Cleared when RunPython fails.
Private pythonChecked As Boolean

Public Function GsText(ByVal hexCodes As String) As String
    Dim parts() As String, i As Long, s As String
    parts = Split(Trim$(hexCodes), " ")
    For i = LBound(parts) To UBound(parts)
        If Len(parts(i)) > 0 Then s = s & ChrW(CLng("&H" & parts(i)))
    Next i
    GsText = s
End Function

Private Function GsPythonStatus() As Long
    ' PYTHON_READY: the configured interpreter starts and can import guishang and xlwings.
    ' PYTHON_MISSING: it does not start, or cannot import them (not installed, wrong path).
    ' PYTHON_BLOCKED: Excel may not start a program at all (Defender rule, antivirus): Run raised an error.
    Dim interpreter As String, q As String, commandLine As String
    interpreter = GetConfig("INTERPRETER_WIN", "")
    If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "python")
    q = Chr(34)
    commandLine = "cmd.exe /s /c " & q & q & interpreter & q & " -c " & q & "import toolkit, xlwings" & q & q
    On Error GoTo blocked
    If CreateObject("WScript.Shell").Run(commandLine, 0, True) = 0 Then
        GsPythonStatus = PYTHON_READY
    Else
        GsPythonStatus = PYTHON_MISSING
    End If
    Exit Function
blocked:
    GsPythonStatus = PYTHON_BLOCKED
End Function

Public Sub GsRun(ByVal moduleName As String, ByVal functionName As String)
    ' Calls moduleName.functionName(vba_xlwings=...) in Python; Python checks the xlwings versions match.
    Dim result As Variant
#If Not Mac Then
    If Not pythonChecked Then
        Select Case GsPythonStatus()
            Case PYTHON_MISSING
                MsgBox GsText(MSG_NO_PYTHON), vbExclamation, GsText(MSG_TITLE)
                Exit Sub
            Case PYTHON_BLOCKED
                MsgBox GsText(MSG_BLOCKED), vbExclamation, GsText(MSG_TITLE)
                Exit Sub
        End Select
        pythonChecked = True
    End If
#End If
    Application.StatusBar = GsText(MSG_TITLE) & " ..."
    On Error GoTo notStarted
    result = RunPython("import " & moduleName & " as gs; gs." & functionName & "(vba_xlwings='" & XLWINGS_VERSION & "')")
    On Error GoTo 0
    Application.StatusBar = False
    If VarType(result) <> vbEmpty Then
        If result <> 0 Then
            pythonChecked = False  ' the next press checks the interpreter again (it may have been removed)
            MsgBox GsText(MSG_FAILED), vbCritical, GsText(MSG_TITLE)
        End If
    End If
    Exit Sub
notStarted:
    ' RunPython itself could not start Python (blocked between the check and the call, or its DLL refused)
    pythonChecked = False
    Application.StatusBar = False
    MsgBox GsText(MSG_BLOCKED) & vbCrLf & vbCrLf & "(" & Err.Number & ") " & Err.Description, vbExclamation, GsText(MSG_TITLE)
End Sub
