"""Progress of a long measurement on stderr: tqdm when it is installed, else one plain line
(rewritten in place on a terminal; in a log, a whole line every LOG_INTERVAL_SECONDS)."""

from __future__ import annotations

import sys
import time
from typing import Any, Optional, Union

Progress = Union[bool, None]


#: Seconds before the plain line first shows: a measurement shorter than this says nothing.
PLAIN_DELAY_SECONDS = 1.0

#: Seconds between lines when stderr is not a terminal (a CI log, a notebook's captured stream):
#: carriage returns would pile every update into one unreadable line there.
LOG_INTERVAL_SECONDS = 10.0


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Meter:
    """Counts steps of a measurement and shows them; `enabled=False` shows nothing."""

    def __init__(self, total: int, description: str, enabled: Progress = True, unit: str = "pass"):
        self.total = max(total, 0)
        self.description = description
        self.done = 0
        self._bar: Optional[Any] = None
        self._plain = False
        self._terminal = False
        self._shown = False
        self._shown_done = -1
        self._last = 0.0
        self._started = time.monotonic()
        if not enabled or self.total == 0:
            return
        try:
            from tqdm import tqdm  # type: ignore[import-not-found]

            self._bar = tqdm(total=self.total, desc=description, unit=unit, file=sys.stderr, leave=False)
        except ImportError:
            self._plain = True
            self._terminal = _is_terminal()

    def update(self, steps: int = 1, note: str = "") -> None:
        self.done += steps
        if self._bar is not None:
            self._bar.update(steps)
            if note:
                self._bar.set_postfix_str(note, refresh=False)
        elif self._plain:
            now = time.monotonic()
            interval = 1.0 if self._terminal else LOG_INTERVAL_SECONDS
            due = now - self._last >= interval or (self._terminal and self.done >= self.total)
            if now - self._started >= PLAIN_DELAY_SECONDS and due:
                self._show(note)

    def _show(self, note: str = "") -> None:
        self._shown = True
        self._shown_done = self.done
        self._last = time.monotonic()
        elapsed = self._last - self._started
        line = f"{self.description}: {self.done}/{self.total} ({elapsed:.0f} s){' ' + note if note else ''}"
        sys.stderr.write("\r" + line.ljust(78) if self._terminal else line + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._plain and self._shown:
            if self._terminal or self._shown_done != self.done:
                self._show()
            if self._terminal:
                sys.stderr.write("\n")
                sys.stderr.flush()

    def __enter__(self) -> "Meter":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
