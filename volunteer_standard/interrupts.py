"""Leave cleanly when interrupted or broken: no partial output, no spool, no traceback.

SIGINT and SIGTERM raise :class:`Interrupted` in the main thread, so that every ``finally``
and ``except BaseException`` on the way up discards its temporary output; whatever is
still alive is then removed (:func:`~volunteer_standard.io.atomic.remove_temporaries`) and
the process exits 130 (SIGINT) or 143 (SIGTERM) with one line on stderr. An unexpected
exception is an internal error: one line and a distinct exit code (the traceback only
with ``VSTD_DEBUG=1``), never confused with "the data has errors" (1).
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable
from types import FrameType
from typing import Any

from volunteer_standard.io.atomic import remove_temporaries, request_stop, stop_requested
from volunteer_standard.text import Text, default_lang


class Interrupted(BaseException):
    """The process received SIGINT or SIGTERM (a BaseException: ``except Exception`` in
    library code does not swallow it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    request_stop(signum)  # remembered even if a C extension swallows the exception
    raise Interrupted(signum)


def install_handlers() -> None:
    """Turn SIGINT and SIGTERM into :class:`Interrupted` (main thread only)."""
    signal.signal(signal.SIGINT, _raise)
    signal.signal(signal.SIGTERM, _raise)


def outputs_complete() -> None:
    """The run's outputs are complete: a signal from now on must not report them removed.

    Between the last commit and the end of the process (printing the summary), SIGINT and
    SIGTERM are ignored, so the run ends with its own exit code and a true message.
    """
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


_STOPPED = Text(
    "vstd：收到 {name}，已停止；未完成的输出和临时文件已删除，原有输出保持不变",
    "vstd: stopped by {name}; unfinished outputs and temporary files were removed, "
    "previous outputs are unchanged",
)
_INTERNAL = Text(
    "vstd：内部错误（{kind}），这是程序缺陷而不是数据问题；加 --debug（或设置 VSTD_DEBUG=1）"
    "可查看详细信息，欢迎报告",
    "vstd: internal error ({kind}); this is a bug, not a problem with the data; run with "
    "--debug (or VSTD_DEBUG=1) for the traceback and please report it",
)


def run_guarded(app: Callable[[], Any], *, internal_exit: int = 70) -> None:
    """Run ``app`` with the signal handlers installed and the exits described above."""
    install_handlers()
    try:
        app()
    except SystemExit:
        raise  # the command finished (its outputs were completed before any signal)
    except BaseException as exc:
        signum = stop_requested()
        if signum is None:
            _not_interrupted(exc, internal_exit)
            raise
        # Ignore further signals while cleaning up, so the clean-up itself is not cut short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        remove_temporaries()
        name = signal.Signals(signum).name
        _say(_STOPPED.format(name=name).get(default_lang()))
        sys.exit(128 + signum)


def _not_interrupted(exc: BaseException, internal_exit: int) -> None:
    """Exits for a run that was not interrupted; returns for exceptions to re-raise."""
    try:
        raise exc
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: leave quietly, as Unix tools do.
        remove_temporaries()
        try:  # the interpreter flushes stdout at exit: point it at /dev/null first
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        sys.exit(0)
    except KeyboardInterrupt:
        return
    except Exception:
        remove_temporaries()
        if os.environ.get("VSTD_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        _say(_INTERNAL.format(kind=type(exc).__name__).get(default_lang()))
        sys.exit(internal_exit)


def _say(line: str) -> None:
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except OSError:
        pass


__all__ = ["Interrupted", "install_handlers", "outputs_complete", "run_guarded"]
