"""A real Dask cluster for tests and benchmarks: ``dask scheduler`` and ``dask worker`` processes.

The scheduler and each worker are started with the ``dask`` command line of this environment (or of
another Python environment, see :func:`worker_env_without`) as subprocesses on 127.0.0.1 with free ports,
each in its own process group so that teardown ends the nanny and its worker process together.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.s3_server import free_port


def _dask_command(python: str) -> list[str]:
    script = Path(python).parent / "dask"
    return [str(script)] if script.exists() else [python, "-m", "dask"]


class DaskCluster:
    """A scheduler and ``workers`` worker processes (one thread each), stopped by :meth:`stop` always.

    Args:
        workers: Worker processes started with this environment's Python.
        env: Extra environment of the workers.
        extra_pythons: Interpreters of other environments, one more worker each.

    Attributes:
        address: ``tcp://127.0.0.1:<port>`` of the scheduler.
    """

    def __init__(self, workers: int = 2, env: dict[str, str] | None = None,
                 extra_pythons: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self._env = {**os.environ, **(env or {})}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._plan = [sys.executable] * workers + list(extra_pythons)

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(argv, env=self._env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        self._procs.append(proc)
        return proc

    def start(self, timeout: float = 60) -> DaskCluster:
        """Start everything and wait until every worker has joined the scheduler."""
        import distributed

        try:
            self._spawn([*_dask_command(sys.executable), "scheduler", "--host", "127.0.0.1",
                         "--port", str(self.port), "--no-dashboard"])
            for python in self._plan:
                self._spawn([*_dask_command(python), "worker", self.address, "--host", "127.0.0.1",
                             "--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--death-timeout", "60"])
            with distributed.Client(self.address, timeout=timeout, set_as_default=False) as client:
                client.wait_for_workers(len(self._plan), timeout=timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def client(self) -> Any:
        """A new client of the scheduler (close it)."""
        import distributed

        return distributed.Client(self.address, timeout=30, set_as_default=False)

    def stop(self) -> None:
        """End the workers, then the scheduler: SIGTERM to each process group, SIGKILL after 10 s."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in reversed(self._procs):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group: a nanny's worker child as well
            proc.wait(10)
        self._procs.clear()

    def __enter__(self) -> DaskCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def worker_env_without(root: Path, drop: Callable[[str], bool]) -> str:
    """A Python environment holding this one's installed packages except those ``drop`` names.

    A new virtual environment whose site-packages links every entry of this environment's
    site-packages but the dropped ones (``drop`` gets each entry's file name): a real installation
    that lacks, say, pi-scanner or a database driver, as an operator's hand-built worker image would.

    Returns:
        The new environment's ``python``.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    source = Path(sysconfig.get_paths()["purelib"])
    target = root / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    for entry in source.iterdir():
        if not drop(entry.name) and not (target / entry.name).exists():
            (target / entry.name).symlink_to(entry)
    return str(root / "bin" / "python")
