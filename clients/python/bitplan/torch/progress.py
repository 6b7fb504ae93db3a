"""Progress of a long measurement on stderr: tqdm when it is installed, else one plain line."""

from __future__ import annotations

import sys
import time
from typing import Any, Optional, Union

Progress = Union[bool, None]


#: Seconds before the plain line first shows: a measurement shorter than this says nothing.
PLAIN_DELAY_SECONDS = 1.0


class Meter:
    """Counts steps of a measurement and shows them; `enabled=False` shows nothing."""

    def __init__(self, total: int, description: str, enabled: Progress = True, unit: str = "pass"):
        self.total = max(total, 0)
        self.description = description
        self.done = 0
        self._bar: Optional[Any] = None
        self._plain = False
        self._shown = False
        self._last = 0.0
        self._started = time.monotonic()
        if not enabled or self.total == 0:
            return
        try:
            from tqdm import tqdm  # type: ignore[import-not-found]

            self._bar = tqdm(total=self.total, desc=description, unit=unit, file=sys.stderr, leave=False)
        except ImportError:
            self._plain = True

    def update(self, steps: int = 1, note: str = "") -> None:
        self.done += steps
        if self._bar is not None:
            self._bar.update(steps)
            if note:
                self._bar.set_postfix_str(note, refresh=False)
        elif self._plain:
            now = time.monotonic()
            if now - self._started >= PLAIN_DELAY_SECONDS and (now - self._last >= 1.0 or self.done >= self.total):
                self._show(note)

    def _show(self, note: str = "") -> None:
        self._shown = True
        self._last = time.monotonic()
        elapsed = self._last - self._started
        line = f"\r{self.description}: {self.done}/{self.total} ({elapsed:.0f} s){' ' + note if note else ''}"
        sys.stderr.write(line.ljust(79))
        sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._plain and self._shown:
            self._show()
            sys.stderr.write("\n")
            sys.stderr.flush()

    def __enter__(self) -> "Meter":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
