"""The sensitivity class of every field of the standard, as a table people can read.

The classes live on the model fields (``x-sensitivity``: public, personal, sensitive);
this module lists them for ``vstd fields --sensitivity`` and writes the table that
``docs/sensitivity.md`` is generated from, so the docs never drift from the models.
"""

from __future__ import annotations

from dataclasses import dataclass

from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.models.introspect import sensitivity_classes
from volunteer_standard.text import Lang, Text

CLASS_LABELS: dict[str, Text] = {
    "public": Text("公开", "public"),
    "personal": Text("个人信息", "personal"),
    "sensitive": Text("敏感个人信息", "sensitive"),
}


@dataclass(frozen=True, slots=True)
class FieldClass:
    """One field path of one entity type and its class."""

    entity: str
    path: str
    sensitivity: str


def field_classes(only_personal: bool = False) -> list[FieldClass]:
    """Every field of every entity type with its class (nested paths joined by dots)."""
    rows: list[FieldClass] = []
    for entity, model in ENTITY_MODELS.items():
        for path, cls in sensitivity_classes(model):
            if only_personal and cls == "public":
                continue
            rows.append(FieldClass(entity, ".".join(path), cls))
    return rows


def markdown_table(lang: Lang = "en", only_personal: bool = True) -> str:
    """The table of ``docs/sensitivity.md`` (personal and sensitive fields by default)."""
    head = ("对象", "字段", "类别") if lang == "zh" else ("Entity", "Field", "Class")
    lines = [f"| {head[0]} | {head[1]} | {head[2]} |", "|---|---|---|"]
    for row in field_classes(only_personal):
        label = CLASS_LABELS[row.sensitivity].get(lang)
        lines.append(f"| {row.entity} | `{row.path}` | {label} |")
    return "\n".join(lines) + "\n"


__all__ = ["CLASS_LABELS", "FieldClass", "field_classes", "markdown_table"]
