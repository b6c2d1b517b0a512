"""Errors that name the file, line and reason, so a batch can report and go on."""
from __future__ import annotations


class LoadError(Exception):
    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")
