"""The data dictionary (docs/data-model.md), generated from the models like the schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.models import COLLECTIONS, ENTITY_MODELS, PackageMetadata
from volunteer_standard.models._types import CodeListRef
from volunteer_standard.schema import TITLES_ZH


def _type_name(annotation: Any, metadata: list[Any]) -> tuple[str, list[type[BaseModel]]]:
    nested: list[Any] = []
    code = next((m.name for m in metadata if isinstance(m, CodeListRef)), None)

    def name(tp: Any) -> str:
        nonlocal code
        origin = get_origin(tp)
        args = get_args(tp)
        if origin is Annotated:
            for item in args[1:]:
                if isinstance(item, CodeListRef):
                    code = item.name
            return name(args[0])
        if origin is list:
            return f"list of {name(args[0])}"
        if args and type(None) in args:
            return " | ".join(name(a) for a in args if a is not type(None))
        if origin is dict:
            return "object"
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            nested.append(tp)
            return tp.__name__
        if origin is Literal:
            return " | ".join(repr(a) for a in args)
        return {
            "str": "string",
            "int": "integer",
            "float": "number",
            "bool": "boolean",
            "Decimal": "hours string",
            "date": "date",
            "datetime": "date-time",
        }.get(getattr(tp, "__name__", str(tp)), getattr(tp, "__name__", str(tp)))

    text = name(annotation)
    if code:
        text += f" (code list `{code}`)"
    return text, nested


def _table(model: type[BaseModel], seen: set[str], out: list[str], level: int) -> None:
    later: list[type[BaseModel]] = []
    out.append("| Field | 中文 | Type | Req. | Description |")
    out.append("|---|---|---|---|---|")
    for field_name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        kind, nested = _type_name(info.annotation, list(info.metadata))
        sens = extra.get("x-sensitivity")
        note = f" *({sens} information)*" if sens else ""
        required = "yes" if info.is_required() else ""
        out.append(
            f"| `{field_name}` | {extra.get('x-title-zh', '')} | {kind} | {required} | "
            f"{info.description}{note} |"
        )
        later.extend(m for m in nested if m.__name__ not in seen)
    for sub in later:
        if sub.__name__ in seen:
            continue
        seen.add(sub.__name__)
        out.append("")
        out.append(f"### {sub.__name__}")
        out.append("")
        out.append((sub.__doc__ or "").strip().splitlines()[0])
        out.append("")
        _table(sub, seen, out, level + 1)


def data_dictionary_markdown() -> str:
    """Markdown tables of every entity and nested object, with both titles."""
    out = [
        f"# Data model v{SCHEMA_VERSION} (数据字典)",
        "",
        "Generated from the pydantic models by `vstd schema --dictionary docs/data-model.md`;",
        "do not edit by hand. The JSON Schemas in `schemas/` carry the same information.",
        "",
        "| Type | 中文 | Package array |",
        "|---|---|---|",
    ]
    for kind in ENTITY_MODELS:
        out.append(f"| [`{kind}`](#{kind}) | {TITLES_ZH[kind]} | `{COLLECTIONS[kind]}` |")
    seen: set[str] = {"Entity"}
    for kind, model in ENTITY_MODELS.items():
        out += [
            "",
            f"## {kind}",
            "",
            f"**{TITLES_ZH[kind]}** — {(model.__doc__ or '').strip()}",
            "",
        ]
        _table(model, seen, out, 2)
    out += ["", "## package metadata", "", "The `metadata` object of a JSON package.", ""]
    _table(PackageMetadata, seen, out, 2)
    return "\n".join(out) + "\n"
