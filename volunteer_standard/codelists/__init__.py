"""Code lists of the standard, kept as data.

Each list is one UTF-8 CSV file in ``data/`` (``code,label_zh,label_en,source,deprecated``),
described by a row of ``data/index.csv`` (``name,title_zh,title_en,version,closed,source``).
Keeping the lists as data lets non-programmers review and extend them, and lets other tools
(JSON Schema export, spreadsheets, other languages) read the very same files.

*Closed* lists are enforced by the models; *open* lists accept unknown codes with a warning,
because the real systems keep adding regional or ad hoc codes.

Codes are always strings: leading zeros matter (``"01"`` is not ``"1"``).

Region (administrative division) codes have history and their own module, ``regions``.
"""

from __future__ import annotations

import csv
import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

from volunteer_standard.codelists import regions as regions
from volunteer_standard.codelists._data import data_dir
from volunteer_standard.registry import REGISTRY, RegistrationError
from volunteer_standard.text import Text

__all__ = [
    "CODELISTS_VERSION",
    "PLUGIN_CODELISTS",
    "Code",
    "CodeList",
    "CodeListFolder",
    "aliases",
    "all_codelists",
    "bundled_names",
    "data_dir",
    "get",
    "names",
    "regions",
]

CODELISTS_VERSION: str = "1.0"

INDEX_HEADER = ("name", "title_zh", "title_en", "version", "closed", "source")
LIST_HEADER = ("code", "label_zh", "label_en", "source", "deprecated")
_BOOLS = {"true": True, "false": False}


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of a code list."""

    code: str
    label_zh: str
    label_en: str
    source: str
    deprecated: bool


@dataclass(frozen=True)
class CodeList:
    """A named, versioned list of codes with bilingual labels."""

    name: str
    title_zh: str
    title_en: str
    version: str
    closed: bool
    source: str
    codes: tuple[Code, ...]
    _by_code: dict[str, Code] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # A dict next to the tuple: membership tests run once per field per record.
        object.__setattr__(self, "_by_code", {c.code: c for c in self.codes})

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def get(self, code: str) -> Code | None:
        """The entry for ``code``, or ``None`` when the list does not have it."""
        return self._by_code.get(code)

    def label(self, code: str, lang: str = "zh") -> str:
        """The label of ``code`` in ``lang`` ("zh" or "en"); the code itself when unknown.

        Falling back to the code keeps reports readable for open lists, where unknown codes
        are legitimate.
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        entry = self._by_code.get(code)
        if entry is None:
            return code
        return entry.label_zh if lang == "zh" else entry.label_en

    def active_codes(self) -> tuple[str, ...]:
        """Codes that may be used in new data (not deprecated)."""
        return tuple(c.code for c in self.codes if not c.deprecated)

    def all_codes(self) -> tuple[str, ...]:
        """Every code, deprecated ones included, in file order."""
        return tuple(c.code for c in self.codes)


