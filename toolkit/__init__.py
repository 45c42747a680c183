"""guishang: toolkit for growing above-scale industrial enterprises (规上工业企业培育).

Layers (see docs/ARCHITECTURE in README): ``domain`` (pure rules and schemas), ``adapters`` (files,
workbooks), ``services`` (use cases), and the entry points ``cli`` and ``excel`` (buttons and UDFs).
"""

__version__ = "0.1.0"
