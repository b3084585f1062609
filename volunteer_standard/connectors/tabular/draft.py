"""Draft a mapping from a ledger: ``vstd mapping init ledger.csv -o mapping.toml``.

A steward should not start from a blank page. The draft reads the header and a sample of
rows, matches columns to fields through a dictionary of the headers real systems use
(``data/headers.toml``), and writes a commented TOML mapping:

* person columns become a ``volunteer`` (id from the 志愿者编号, else a keyed digest of the
  ID number), a team-name column an ``organization`` (id: a digest of the name), and
  service columns a ``service_record`` referring to both from the same row;
* code-list columns are checked against the code lists (aliases included); labels the
  lists do not know are listed with the closest label as a proposed ``values`` entry;
* date styles and minutes vs hours are guessed from the header and the data;
* columns it cannot place are listed (kept under ``extensions``), and those that look
  like ID numbers, phones or health data are flagged.

What the draft cannot decide (a team type when the ledger has none …) is written as a
commented line marked ``待定 TO DECIDE``; :func:`left_to_decide` says whether the draft
converts as is.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from volunteer_standard import codelists
from volunteer_standard.connectors.tabular.cells import Cell, cell_text, is_empty
from volunteer_standard.connectors.tabular.encoding import sniff_encoding
from volunteer_standard.connectors.tabular.introspect import Scalar, model_node, parse_path, resolve
from volunteer_standard.connectors.tabular.mapping import MappingError, mapping_from_dict
from volunteer_standard.connectors.tabular.readers import read_csv, read_sheet, sheet_names
from volunteer_standard.connectors.tabular.rows import ADDED_COLUMNS
from volunteer_standard.connectors.tabular.sensitive import KIND_TEXT, classify
from volunteer_standard.connectors.tabular.transforms import halfwidth
from volunteer_standard.models import ENTITY_MODELS

SAMPLE_ROWS = 200
TO_DECIDE = "待定 TO DECIDE"
_DATE_STYLES = {
    "%Y/%-m/%-d": re.compile(r"^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"),
    "%Y-%m-%d": re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"),
    "%Y年%-m月%-d日": re.compile(r"^[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日"),
    "%Y.%-m.%-d": re.compile(r"^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}"),
    "%Y%m%d": re.compile(r"^[0-9]{8}$"),
}
_TIME_ONLY = re.compile(r"^[0-9]{1,2}[:时][0-9]{1,2}")


def _closest(value: str, codelist: str) -> str | None:
    """The code a label most likely means: the longest label or alias inside it, else the
    closest label by spelling."""
    codes = codelists.get(codelist)
    names = {c.label_zh: c.code for c in codes.codes if not c.deprecated}
    names.update(codelists.aliases(codelist))
    inside = sorted((n for n in names if len(n) >= 2 and n in value), key=len, reverse=True)
    if inside:
        return names[inside[0]]
    close = difflib.get_close_matches(value, list(names), n=1, cutoff=0.5)
    return names[close[0]] if close else None


@dataclass
class Line:
    """One ``path = value`` line of the draft, with its comment; ``None`` value: to decide."""

    path: str
    value: Any
    comment: str = ""
    decided: bool = True
    #: A value proposed in a comment below the line (a ``values`` map to check).
    proposal: Any = None


@dataclass
class EntityDraft:
    type: str
    key: list[str] | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass
class Draft:
    """The drafted mapping: its entities, the encoding and what is left over."""

    source: str
    encoding: str | None
    sheet: str | None
    entities: list[EntityDraft]
    unmatched: list[tuple[str, str]]  # column, comment
    uses_digest: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The mapping as data (decided lines only), as ``mapping_from_dict`` takes it."""
        out: dict[str, Any] = {"version": 1}
        if self.encoding:
            out["encoding"] = self.encoding
        entities = []
        for entity in self.entities:
            item: dict[str, Any] = {"type": entity.type}
            if self.sheet:
                item["sheet"] = self.sheet
            if entity.key:
                item["key"] = entity.key
            item["fields"] = {ln.path: ln.value for ln in entity.lines if ln.decided}
            entities.append(item)
        out["entities"] = entities
        return out

    def to_toml(self) -> str:
        return _toml(self)

    def left_to_decide(self) -> list[str]:
        """What keeps the draft from converting (empty: it converts as is)."""
        try:
            mapping_from_dict(self.as_dict(), "draft")
        except MappingError as exc:
            return [p.strip() for p in str(exc).split(": ", 1)[-1].split("; ")]
        return []


