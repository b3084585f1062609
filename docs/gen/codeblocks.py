"""Run the code examples of the docs and READMEs, so that none goes stale (issue 14).

Fenced ``bash``, ``sh`` and ``python`` blocks are run in order, one markdown file at a time,
each file in a fresh folder holding a copy of ``examples/`` and a ``.venv`` link to the
repository's environment: the folder a reader has after ``make install`` in a clone. Blocks
of one file share that folder, so a page is followed as a reader follows it; ``console``,
``text``, ``json``, ``yaml`` and ``toml`` blocks show output or data and are not run.

Markers, an HTML comment on the line just before the fence:

* ``<!-- skip-test: REASON -->``: not run (installing packages, uploading, a server the
  tests cannot have); the reason is required and shows in the test report;
* ``<!-- expect-exit: N -->``: the block must end with exit code N (``vstd validate`` of
  broken data ends with 1);
* ``<!-- allow-exit: N -->``: a command of the block may exit with N and the block goes on
  (a tour that validates broken data among other commands); any other failure still fails.

Blocks of a page behave like one shell session: variables a block exports and the folder it
``cd``s into carry over to the next block. Each block runs in its own process group with a
timeout; servers a page starts in the background (``vstd serve … &``) are stopped when the
page is done. The hub's port 8600 is replaced by a free port so pages can run in parallel;
``HOME`` is a temporary folder.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_LANGUAGES = {"bash": "bash", "sh": "bash", "python": "python"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
MARKER = re.compile(
    r"^\s*<!--\s*(?P<key>skip-test|expect-exit|allow-exit)\s*(?::\s*(?P<value>.*?))?\s*-->"
)
HUB_PORT = "8600"
TIMEOUT = 90.0


@dataclass(frozen=True)
class Block:
    """One fenced code block of a markdown file."""

    path: Path
    line: int
    lang: str
    code: str
    skip: str | None = None
    expect_exit: int = 0
    allow_exit: int | None = None

    @property
    def runs(self) -> bool:
        return self.lang in RUN_LANGUAGES and self.skip is None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


class MarkerError(ValueError):
    """A marker that cannot be understood (an empty skip reason, a non-numeric exit)."""


def markdown_files() -> list[Path]:
    """The READMEs, CONTRIBUTING.md and every page of docs/ (not docs/gen)."""
    docs = sorted(p for p in (ROOT / "docs").rglob("*.md") if "gen" not in p.parts)
    return [ROOT / "README.md", ROOT / "README.zh.md", ROOT / "CONTRIBUTING.md", *docs]


@dataclass(frozen=True)
class _Markers:
    skip: str | None = None
    expect_exit: int = 0
    allow_exit: int | None = None


def _markers(previous: str, where: str) -> _Markers:
    match = MARKER.match(previous)
    if match is None:
        return _Markers()
    key, value = match["key"], (match["value"] or "").strip()
    if key == "skip-test":
        if not value:
            raise MarkerError(f"{where}: skip-test needs a reason: <!-- skip-test: why -->")
        return _Markers(skip=value)
    if not value.isdigit():
        raise MarkerError(f"{where}: {key} needs a number: <!-- {key}: 1 -->")
    if key == "expect-exit":
        return _Markers(expect_exit=int(value))
    return _Markers(allow_exit=int(value))


def extract(path: Path) -> list[Block]:
    """Every fenced block of ``path`` with its language, first line and markers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        previous = next((t for t in reversed(lines[:index]) if t.strip()), "")
        where = f"{path}:{index + 1}"
        markers = _markers(previous, where)
        body: list[str] = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][indent:] if lines[index][:indent].isspace() else lines[index])
            index += 1
        code = "\n".join(body) + "\n"
        lang = opening["lang"].lower()
        blocks.append(
            Block(path, index - len(body), lang, code, markers.skip, markers.expect_exit,
                  markers.allow_exit)
        )  # fmt: skip
        index += 1
    return blocks


@dataclass
class Outcome:
    """What running one block gave."""

    block: Block
    exit_code: int | None
    output: str

    @property
    def ok(self) -> bool:
        return self.exit_code == self.block.expect_exit


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(home: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    env["HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    env["PYTHONUTF8"] = "1"
    env["NO_COLOR"] = "1"
    return env


def _adapt(code: str, port: int) -> str:
    """The hub's default port → a free one (pages run in parallel)."""
    code = re.sub(rf"(127\.0\.0\.1|localhost):{HUB_PORT}\b", rf"\1:{port}", code)
    return re.sub(r"(vstd serve)(?=[ \t]*(?:[>&\n]| --(?!port)))", rf"\1 --port {port}", code)


class Page:
    """A folder in which one markdown file's blocks run, in order; stops what they leave."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.groups: list[int] = []
        for name in ("examples", "schemas"):  # what a clone has that examples use
            shutil.copytree(ROOT / name, folder / name)
        self.session = folder / ".session"  # exported variables and folder between blocks
        (folder / ".venv").symlink_to(ROOT / ".venv")
        (folder / "home").mkdir()
        self.env = _environment(folder / "home")

    def run(self, block: Block, timeout: float = TIMEOUT) -> Outcome:
        """Run one block; its output goes through files so background servers cannot block."""
        number = len(self.groups)
        script = self.folder / f".block-{number}"
        source = _adapt(block.code, self.port)
        if RUN_LANGUAGES[block.lang] == "bash":
            source = self._session(source, block.allow_exit)
        script.write_text(source, encoding="utf-8")
        log = self.folder / f".block-{number}.log"
        if RUN_LANGUAGES[block.lang] == "python":
            command = [str(ROOT / ".venv" / "bin" / "python"), str(script)]
        else:
            command = ["bash", *([] if block.allow_exit is not None else ["-e"]), str(script)]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=self.folder, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            self.groups.append(process.pid)
            try:
                code: int | None = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                code = None
                _stop(process.pid)
        return Outcome(block, code, log.read_text(encoding="utf-8", errors="replace"))

    def _session(self, source: str, allow_exit: int | None) -> str:
        """Bash that restores the last block's exports and folder, and saves its own."""
        session = shlex.quote(str(self.session))
        save = f'{{ export -p; printf "cd %q\\n" "$PWD"; }} > {session}'
        head = [f"[ -f {session} ] && . {session}", f"trap '{save}' EXIT"]
        if allow_exit is not None:  # instead of -e: stop on any other failure
            head.append(f"trap 'rc=$?; [ $rc -eq {allow_exit} ] || exit $rc' ERR")
        return "\n".join(head) + "\n" + source

    def close(self) -> None:
        """Stop every process the blocks left running (servers started with ``&``)."""
        for group in self.groups:
            _stop(group)


def _stop(group: int) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 0.0)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def run_file(path: Path, folder: Path) -> Iterator[Outcome]:
    """Run the blocks of one markdown file in ``folder``, stopping at the first failure."""
    page = Page(folder)
    try:
        for block in extract(path):
            if not block.runs:
                continue
            outcome = page.run(block)
            yield outcome
            if not outcome.ok:
                return
    finally:
        page.close()
