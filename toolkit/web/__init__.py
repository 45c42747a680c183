"""The browser workbench (``guishang serve``): the same use cases as the Excel buttons and the command line,
for desks where Excel macros cannot run (WPS, domestic Linux) and for counties checking their own workbook.

An entry point like ``toolkit.cli`` and ``toolkit.excel``: Flask pages rendered on the server from Jinja
templates (``templates/``), a little vendored CSS (``static/``), no JavaScript build step; served by waitress.
``app`` builds the application, ``uploads`` keeps what a browser sends in private temporary folders,
``server`` decides where it may listen.
"""
