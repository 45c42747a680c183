"""Building the VBA project (``vbaProject.bin``) of our macro workbooks on any platform.

``compression`` is the MS-OVBA run-length/LZ77 codec, ``compound_file`` writes an MS-CFB v3 file, and
``project`` puts our ``macros/*.bas`` modules into the source-only project that xlwings ships in its
standalone quickstart workbook, leaving that project's other streams untouched.
"""
