"""Long measurements written as they are measured, and reused when run again (resume=PATH).

A journal is a JSON-lines file: a first line naming what was measured (the function, the
formats, the batch count, the planned layers and their shapes), then one line per result. A
run given the same path reads the results there and measures only the rest; a journal of
another measurement is refused rather than reused. Under torch.distributed each rank keeps its
own file (PATH.rank<N>).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

from .distributed import world


class Journal:
    def __init__(self, path: Optional[str], identity: Dict[str, Any]):
        rank, size = world()
        self.path = f"{path}.rank{rank}" if path and size > 1 else path
        self.done: Dict[str, Any] = {}
        if not self.path:
            return
        if os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as file:
                lines = [json.loads(line) for line in file if line.strip()]
            if lines and lines[0].get("journal") != identity:
                raise ValueError(f"{self.path} journals another measurement ({json.dumps(lines[0].get('journal'))[:200]}...); give another path or delete it")
            self.done = {line["key"]: line["value"] for line in lines[1:] if "key" in line}
            self._file = open(self.path, "a", encoding="utf-8")
            if not lines:
                self._write({"journal": identity})
        else:
            self._file = open(self.path, "w", encoding="utf-8")
            self._write({"journal": identity})

    def _write(self, entry: Dict[str, Any]) -> None:
        self._file.write(json.dumps(entry) + "\n")
        self._file.flush()

    def get(self, key: str) -> Any:
        return self.done.get(key)

    def put(self, key: str, value: Any) -> None:
        self.done[key] = value
        if self.path:
            self._write({"key": key, "value": value})

    def close(self) -> None:
        if self.path:
            self._file.close()
