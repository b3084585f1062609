"""Refuse to write over an input: compare resolved paths and inodes before opening anything.

``vstd convert s.jsonl s.jsonl`` used to empty ``s.jsonl``; so did ``validate X -o X`` and a
reject file or baseline named like the input. Every command checks its outputs against its
inputs (and against each other) with :func:`check_distinct` before it opens a file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Text

_STREAMS = {"", "-"}


class SamePathError(VstdError):
    """An output would overwrite an input or another output."""


def _identity(path: str | os.PathLike[str]) -> tuple[Path, tuple[int, int] | None]:
    resolved = Path(path).expanduser().resolve()
    try:
        st = os.stat(resolved)
    except OSError:
        return resolved, None
    return resolved, (st.st_dev, st.st_ino)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name the same file (same resolved path, or same inode)."""
    path_a, id_a = _identity(a)
    path_b, id_b = _identity(b)
    return path_a == path_b or (id_a is not None and id_a == id_b)


def _inside(child: Path, folder: Path) -> bool:
    try:
        child.relative_to(folder)
    except ValueError:
        return False
    return child != folder


def check_distinct(
    inputs: Mapping[str, str | os.PathLike[str] | None],
    outputs: Mapping[str, str | os.PathLike[str] | None],
) -> None:
    """Raise :class:`SamePathError` if an output is an input or another output, or is a
    folder that holds an input (a folder output is replaced as a whole).

    ``inputs`` and ``outputs`` map a role ("input", "--rejects" …) to a path; ``None``
    and ``-`` (standard streams) are skipped. Nothing is opened or created.
    """
    ins = {role: p for role, p in inputs.items() if p is not None and str(p) not in _STREAMS}
    outs = {role: p for role, p in outputs.items() if p is not None and str(p) not in _STREAMS}
    for out_role, out in outs.items():
        for in_role, src in ins.items():
            if same_file(out, src):
                raise SamePathError(
                    Text(
                        "{out_role}（{path}）与{in_role}是同一个文件：写出会毁掉输入，已拒绝运行",
                        "{out_role} ({path}) is the same file as the {in_role}: writing it would "
                        "destroy the input; nothing was done",
                    ).format(out_role=out_role, in_role=in_role, path=str(out))
                )
            out_path, _ = _identity(out)
            src_path, _ = _identity(src)
            if out_path.is_dir() and _inside(src_path, out_path):
                raise SamePathError(
                    Text(
                        "{out_role}（{path}）是包含{in_role}的文件夹：替换它会毁掉输入",
                        "{out_role} ({path}) is a folder holding the {in_role}: replacing it "
                        "would destroy the input",
                    ).format(out_role=out_role, in_role=in_role, path=str(out))
                )
    seen: list[tuple[str, str | os.PathLike[str]]] = []
    for role, out in outs.items():
        for other_role, other in seen:
            if same_file(out, other):
                raise SamePathError(
                    Text(
                        "{a} 与 {b} 是同一个文件（{path}）：两份输出会互相覆盖",
                        "{a} and {b} are the same file ({path}): the two outputs would "
                        "overwrite each other",
                    ).format(a=other_role, b=role, path=str(out))
                )
        seen.append((role, out))


__all__ = ["SamePathError", "check_distinct", "same_file"]
