"""The workspace store: SQLite, in the workspace folder, with transactions and a schema version.

It keeps every submission received (file, SHA-256, county, period, time, status, findings), every
row of every checked submission with its source (so accepted figures are traceable to file, sheet
and row), the city's attribution decisions, and the register derived from the accepted lists.
A run writes inside one transaction: it lands whole or not at all.

One repository per kind of record (``submissions.py``, ``register.py``, ``decisions.py``, ``department.py``,
``rewards.py``, ``papers.py``), each implementing its protocol in ``toolkit/ports/store.py``, over the one
connection of ``unit_of_work.Store``; the schema and the ordered migrations are in ``schema.py``.
"""

from toolkit.adapters.store.schema import SCHEMA_VERSION
from toolkit.adapters.store.submissions import serialise_rows
from toolkit.adapters.store.unit_of_work import Store
from toolkit.ports.store import StoreError

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "serialise_rows"]