def _read_rows(path: Path, header: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV file whose header must be exactly ``header``."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        first = next(reader, None)
        if first is None or tuple(first) != header:
            raise ValueError(f"{path.name}: header must be {','.join(header)}, got {first!r}")
        rows: list[dict[str, str]] = []
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise ValueError(f"{path.name}:{lineno}: expected {len(header)} columns")
            rows.append(dict(zip(header, row, strict=True)))
        return rows


def _bool(value: str, where: str) -> bool:
    try:
        return _BOOLS[value]
    except KeyError:
        raise ValueError(f"{where}: expected 'true' or 'false', got {value!r}") from None


@functools.cache
def _index() -> dict[str, dict[str, str]]:
    """The rows of the bundled ``index.csv`` by list name."""
    return {row["name"]: row for row in _read_rows(data_dir() / "index.csv", INDEX_HEADER)}


def _read_list(folder: Path, meta: dict[str, str]) -> CodeList:
    name = meta["name"]
    path = folder / f"{name}.csv"
    codes: list[Code] = []
    seen: set[str] = set()
    for row in _read_rows(path, LIST_HEADER):
        code = row["code"]
        if not code or code in seen:
            raise ValueError(f"{path.name}: empty or duplicate code {code!r}")
        seen.add(code)
        codes.append(
            Code(
                code=code,
                label_zh=row["label_zh"],
                label_en=row["label_en"],
                source=row["source"],
                deprecated=_bool(row["deprecated"], f"{path.name} code {code}"),
            )
        )
    return CodeList(
        name=name,
        title_zh=meta["title_zh"],
        title_en=meta["title_en"],
        version=meta["version"],
        closed=_bool(meta["closed"], f"index.csv list {name}"),
        source=meta["source"],
        codes=tuple(codes),
    )


@functools.cache
def _load(name: str) -> CodeList:
    return _read_list(data_dir(), _index()[name])


# -- code lists from plugins (the registry's ``register_codelists`` kind) ---------------------


@dataclass(frozen=True)
class CodeListFolder:
    """A folder of extra code lists registered by a plugin (same layout as ``data/``)."""

    path: Path
    lists: dict[str, CodeList]


def check_folder(value: object) -> CodeListFolder:
    """Read a registered folder whole, so a broken file is refused at registration."""
    if not isinstance(value, (str, Path)):
        raise RegistrationError(
            Text(
                "register_codelists：应登记一个文件夹路径",
                "register_codelists: register(folder) expects a folder path",
            )
        )
    folder = Path(value)
    index = folder / "index.csv"
    if not index.is_file():
        raise RegistrationError(
            Text(f"代码表文件夹 {folder} 中没有 index.csv", f"{folder}: no index.csv")
        )
    try:
        lists = {m["name"]: _read_list(folder, m) for m in _read_rows(index, INDEX_HEADER)}
    except (OSError, ValueError) as exc:
        raise RegistrationError(
            Text(f"代码表文件夹 {folder}：{exc}", f"code-list folder {folder}: {exc}")
        ) from None
    bundled = sorted(set(lists) & set(_index()))
    if bundled:
        raise RegistrationError(
            Text(
                f"代码表 {', '.join(bundled)} 是标准自带的，插件不能替换",
                f"code lists {', '.join(bundled)} are part of the standard; a plugin cannot "
                "replace them",
            )
        )
    return CodeListFolder(folder, lists)


PLUGIN_CODELISTS = REGISTRY.kind(
    "register_codelists",
    key=lambda folder: str(folder.path),
    check=check_folder,
    claims=lambda folder: tuple(folder.lists),
)


def _plugin_lists() -> dict[str, CodeList]:
    return {name: cl for f in PLUGIN_CODELISTS for name, cl in f.lists.items()}


def get(name: str) -> CodeList:
    """The code list called ``name``: bundled, or registered by a plugin.

    Raises ``KeyError`` naming the closest list names, so that a typo in a model or a
    profile is easy to fix.
    """
    if name in _index():
        return _load(name)
    extra = _plugin_lists()
    if name in extra:
        return extra[name]
    close = difflib.get_close_matches(name, [*_index(), *extra], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"unknown code list {name!r}{hint}")


ALIAS_HEADER = ("list", "code", "alias")


@functools.cache
def _aliases() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in _read_rows(data_dir() / "aliases.csv", ALIAS_HEADER):
        out.setdefault(row["list"], {})[row["alias"]] = row["code"]
    return out


def aliases(name: str) -> dict[str, str]:
    """Short labels people write for codes of ``name`` (``民盟`` → ``05``), from
    ``data/aliases.csv``; only unambiguous ones are listed. Readers accept them; writers
    always write the full label."""
    return dict(_aliases().get(name, {}))


def names() -> list[str]:
    """Names of all code lists (bundled and plugins'), sorted."""
    return sorted({*_index(), *_plugin_lists()})


def bundled_names() -> list[str]:
    """Names of the code lists that are part of the standard, sorted."""
    return sorted(_index())


def all_codelists() -> list[CodeList]:
    """Every code list, sorted by name."""
    return [get(n) for n in names()]
