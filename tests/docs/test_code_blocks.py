"""Every code example of README.md, README.zh.md and docs/ runs (docs/gen/codeblocks.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.gen import codeblocks

FILES = [p for p in codeblocks.markdown_files() if any(b.runs for b in codeblocks.extract(p))]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(codeblocks.ROOT)))
def test_code_blocks_run(path: Path, tmp_path: Path) -> None:
    ran = 0
    for outcome in codeblocks.run_file(path, tmp_path):
        ran += 1
        expected = outcome.block.expect_exit
        got = "a timeout" if outcome.exit_code is None else f"exit code {outcome.exit_code}"
        assert outcome.ok, (
            f"{outcome.block.where}: expected exit code {expected}, got {got}\n"
            f"{outcome.block.code}\n--- output ---\n{outcome.output[-3000:]}"
        )
    assert ran == sum(b.runs for b in codeblocks.extract(path))


def test_every_skip_says_why_and_markers_parse() -> None:
    skipped = [b for p in codeblocks.markdown_files() for b in codeblocks.extract(p) if b.skip]
    assert all(b.skip for b in skipped)
    runnable = [
        b for p in codeblocks.markdown_files() for b in codeblocks.extract(p) if b.lang in
        codeblocks.RUN_LANGUAGES
    ]  # fmt: skip
    # Skipped: fragments of plugin code, signatures, installs, external servers, hand edits
    # in Excel. A floor, so that the examples that do run cannot quietly become skipped ones
    # (152 of 217 ran when it was last raised).
    assert len(runnable) - len(skipped) >= 150, [b.where for b in skipped]


def test_extraction_reads_languages_markers_and_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```bash\necho one\n```\n\n<!-- skip-test: needs a printer -->\n```python\n"
        "print(1)\n```\n\n<!-- expect-exit: 3 -->\n\n```sh\nexit 3\n```\n\n```console\n$ x\n```\n"
        "\n- item\n\n  ```bash\n  echo indented\n  ```\n",
        encoding="utf-8",
    )
    blocks = codeblocks.extract(page)
    assert [(b.lang, b.line, b.skip, b.expect_exit, b.runs) for b in blocks] == [
        ("bash", 3, None, 0, True),
        ("python", 8, "needs a printer", 0, False),
        ("sh", 14, None, 3, True),
        ("console", 18, None, 0, False),
        ("bash", 24, None, 0, True),
    ]
    assert blocks[4].code == "echo indented\n"


def test_a_skip_without_reason_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("<!-- skip-test -->\n```bash\nls\n```\n", encoding="utf-8")
    with pytest.raises(codeblocks.MarkerError, match="needs a reason"):
        codeblocks.extract(page)


def test_a_failing_block_fails_and_servers_are_stopped(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```bash\nsleep 300 > /dev/null 2>&1 & echo $! > sleeper.pid\n```\n\n"
        "```bash\ntest -f examples/sample.jsonl && false\n```\n\n```bash\necho never\n```\n",
        encoding="utf-8",
    )
    outcomes = list(codeblocks.run_file(page, tmp_path / "run"))
    assert [o.exit_code for o in outcomes] == [0, 1]  # the third block is not reached
    pid = int((tmp_path / "run" / "sleeper.pid").read_text())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_the_hub_port_is_replaced() -> None:
    code = (
        "vstd serve > hub.log 2>&1 &\ncurl http://127.0.0.1:8600/healthz\nvstd serve token list\n"
    )
    adapted = codeblocks._adapt(code, 9123)
    assert adapted == (
        "vstd serve --port 9123 > hub.log 2>&1 &\ncurl http://127.0.0.1:9123/healthz\n"
        "vstd serve token list\n"
    )


def test_blocks_of_a_page_share_exports_and_folder(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```bash\nexport TOKEN=abc\nmkdir -p sub && cd sub\n```\n\n"
        '```bash\ntest "$TOKEN" = abc && test "$(basename "$PWD")" = sub\n```\n\n'
        "<!-- expect-exit: 4 -->\n```bash\nexit 4\n```\n",
        encoding="utf-8",
    )
    assert [o.exit_code for o in codeblocks.run_file(page, tmp_path / "run")] == [0, 0, 4]
