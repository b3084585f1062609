"""Unmapped columns that hold personal data: found early, reported with what to do.

Unmapped columns are kept under ``extensions`` so that nothing is lost. A column of ID
numbers, phone numbers or health information kept that way would travel unprotected, so
the first rows of every unmapped column are looked at, and a column that looks sensitive is
reported (by name, never by value) with the three ways out: map it to its field, mark it
``sensitive`` in the mapping (privacy modes then mask or drop it), or ``ignore`` it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty
from volunteer_standard.connectors.tabular.ids import looks_like_resident_id
from volunteer_standard.connectors.tabular.mapping import EntityMapping, TabularMapping
from volunteer_standard.text import Text, default_lang

log = logging.getLogger("volunteer_standard.tabular")

SAMPLE_ROWS = 50
_MOBILE = re.compile(r"(?:\+?86[- ]?)?1[3-9][0-9]{9}")
_HEALTH_WORDS = ("健康", "病史", "疾病", "过敏", "残疾", "血型", "身体状况", "用药", "体检", "病情")
_FIELD_OF = {"id_number": "id_document.number", "phone": "phone", "health": "—"}
KIND_TEXT = {
    "id_number": Text("身份证号", "ID numbers"),
    "phone": Text("手机号", "phone numbers"),
    "health": Text("健康信息", "health information"),
}


@dataclass(frozen=True)
class SensitiveColumn:
    """An unmapped column that looks like it holds personal data."""

    column: str
    kind: str  # id_number, phone or health

    def text(self) -> Text:
        what = KIND_TEXT[self.kind]
        field = _FIELD_OF[self.kind]
        col = self.column
        mapped_zh = f'映射到字段（如 {field} = "{col}"）、' if field != "—" else ""
        mapped_en = f'map it to its field ({field} = "{col}"), ' if field != "—" else ""
        return Text(
            f"未映射的列 {col!r} 看起来是{what.zh}，会原样保存在 extensions 里：请{mapped_zh}"
            f'在映射中标为敏感（sensitive = ["{col}"]），或忽略它（ignore = ["{col}"]）',
            f"the unmapped column {col!r} looks like {what.en} and would be kept as is under "
            f'extensions: {mapped_en}mark it sensitive (sensitive = ["{col}"]) or drop it '
            f'(ignore = ["{col}"])',
        )


def classify(name: str, values: Iterable[str]) -> str | None:
    """``id_number``, ``phone`` or ``health`` when the column looks like one; else ``None``."""
    if any(word in name for word in _HEALTH_WORDS):
        return "health"
    sample = [v.strip() for v in values if v.strip()]
    if not sample:
        return None
    ids = sum(1 for v in sample if looks_like_resident_id(v.upper()))
    if ids * 2 >= len(sample):
        return "id_number"
    phones = sum(1 for v in sample if _MOBILE.fullmatch(v.replace("-", "").replace(" ", "")))
    if phones * 2 >= len(sample):
        return "phone"
    return None


class SensitiveScan:
    """Looks at the first rows of a table's unmapped columns, then reports once."""

    def __init__(
        self, mapping: TabularMapping, entities: Sequence[EntityMapping], header: Sequence[str]
    ) -> None:
        from volunteer_standard.connectors.tabular.rows import ADDED_COLUMNS

        taken: set[str] = set(ADDED_COLUMNS)
        for entity in entities:
            taken |= set(entity.mapped_columns) | entity.ignore | entity.sensitive_columns
        keeps = mapping.spec.keep_unmapped
        self.columns = [h for h in header if h and h not in taken] if keeps else []
        self._values: dict[str, list[str]] = {c: [] for c in self.columns}
        self._rows = 0
        self.found: list[SensitiveColumn] | None = None

    def look(self, cells: Mapping[str, Cell]) -> None:
        if self.found is not None or not self.columns:
            return
        for column in self.columns:
            cell = cells.get(column, "")
            if not is_empty(cell):
                self._values[column].append(cell_text(cell))
        self._rows += 1
        if self._rows >= SAMPLE_ROWS:
            self.report("")

    def report(self, label: str) -> list[SensitiveColumn]:
        """Log each sensitive-looking column once; the columns found."""
        if self.found is None:
            self.found = [
                SensitiveColumn(c, kind)
                for c in self.columns
                if (kind := classify(c, self._values[c])) is not None
            ]
            self._values.clear()
            for item in self.found:
                log.warning("%s%s", f"{label}: " if label else "", item.text().get(default_lang()))
        return self.found


__all__ = ["SensitiveColumn", "SensitiveScan", "classify"]
