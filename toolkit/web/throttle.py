"""Wrong access tokens slow the one who sends them: after a few, each next try from the same client waits twice as
long as the last (up to a quarter of an hour), and wrong tokens from everywhere together lock sign-in for a minute
when they come faster than people type. Refused while waiting, never by sleeping (a guessing client must not hold
the server's threads)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

FREE_TRIES = 3  # wrong tokens a client may send before it must wait
LONGEST_WAIT = 15 * 60  # seconds
ALL_CLIENTS_LIMIT = 30  # wrong tokens from all clients within ALL_CLIENTS_WINDOW lock sign-in for everyone
ALL_CLIENTS_WINDOW = 60
FORGET_AFTER = 60 * 60  # a client's count starts again an hour after its last wrong token


@dataclass
class _Record:
    wrong: int = 0
    last: float = 0.0


class SignInThrottle:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._clients: dict[str, _Record] = {}
        self._recent: list[float] = []
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Seconds ``client`` must still wait before a try is looked at (0: go on)."""
        now = self._clock()
        with self._lock:
            self._recent = [t for t in self._recent if now - t < ALL_CLIENTS_WINDOW]
            everyone = ALL_CLIENTS_WINDOW - (now - self._recent[0]) if len(self._recent) >= ALL_CLIENTS_LIMIT else 0
            record = self._clients.get(client)
            own = 0.0
            if record is not None and record.wrong >= FREE_TRIES:
                own = record.last + self.delay(record.wrong) - now
        return max(0, int(max(own, everyone) + 0.999))

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            record = self._clients.get(client)
            if record is None or now - record.last > FORGET_AFTER:
                record = self._clients[client] = _Record()
            record.wrong += 1
            record.last = now
            self._recent.append(now)
            if len(self._clients) > 10_000:  # many clients: keep those still counted
                self._clients = {k: r for k, r in self._clients.items() if now - r.last <= FORGET_AFTER}

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    @staticmethod
    def delay(wrong: int) -> float:
        """After ``wrong`` wrong tokens: 0 for the free tries, then 2, 4, 8 … seconds, at most LONGEST_WAIT."""
        return 0.0 if wrong < FREE_TRIES else float(min(2 ** (wrong - FREE_TRIES + 1), LONGEST_WAIT))


COMMON = frozenset({"12345678", "123456789", "1234567890", "87654321", "password", "qwertyui", "11111111", "88888888",
                    "abcdefgh", "abc12345", "admin123", "00000000", "66666666", "guishang"})


def weak_token(token: str) -> str:
    """Why ``token`` will not do as an access token ('' when it will): too short, spaces at its ends, few
    different characters, only digits and short, or a common password."""
    if token != token.strip():
        return "口令首尾不能有空格"
    if len(token) < MIN_LENGTH:
        return f"口令至少 {MIN_LENGTH} 位"
    if len(set(token)) < 5:
        return "口令中不同的字符太少（如 aaaa1111、abab1212）"
    if token.isdigit() and len(token) < 12:
        return "纯数字的口令至少 12 位"
    if token.lower() in COMMON:
        return "这是常见口令，很容易被猜中"
    return ""


MIN_LENGTH = 8
