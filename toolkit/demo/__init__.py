"""The demonstration year: a generator of sample county workbooks and office lists (``samples``) and the
Zhuzhou sample policy (``zhuzhou_policy``). Shipped in the package so that ``guishang demo`` works from an
installed wheel; the repository's samples/ folder is this generator's committed output."""