@cache
def header_dictionary() -> dict[str, dict[str, list[str]]]:
    """``data/headers.toml``: entity → field → the headers real systems use."""
    text = (resources.files(__package__ or __name__) / "data" / "headers.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(text)


def _norm(header: str) -> str:
    return re.sub(r"\s+", "", halfwidth(header))


def _match(header: Sequence[str], names: Iterable[str], taken: set[str]) -> str | None:
    """The first free column equal to one of ``names`` (then: containing one)."""
    wanted = [_norm(n) for n in names]
    free = [h for h in header if h and h not in taken]
    for name in wanted:
        for column in free:
            if _norm(column) == name:
                return column
    for name in wanted:
        for column in free:
            if len(name) >= 2 and name in _norm(column):
                return column
    return None


def _sample(path: Path, sheet: str | None) -> tuple[list[str], list[dict[str, Cell]], str | None]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        chosen = sheet or next((n for n, visible in sheet_names(path) if visible), None)
        if chosen is None:
            raise MappingError(f"{path}: the workbook has no visible sheet")
        table = read_sheet(path, chosen)
        encoding = None
    else:
        with path.open("rb") as fh:
            encoding = sniff_encoding(fh.read(1 << 16))
        table = read_csv(path)
    header = list(table.header)
    rows: list[dict[str, Cell]] = []
    for row in table.rows:
        if not row.is_blank():
            rows.append(dict(zip(header, row.cells, strict=False)))
        if len(rows) >= SAMPLE_ROWS:
            break
    return header, rows, encoding


def draft_mapping(path: str | Path, *, sheet: str | None = None) -> Draft:
    """Draft a mapping for the ledger at ``path`` (CSV or XLSX)."""
    source = Path(path)
    header, rows, encoding = _sample(source, sheet)
    builder = _Builder(header, rows)
    entities = builder.build()
    unmatched = builder.leftovers()
    is_xlsx = source.suffix.lower() in (".xlsx", ".xlsm")
    return Draft(
        str(source),
        encoding if encoding not in ("utf-8", "utf-8-sig", None) else None,
        sheet if is_xlsx else None,
        entities,
        unmatched,
        builder.uses_digest,
    )


class _Builder:
    """Matches a header to fields and writes the entity drafts."""

    def __init__(self, header: list[str], rows: list[dict[str, Cell]]) -> None:
        self.header = header
        self.rows = rows
        # The columns a reject file adds are never data (see ``rejects``).
        self.added = {h for h in header if h in ADDED_COLUMNS}
        self.taken: set[str] = set(self.added)
        self.uses_digest = False
        self.words = header_dictionary()

    def values(self, column: str) -> list[str]:
        return [cell_text(r[column]).strip() for r in self.rows if not is_empty(r.get(column, ""))]

    def find(self, group: str, name: str) -> str | None:
        found = _match(self.header, self.words[group][name], self.taken)
        if found is not None:
            self.taken.add(found)
        return found

    def build(self) -> list[EntityDraft]:
        volunteer = self._volunteer()
        organization = self._organization()
        record = self._service_record(volunteer, organization)
        return [e for e in (volunteer, organization, record) if e is not None]

    # -- volunteer ---------------------------------------------------------------------
    def _volunteer(self) -> EntityDraft | None:
        number = self.find("volunteer", "volunteer_no")
        id_number = self.find("volunteer", "id_document.number")
        name = self.find("volunteer", "name")
        if name is None and number is None and id_number is None:
            return None
        entity = EntityDraft("volunteer")
        if number is not None:
            entity.key = [number]
            entity.lines.append(Line("id", {"template": f"V-{{{number}}}"}))
            entity.lines.append(Line("volunteer_no", number))
        elif id_number is not None:
            self.uses_digest = True
            entity.key = [id_number]
            template = f"V-{{digest:{id_number}}}"
            entity.lines.append(
                Line("id", {"template": template}, "身份证号的带密钥摘要 keyed digest, never clear")
            )
            entity.lines.append(
                Line(
                    "volunteer_no",
                    {"template": template},
                    "台账没有志愿者编号：暂用同一摘要 no 志愿者编号 column: the same digest",
                )
            )
        else:
            entity.lines.append(
                Line("id", None, f"{TO_DECIDE}: 没有编号或身份证号列 no number column", False)
            )
        if name is not None:
            entity.lines.append(Line("name", name))
        else:
            entity.lines.append(Line("name", None, f"{TO_DECIDE}: 姓名列? name column?", False))
        if id_number is not None:
            kind = self.find("volunteer", "id_document.type")
            entity.lines.append(
                Line("id_document.type", kind)
                if kind
                else Line("id_document.type", {"constant": "01"}, "01 内地居民身份证")
            )
            entity.lines.append(Line("id_document.number", id_number))
        self._simple(entity, "volunteer", [
            "gender", "birth_date", "ethnicity", "political_status", "education", "phone",
            "email", "residence.address", "registered_on",
        ])  # fmt: skip
        self._region(entity)
        return entity

    def _region(self, entity: EntityDraft) -> None:
        parts = [self.find("region", p) for p in ("province", "city", "district")]
        columns = [p for p in parts if p is not None]
        if columns:
            entity.lines.append(
                Line("residence.region_code", {"columns": columns}, "省/市/区 → GB/T 2260")
            )

    def _simple(self, entity: EntityDraft, group: str, names: Sequence[str]) -> None:
        root = model_node(ENTITY_MODELS[entity.type])
        for name in names:
            column = self.find(group, name)
            if column is None:
                continue
            node = resolve(root, parse_path(name))
            codelist = node.codelist if isinstance(node, Scalar) else None
            if codelist is not None:
                entity.lines.append(self._code_line(name, column, codelist))
            else:
                entity.lines.append(Line(name, column))

    def _code_line(self, path: str, column: str, codelist: str) -> Line:
        codes = codelists.get(codelist)
        known = {c.label_zh for c in codes.codes} | set(codes.all_codes())
        known |= set(codelists.aliases(codelist))
        unknown = sorted({v for v in self.values(column) if v not in known})
        if not unknown:
            return Line(path, column, f"code list {codelist}")
        proposals = {v: code for v in unknown if (code := _closest(v, codelist)) is not None}
        note = ", ".join(
            f"{v} → {proposals[v]} {codes.label(proposals[v])}" if v in proposals else f"{v} → ?"
            for v in unknown
        )
        return Line(
            path,
            column,
            f"{TO_DECIDE}: code list {codelist} 不认识 unknown labels: {note}",
            proposal={"column": column, "values": proposals} if proposals else None,
        )

    # -- organization ------------------------------------------------------------------
    def _organization(self) -> EntityDraft | None:
        team = self.find("organization", "name")
        if team is None:
            return None
        self.uses_digest = True
        entity = EntityDraft("organization", key=[team])
        entity.lines.append(
            Line("id", {"template": f"T-{{digest:{team}}}"}, "队伍名称的摘要 digest of the name")
        )
        entity.lines.append(Line("name", team))
        kind = self.find("organization", "team_type")
        if kind is not None:
            entity.lines.append(Line("team_type", kind))
        else:
            entity.lines.append(
                Line(
                    "team_type",
                    {"constant": "1"},
                    f"{TO_DECIDE}: 1 志愿服务团体 / 2 志愿服务组织 / "
                    "3 其它开展志愿服务活动的法人组织",
                    False,
                )
            )
        return entity

    # -- service record ----------------------------------------------------------------
    def _service_record(
        self, volunteer: EntityDraft | None, organization: EntityDraft | None
    ) -> EntityDraft | None:
        hours = self.find("service_record", "hours")
        day = self.find("time", "date")
        start = self.find("time", "start")
        end = self.find("time", "end")
        if hours is None and start is None:
            return None
        entity = EntityDraft("service_record")
        number = self.find("service_record", "record_no")
        if number is not None:
            entity.lines.append(Line("id", {"template": f"SR-{{{number}}}"}))
        else:
            self.uses_digest = True
            entity.lines.append(
                Line(
                    "id",
                    {"template": "SR-{digest:_file,_row}"},
                    "文件名+行号的摘要：重复转换编号不变 file + row: same ids on every run",
                )
            )
        for ref, other in (("volunteer_id", volunteer), ("organization_id", organization)):
            line = next((ln for ln in other.lines if ln.path == "id"), None) if other else None
            if line is not None and line.decided:
                entity.lines.append(Line(ref, line.value, "同一行 from the same row"))
            else:
                entity.lines.append(Line(ref, None, f"{TO_DECIDE}: {ref}", False))
        entity.lines.extend(self._times(day, start, end))
        if hours is not None:
            entity.lines.append(self._hours(hours))
        else:
            entity.lines.append(Line("hours", None, f"{TO_DECIDE}: 服务时长列? hours?", False))
        entity.lines.append(
            Line("status", {"constant": "effective"}, "台账记录视为已生效 taken as effective")
        )
        self._simple(
            entity, "service_record", ["content", "service_category", "remarks", "recorded_by"]
        )
        return entity

    def _times(self, day: str | None, start: str | None, end: str | None) -> list[Line]:
        lines = []
        for path, column in (("start", start), ("end", end)):
            if column is None:
                lines.append(Line(path, None, f"{TO_DECIDE}: {path} column?", False))
                continue
            values = self.values(column)
            time_only = bool(values) and all(_TIME_ONLY.match(v) for v in values)
            if time_only and day is not None:
                styles = self._date_styles(day)
                spec: dict[str, Any] = {"columns": [day, column]}
                if styles:
                    spec["format"] = styles[0] + " %H:%M"
                note = "日期样式 date styles: " + (", ".join(styles) or "?") + "（均可读 all read）"
                lines.append(Line(path, spec, note))
            else:
                lines.append(Line(path, column))
        return lines

    def _date_styles(self, column: str) -> list[str]:
        seen: Counter[str] = Counter()
        for value in self.values(column):
            for style, pattern in _DATE_STYLES.items():
                if pattern.match(value):
                    seen[style] += 1
                    break
        return [s for s, _n in seen.most_common()]

    def _hours(self, column: str) -> Line:
        norm = _norm(column)
        if "分钟" in norm or "分" in norm.replace("分数", ""):
            return Line("hours", {"column": column, "unit": "minutes"}, "表头写明分钟 minutes")
        if "小时" in norm:
            return Line("hours", column, "表头写明小时 hours")
        numbers = []
        for value in self.values(column):
            try:
                numbers.append(float(value))
            except ValueError:
                continue
        if numbers and max(numbers) > 24:
            return Line(
                "hours",
                {"column": column, "unit": "minutes"},
                f"数值最大 {max(numbers):g}，按分钟 values up to {max(numbers):g}: minutes",
            )
        return Line("hours", column, "数值不超过 24，按小时 values ≤ 24: hours")

    # -- leftovers ---------------------------------------------------------------------
    def leftovers(self) -> list[tuple[str, str]]:
        out = []
        for column in self.header:
            if not column or column in self.taken:
                if column in self.added:
                    out.append((column, "退回文件的附加列，读取时自动识别 added by a reject file"))
                continue
            kind = classify(column, self.values(column))
            if kind is not None:
                what = KIND_TEXT[kind]
                out.append(
                    (
                        column,
                        f"看起来是{what.zh} looks like {what.en}: 映射、sensitive 或 ignore "
                        "map it, mark it sensitive or ignore it",
                    )
                )
            else:
                out.append((column, "保存在 extensions 下 kept under extensions"))
        return out


# -- TOML ----------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return json.dumps(key, ensure_ascii=False)


def _toml_path(path: str) -> str:
    return ".".join(_toml_key(p) for p in path.split("."))


def _toml(draft: Draft) -> str:
    out = [
        f"# 由 vstd mapping init 从 {Path(draft.source).name} 生成的映射草稿",
        f"# Draft mapping written by `vstd mapping init` from {Path(draft.source).name}.",
        f"# 标有“{TO_DECIDE}”的行需要您决定 Lines marked {TO_DECIDE} need a decision.",
    ]
    if draft.uses_digest:
        out.append(
            "# {digest:…} 编号需要密钥：export VSTD_ID_KEY=…"
            "（至少 16 个字符，每次相同，勿写入本文件）"
        )
        out.append(
            "# {digest:…} ids need a key: export VSTD_ID_KEY=… (16+ characters, the same on "
            "every run, never in this file)"
        )
    out += ["", "version = 1"]
    if draft.encoding:
        out.append(f"encoding = {_toml_value(draft.encoding)}")
    for entity in draft.entities:
        out += ["", "[[entities]]", f"type = {_toml_value(entity.type)}"]
        if draft.sheet:
            out.append(f"sheet = {_toml_value(draft.sheet)}")
        if entity.key:
            out.append(f"key = {_toml_value(entity.key)}")
            out.append('on_conflict = "first"   # first / last / reject')
        out.append("[entities.fields]")
        for line in entity.lines:
            text = f"{_toml_path(line.path)} = {_toml_value(line.value)}"
            if not line.decided:
                text = "# " + (text if line.value is not None else f"{_toml_path(line.path)} = ")
            out.append(text + (f"   # {line.comment}" if line.comment else ""))
            if line.proposal is not None:
                proposed = f"{_toml_path(line.path)} = {_toml_value(line.proposal)}"
                out.append(f"# {proposed}   # 建议 proposed: 核对后取消注释 check, then uncomment")
    if draft.unmatched:
        out += ["", "# 未匹配的列 Unmatched columns:"]
        out += [f"#   {column}: {comment}" for column, comment in draft.unmatched]
    return "\n".join(out) + "\n"


__all__ = ["Draft", "EntityDraft", "Line", "draft_mapping", "header_dictionary"]
