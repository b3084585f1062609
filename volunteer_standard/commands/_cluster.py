"""``--engine`` and ``--scheduler``: where ``validate`` and ``convert`` run their checks."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # Dask's module is imported only when it is chosen
    from volunteer_standard.validation.parallel.dask_engine import DaskCluster


class Engine(StrEnum):
    local = "local"
    dask = "dask"


EngineArg = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Where the checks run: local (this machine) or dask (a Dask cluster; needs the "
        "dask extra). The result is the same. "
        "校验在哪里运行：local（本机）或 dask（Dask 集群，需安装 dask 扩展），结果相同。",
    ),
]

SchedulerArg = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="With --engine dask: the scheduler's address (tcp://host:8786); default: a "
        "local cluster of --jobs worker processes started for the run. "
        "与 --engine dask 同用：Dask 调度器地址；默认在本机临时启动 --jobs 个工作进程的集群。",
    ),
]


def cluster_for(engine: Engine, scheduler: str | None, workers: int | None) -> DaskCluster | None:
    """The Dask cluster to run on (``None``: this machine). Raises ``ValueError`` for a
    scheduler without ``--engine dask`` and ``ClusterError`` when Dask is not installed."""
    if engine is Engine.local:
        if scheduler is not None:
            raise ValueError(
                "--scheduler needs --engine dask（--scheduler 需与 --engine dask 同用）"
            )
        return None
    from volunteer_standard.validation.parallel.dask_engine import DaskCluster

    return DaskCluster(scheduler, workers=workers)
