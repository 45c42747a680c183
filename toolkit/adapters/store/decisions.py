"""The city's decisions: attributions of firms claimed by two counties (认定归属), closed periods (封账) with the
attributions in force then, and what each period's last judgment rested on."""

from __future__ import annotations

import json
import sqlite3

from toolkit.adapters.store.rows import Meta, period_text, record
from toolkit.domain.periods import Period
from toolkit.domain.submissions import Closure


class SqliteDecisions:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.meta = Meta(db)

    def attributions(self) -> dict[tuple[str, int], str]:
        """(USCC, year) -> county, as decided by the city (认定归属)."""
        return {(r["uscc"], r["year"]): r["county"]
                for r in self.db.execute("SELECT uscc, year, county FROM attributions")}

    def set_attribution(self, uscc: str, year: int, county: str, at: str, note: str = "") -> None:
        self.db.execute("INSERT OR REPLACE INTO attributions VALUES (?, ?, ?, ?, ?)", (uscc, year, county, at, note))

    def close_period(self, period: Period, at: str, reason: str, policy_sha256: str) -> None:
        """Close a period, keeping the attribution decisions in force now with it."""
        decided = [[u, y, c] for (u, y), c in sorted(self.attributions().items())]
        self.db.execute("INSERT INTO closures VALUES (?, ?, ?, ?, ?)",
                        (period_text(period), at, reason, policy_sha256, json.dumps(decided, ensure_ascii=False)))

    def closures(self) -> dict[Period, Closure]:
        """Closed periods (封账)."""
        return {Period.parse(r["period"]): record(Closure, r, attributions={(u, y): c for u, y, c in json.loads(r["attributions"])})
                for r in self.db.execute("SELECT * FROM closures")}

    def judgment(self, period: Period) -> dict | None:
        """What the period's last judgment rested on and wrote (the consolidation's memo), or None."""
        return self.meta.get(f"judged:{period_text(period)}")

    def remember_judgment(self, period: Period, memo: dict) -> None:
        self.meta.set(f"judged:{period_text(period)}", memo)
