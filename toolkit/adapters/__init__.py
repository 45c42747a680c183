"""Adapters: reading and writing workbook files. They know files; the domain does not."""
