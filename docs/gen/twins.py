"""Every page exists in English (``page.md``) and Chinese (``page.zh.md``): the twin check.

The site is built with both languages; a page with one language only would silently fall
back to the other one, so a missing twin is an error (in ``mkdocs build`` and in pytest).
"""

from __future__ import annotations

from pathlib import Path

ZH_SUFFIX = ".zh.md"
# Folders of docs/ that are not pages of the site.
NOT_PAGES = ("gen",)


def is_zh(path: Path) -> bool:
    """Whether ``path`` is the Chinese twin of a page."""
    return path.name.endswith(ZH_SUFFIX)


def twin_of(path: Path) -> Path:
    """The other language's file of a page: ``a.md`` ↔ ``a.zh.md``."""
    if is_zh(path):
        return path.with_name(path.name[: -len(ZH_SUFFIX)] + ".md")
    return path.with_name(path.name[: -len(".md")] + ZH_SUFFIX)


def pages(docs_dir: Path) -> list[Path]:
    """Markdown pages of the site, relative to ``docs_dir``, sorted."""
    found = []
    for path in docs_dir.rglob("*.md"):
        relative = path.relative_to(docs_dir)
        if relative.parts[0] in NOT_PAGES:
            continue
        found.append(relative)
    return sorted(found)


def missing_twins(docs_dir: Path) -> list[str]:
    """One message per page whose other-language twin does not exist."""
    present = set(pages(docs_dir))
    problems = []
    for page in sorted(present):
        twin = twin_of(page)
        if twin not in present:
            language = "Chinese" if not is_zh(page) else "English"
            problems.append(f"docs/{page} has no {language} twin docs/{twin}")
    return problems
