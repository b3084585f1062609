"""mkdocs hooks of the documentation site (``hooks:`` in ``mkdocs.yml``).

* The twin check: every page exists in both languages, or the build fails.
* The generated references (``docs/reference/``) must match the code, or the build fails.
* English pages are ``page.md`` and Chinese ones ``page.zh.md``, while Chinese is the site's
  default language: mkdocs-static-i18n reads an unsuffixed file as the default language, so
  the pages are staged under ``build/docs-src`` with English renamed ``page.en.md``.
* Links that leave ``docs/`` (``../plugins/…/README.md``) work on GitHub; on the site they
  become links into the repository (``repo_url``) or plain text, and must point at a file
  that exists.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docs.gen import reference, twins

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DOCS = ROOT / "docs"
STAGED_DOCS = ROOT / "build" / "docs-src"
LINK = re.compile(r"\[(?P<label>[^\]\n]*)\]\((?P<target>[^)\s]+)\)")
# Chinese is wrapped in the sources at 100 columns; a line break between two Chinese
# characters or punctuation marks would show as a space in the browser.
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])\n(?=[{CJK}])")
FENCED = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)


def on_config(config: MkDocsConfig, **_: Any) -> MkDocsConfig:
    """Check twins and generated references, then build from the staged copy of docs/."""
    problems = twins.missing_twins(SOURCE_DOCS)
    problems += [f"{name} is stale: run {reference.REGENERATE}" for name in reference.drift()]
    if problems:
        raise PluginError("docs: " + "; ".join(problems))
    stage(SOURCE_DOCS, STAGED_DOCS)
    config["docs_dir"] = str(STAGED_DOCS)
    return config


def stage(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``: English pages as ``page.en.md``, the rest unchanged."""
    if target.exists():
        shutil.rmtree(target)
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if relative.parts[0] in twins.NOT_PAGES or path.is_dir():
            continue
        if path.suffix == ".md" and not twins.is_zh(path):
            relative = relative.with_name(relative.name[: -len(".md")] + ".en.md")
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def source_path(page: Page) -> Path:
    """The page's file in docs/ (not the staged copy)."""
    uri = page.file.src_uri
    if uri.endswith(".en.md"):
        uri = uri[: -len(".en.md")] + ".md"
    return SOURCE_DOCS / uri


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
    """Turn links that leave docs/ into repository links (or text); fail on dead ones."""
    folder = source_path(page).parent

    def replace(match: re.Match[str]) -> str:
        target = match["target"]
        if "://" in target or target.startswith(("#", "mailto:")):
            return match[0]
        path = (folder / target.split("#")[0]).resolve()
        if path.is_relative_to(SOURCE_DOCS):
            return match[0]
        if not path.is_relative_to(ROOT) or not path.exists():
            raise PluginError(f"docs: {source_path(page).relative_to(ROOT)}: dead link {target}")
        relative = path.relative_to(ROOT).as_posix()
        if config.repo_url:
            return f"[{match['label']}]({config.repo_url.rstrip('/')}/blob/main/{relative})"
        return match["label"]

    return join_cjk_lines(LINK.sub(replace, markdown))


def join_cjk_lines(markdown: str) -> str:
    """Remove line breaks between Chinese characters outside fenced code blocks."""
    parts, last = [], 0
    for block in FENCED.finditer(markdown):
        parts.append(CJK_BREAK.sub("", markdown[last : block.start()]))
        parts.append(block.group(0))
        last = block.end()
    parts.append(CJK_BREAK.sub("", markdown[last:]))
    return "".join(parts)
