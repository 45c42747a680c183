"""guishang: toolkit for growing above-scale industrial enterprises (规上工业企业培育).

Layers (README, 代码结构; checked by import-linter): ``domain`` (pure rules and schemas), ``ports`` (the
shapes services and adapters share), ``adapters`` (files, workbooks, the store), ``services`` (use cases),
``demo`` (the sample year), and the entry points ``cli`` and ``excel`` (buttons and UDFs).
"""

__version__ = "0.1.0"
