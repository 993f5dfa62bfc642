"""Exchange formats: the spreadsheet questionnaire (XLSX/CSV) and the workspace's assessment
history. Everything here reads or writes files; the scoring core stays pure."""

from __future__ import annotations

__all__: list[str] = []
