"""Where work units run: in-process, a local process pool, or a Dask distributed cluster.

The default (:class:`AutoExecutor`) picks in-process or the pool per phase of a scan, from what
discovery knows of the work (:func:`pool_pays`). All of them run the same
:func:`pi_scanner.work.run_unit` and stream :class:`~pi_scanner.work.UnitResult` objects back to the one
coordinator (the scanner), which alone writes the catalog. Politeness is enforced here, where units are
released: at most ``limits[connector]`` units of one connector are in flight at once across all workers
(a database's ``max_concurrent_queries``, a bucket's requests).

A worker that dies mid-unit loses nothing: its unit had written nothing, and it is run again
(process pool: the broken pool is replaced and every unit that was in flight is resubmitted; Dask:
the scheduler reschedules it, and ``retries`` covers errors raised by the task itself).

This is the only module that imports ``dask``/``distributed``.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import re
import signal
import socket
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import url as sa_url

from pi_scanner import __version__
from pi_scanner.config import ExecutorConfig, Settings
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError
from pi_scanner.work import DIE_HOOK_ENV, UnitResult, WorkContext, WorkUnit, release, run_unit, unit_error

log = logging.getLogger(__name__)


class WorkerLostError(PiScannerError):
    """A unit's worker died more times than the retry budget allows."""


class ExecutorUnavailableError(PiScannerError):
    """The configured executor cannot be used (a Dask scheduler that does not answer)."""


class Executor(ABC):
    """Runs work units and yields their results as they complete.

    Args:
        retries: Times a unit is resubmitted after its worker died.
    """

    name = "abstract"

    def __init__(self, retries: int = 2) -> None:
        self.retries = retries

    @property
    @abstractmethod
    def slots(self) -> int:
        """Units worth keeping in flight at once."""

    @abstractmethod
    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        """Start one unit; return a handle for :meth:`_wait`."""

    @abstractmethod
    def _wait(self, handles: set[Any]) -> set[Any]:
        """Block until at least one handle is done; return the done ones."""

    @abstractmethod
    def _outcome(self, handle: Any) -> UnitResult:
        """The result of a done handle.

        Raises:
            WorkerLostError: The worker running it died (the caller resubmits).
        """

    def _recover(self) -> None:  # noqa: B027 - optional hook
        """Called after a worker loss, before units are resubmitted."""

    def prepare(self, ctx: WorkContext) -> None:  # noqa: B027 - optional hook
        """Check, before the run is recorded, that the workers can run this scan's units."""

    def abort(self) -> None:  # noqa: B027 - optional hook
        """Stop workers at once (an error or Ctrl-C ends the scan); :meth:`close` follows."""

    def close(self, ctx: WorkContext | None = None) -> None:  # noqa: B027 - optional hook
        """Release workers (and, in-process, the scan's cached connectors)."""

    def run(
        self, units: Iterable[WorkUnit], ctx: WorkContext, limits: Mapping[str, int] | None = None
    ) -> Iterator[UnitResult]:
        """Run ``units`` and yield one result per unit, in completion order.

        Args:
            units: Units to run (consumed lazily).
            ctx: The scan's shared context.
            limits: Units in flight at most per connector name (default: no per-connector limit).
        """
        limits = dict(limits or {})
        queue: deque[WorkUnit] = deque(units)
        running: dict[Any, WorkUnit] = {}
        per_connector: dict[str, int] = {}

        def fill() -> None:
            skipped: list[WorkUnit] = []
            while queue and len(running) < self.slots:
                unit = queue.popleft()
                cap = limits.get(unit.connector)
                if cap is not None and per_connector.get(unit.connector, 0) >= cap:
                    skipped.append(unit)
                    continue
                running[self._submit(unit, ctx)] = unit
                per_connector[unit.connector] = per_connector.get(unit.connector, 0) + 1
            queue.extendleft(reversed(skipped))

        fill()
        while running:
            done = self._wait(set(running))
            lost: list[WorkUnit] = []
            for handle in done:
                unit = running.pop(handle)
                per_connector[unit.connector] -= 1
                try:
                    yield self._outcome(handle)
                except WorkerLostError as exc:
                    lost.append(unit)
                    log.warning("worker lost", extra={"unit": unit.unit_id, "error": str(exc)})
            if lost:
                # A broken process pool fails every unit in flight, not just the one that killed it.
                for handle, unit in list(running.items()):
                    if self._is_lost(handle):
                        running.pop(handle)
                        per_connector[unit.connector] -= 1
                        lost.append(unit)
                self._recover()
                for unit in lost:
                    if unit.attempt >= self.retries:
                        yield UnitResult(unit, error=unit_error(unit, WorkerLostError(
                            f"worker died {unit.attempt + 1} times running {unit.unit_id}")))
                    else:
                        queue.appendleft(replace(unit, attempt=unit.attempt + 1))
            fill()

    def _is_lost(self, handle: Any) -> bool:
        return False


class InProcessExecutor(Executor):
    """Runs units one at a time in the calling process (tests, debugging, tiny scans)."""

    name = "local"

    @property
    def slots(self) -> int:
        """One: units run as they are submitted."""
        return 1

    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        future: cf.Future[UnitResult] = cf.Future()
        future.set_result(run_unit(unit, ctx))
        return future

    def _wait(self, handles: set[Any]) -> set[Any]:
        return set(handles)

    def _outcome(self, handle: Any) -> UnitResult:
        result: UnitResult = handle.result()
        return result

    def close(self, ctx: WorkContext | None = None) -> None:
        """Close the connectors this process cached for the scan."""
        if ctx is not None:
            release(ctx.token)


class ProcessPoolExecutor(Executor):
    """A local pool of worker processes forked from a server that imported pi-scanner once.

    Workers come from a ``forkserver`` whose process has already imported the work module (the
    classifier, the connectors, the drivers): each worker starts in milliseconds with its imports done,
    instead of importing everything afresh as a spawned process would. Workers ignore SIGINT: Ctrl-C
    reaches the coordinator, which stops them (:meth:`abort`) on its way out.

    Args:
        workers: Processes (default: the cores this process may use).
        retries: Resubmissions after a worker died.
    """

    name = "process"

    def __init__(self, workers: int | None = None, retries: int = 2) -> None:
        super().__init__(retries)
        self.workers = workers or usable_cores()
        self._pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        # forkserver, not fork: workers inherit no sockets, locks or threads of the coordinator.
        mp = multiprocessing.get_context("forkserver")
        mp.set_forkserver_preload(list(_PRELOAD))
        # The fork server may be older than the test hook's variable: hand it over explicitly.
        return cf.ProcessPoolExecutor(self.workers, mp_context=mp, initializer=_worker_started,
                                      initargs=(os.environ.get(DIE_HOOK_ENV),))

    @property
    def slots(self) -> int:
        """Two units per worker process."""
        # One queued unit per worker keeps every process busy without hoarding units.
        return self.workers * 2

    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        return self._pool.submit(run_unit, unit, ctx)

    def _wait(self, handles: set[Any]) -> set[Any]:
        done, _ = cf.wait(handles, return_when=cf.FIRST_COMPLETED)
        return set(done)

    def _outcome(self, handle: Any) -> UnitResult:
        try:
            result: UnitResult = handle.result()
        except cf.process.BrokenProcessPool as exc:
            raise WorkerLostError("a worker process died") from exc
        return result

    def _is_lost(self, handle: Any) -> bool:
        # Futures of a broken pool all fail; the ones still pending fail soon after.
        if not handle.done():
            return bool(getattr(self._pool, "_broken", False))
        return isinstance(handle.exception(), cf.process.BrokenProcessPool)

    def _recover(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def abort(self) -> None:
        """Stop every worker now (SIGTERM, then SIGKILL), without waiting for the units they run."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        for proc in processes:
            if proc.is_alive():
                proc.terminate()
        for proc in processes:
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def close(self, ctx: WorkContext | None = None) -> None:
        """Stop the worker processes once their units are done."""
        self._pool.shutdown(wait=True, cancel_futures=True)


#: Imported once by the fork server, so every worker starts with them.
_PRELOAD = ("pi_scanner.work", "pi_scanner.classify.classifier", "pi_scanner.connectors.sql", "pi_scanner.census")


def _worker_started(die_hook: str | None) -> None:
    # Ctrl-C goes to the whole foreground process group; the coordinator alone decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if die_hook:
        os.environ[DIE_HOOK_ENV] = die_hook
    else:
        os.environ.pop(DIE_HOOK_ENV, None)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: Cost model of the automatic choice (seconds), measured on a 2-core machine (benchmarks/README.md,
#: "default executor"). In-process work that a pool can share out: classifying one sampled cell, counting
#: one census row, a unit's fixed cost in its worker (reflection, the sample query).
_CELL_S = 10e-6
_CENSUS_ROW_S = 1e-6
_UNIT_S = 3e-3
#: What a pool adds: starting it (fork server with the imports, one classifier per worker), and per unit
#: the coordinator's pickling and hand-over, which no worker takes off it.
_POOL_START_S = 1.0
_POOL_UNIT_S = 2e-3
#: Share of each worker a pool actually gets (shared cores, the coordinator's own work).
_PARALLEL_EFFICIENCY = 0.8


def pool_pays(units: list[WorkUnit], workers: int) -> bool:
    """Whether ``workers`` processes would finish ``units`` sooner than this process alone."""
    if workers < 2 or len(units) < 2:
        return False
    work = estimated_seconds(units)
    saved = work * (1 - 1 / (workers * _PARALLEL_EFFICIENCY))
    return saved > _POOL_START_S + len(units) * _POOL_UNIT_S


def estimated_seconds(units: Iterable[WorkUnit]) -> float:
    """What running ``units`` in-process would cost, from discovery facts only (row estimates, sizes)."""
    total = 0.0
    for unit in units:
        asset = unit.asset
        known = asset.row_count_estimate
        if known is None and asset.size_bytes is not None:
            known = asset.size_bytes // 64  # files and objects: ~64 bytes per row or line
        if unit.phase == "census":
            rows = (known if known is not None else unit.sample_rows) / max(1, unit.partition.count)
            total += _UNIT_S + rows * _CENSUS_ROW_S
        else:
            rows = min(known if known is not None else unit.sample_rows, unit.sample_rows)
            total += _UNIT_S + rows * max(1, len(asset.columns) or 4) * _CELL_S
    return total


def _server_here(settings: Settings, connector: str) -> bool:
    """Whether ``connector`` is a database server on this machine (not SQLite, which has no server)."""
    from pi_scanner.config import SqlConnectorConfig

    cfg = settings.connectors.get(connector)
    if not isinstance(cfg, SqlConnectorConfig):
        return False
    try:
        url = sa_url.make_url(cfg.url)
    except (ValueError, TypeError, sa_exc.ArgumentError):  # invalid URLs fail in the connector, clearly
        return False
    return url.get_backend_name() != "sqlite" and (url.host or "localhost") in _THIS_MACHINE


_THIS_MACHINE = frozenset({"localhost", "127.0.0.1", "::1", socket.gethostname()})


class AutoExecutor(Executor):
    """The default: each batch of units runs in-process, or on a process pool when the work pays for it.

    The choice is made per :meth:`run` (a scan's sample phase and its census phase are judged apart)
    by :func:`pool_pays`: units run in-process unless the work a pool would take off this process
    outweighs starting it and handing units over; then on a :class:`ProcessPoolExecutor`, started at that
    moment and kept for the rest of the scan.

    Args:
        workers: Pool processes (default: the usable cores).
        retries: Resubmissions after a worker died.
    """

    def __init__(self, workers: int | None = None, retries: int = 2) -> None:
        super().__init__(retries)
        self.workers = workers or usable_cores()
        self._local = InProcessExecutor(retries)
        self._pool: ProcessPoolExecutor | None = None
        self.used: list[str] = []

    @property
    def name(self) -> str:  # type: ignore[override]
        """``local``, ``process``, or ``local+process`` when the phases went different ways."""
        return "+".join(dict.fromkeys(self.used)) or "local"

    @property
    def slots(self) -> int:
        """Not used: :meth:`run` hands each batch to the executor it chose."""
        return 1

    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        raise NotImplementedError

    def _wait(self, handles: set[Any]) -> set[Any]:
        raise NotImplementedError

    def _outcome(self, handle: Any) -> UnitResult:
        raise NotImplementedError

    def choose(self, units: list[WorkUnit], limits: Mapping[str, int] | None = None,
               settings: Settings | None = None) -> Executor:
        """The executor for this batch of units.

        Args:
            units: The batch.
            limits: Units in flight at most per connector.
            settings: The scan's settings (which stores are database servers on this machine).
        """
        per_connector: dict[str, int] = {}
        for unit in units:
            per_connector[unit.connector] = per_connector.get(unit.connector, 0) + 1
        # A database allowing one query at a time gains nothing from a second worker.
        parallel = sum(min(n, (limits or {}).get(c, n)) for c, n in per_connector.items())
        workers = min(self.workers, parallel)
        if settings is not None and any(_server_here(settings, c) for c in per_connector):
            # A database server on this machine spends a core per query: in-process, the reader and
            # the server already keep two cores busy (measured: the 10 M-row census on 2 cores ran at
            # 0.89 of in-process on the pool). Only the cores beyond those pairs can take more work.
            workers = min(workers, usable_cores() // 2)
        if not pool_pays(units, workers):
            return self._local
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, self.retries)
        return self._pool

    def run(
        self, units: Iterable[WorkUnit], ctx: WorkContext, limits: Mapping[str, int] | None = None
    ) -> Iterator[UnitResult]:
        """Run the batch on the executor :meth:`choose` picks."""
        batch = list(units)
        chosen = self.choose(batch, limits, ctx.settings)
        self.used.append(chosen.name)
        log.debug("executor chosen", extra={"executor": chosen.name, "units": len(batch),
                                            "estimated_s": round(estimated_seconds(batch), 2)})
        return chosen.run(batch, ctx, limits)

    def abort(self) -> None:
        """Stop the pool's workers now, if a pool was started."""
        if self._pool is not None:
            self._pool.abort()

    def close(self, ctx: WorkContext | None = None) -> None:
        """Stop the pool (if any) and close this process's connectors of the scan."""
        if self._pool is not None:
            self._pool.close(ctx)
        self._local.close(ctx)


class DaskExecutor(Executor):
    """Units on a Dask distributed cluster.

    The scan context (settings with secrets as SecretStr) is scattered to the workers once and passed
    by reference, so no task's arguments carry it. Dask reschedules the tasks of a worker that died;
    ``retries`` reruns a task that raised.

    Args:
        address: Scheduler address (``tcp://host:8786``), or an existing ``distributed.Client``.
        retries: Task retries.
        timeout_s: Seconds to wait for the scheduler.

    Raises:
        MissingDependencyError: ``distributed`` is not installed.
        ExecutorUnavailableError: The scheduler does not answer.
    """

    name = "dask"

    def __init__(self, address: Any, retries: int = 2, timeout_s: float = 10.0) -> None:
        super().__init__(retries)
        try:
            import distributed
        except ImportError:
            raise MissingDependencyError("dask", "dask") from None
        self._distributed: Any = distributed
        self._own_client = isinstance(address, str)
        self._timeout_s = timeout_s
        self.client: Any
        if isinstance(address, str):
            try:
                self.client = self._distributed.Client(address, timeout=timeout_s, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise ExecutorUnavailableError(
                    f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s "
                    f"({_reason(exc)}); start it, fix executor.address, or scan with --executor process"
                ) from None
        else:
            self.client = address
        self.address = str(self.client.scheduler.address) if self.client.scheduler else str(address)
        self._ctx_futures: dict[str, Any] = {}
        self._checked: set[str] = set()

    @property
    def slots(self) -> int:
        """Two units per worker thread of the cluster."""
        info = self.client.scheduler_info()
        threads = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values())
        return max(2, threads * 2)

    def prepare(self, ctx: WorkContext) -> None:
        """Check that the cluster has workers and that each can run this scan's units.

        Every worker must import the same pi-scanner and build every connector of the scan (its
        drivers installed, its folders visible); a worker that cannot would fail units one by one.

        Raises:
            ExecutorUnavailableError: No worker joined within the timeout, or a worker lacks pi-scanner,
                a driver or a folder (the message names each worker and what to install).
        """
        if ctx.token in self._checked:
            return
        try:
            self.client.wait_for_workers(1, timeout=self._timeout_s)
        except (OSError, TimeoutError):
            raise ExecutorUnavailableError(
                f"the Dask scheduler at {self.address} has no workers (waited {self._timeout_s:g} s); "
                "start `dask worker` processes from the pi-scanner image"
            ) from None
        answers = self.client.run(check_worker, ctx.settings, on_error="return")
        problems = []
        for worker, answer in sorted(answers.items()):
            if isinstance(answer, BaseException):
                problems.append(f"{worker}: {_worker_failure(answer)}")
                continue
            version, missing = answer
            if version != __version__:
                problems.append(f"{worker}: runs pi-scanner {version}, this coordinator {__version__}; "
                                "run workers from the same image")
            problems.extend(f"{worker}: {m}" for m in missing)
        if problems:
            raise ExecutorUnavailableError(
                "Dask workers cannot run this scan: " + "; ".join(problems)
            )
        self._checked.add(ctx.token)

    def _context(self, ctx: WorkContext) -> Any:
        fut = self._ctx_futures.get(ctx.token)
        if fut is None:
            self.prepare(ctx)
            fut = self.client.scatter(ctx, broadcast=True, hash=False)
            self._ctx_futures[ctx.token] = fut
        return fut

    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        key = f"pi-unit-{ctx.token[:8]}-{abs(hash((unit.unit_id, unit.attempt))):x}"
        return self.client.submit(run_unit, unit, self._context(ctx), key=key, retries=self.retries, pure=False)

    def _wait(self, handles: set[Any]) -> set[Any]:
        # ``distributed.wait`` looks for a default client; ours is deliberately not the default (a
        # library must not change the caller's Dask state), so make it current for the call only.
        with self.client.as_current():
            try:
                done = self._distributed.wait(list(handles), return_when="FIRST_COMPLETED").done
            except cf.CancelledError:
                # ``wait`` refuses cancelled futures (a worker died holding a result): hand those back as
                # done, and :meth:`_outcome` turns them into lost units that run again.
                done = {h for h in handles if h.done()}  # cancelled futures count as done
                if not done:
                    time.sleep(0.1)  # nothing settled yet: ask again shortly rather than spin
        return set(done)

    def _outcome(self, handle: Any) -> UnitResult:
        try:
            result: UnitResult = handle.result()
        except self._distributed.KilledWorker as exc:
            raise WorkerLostError("Dask workers died running the unit") from exc
        except cf.CancelledError as exc:
            # A worker died holding the unit's finished result: the scheduler gives up on the key before
            # the client could gather it. The unit wrote nothing; run it again under a new key.
            raise WorkerLostError("the Dask worker holding the unit's result died") from exc
        except ImportError as exc:  # a worker that joined after prepare() and lacks pi-scanner
            raise ExecutorUnavailableError(f"a Dask worker cannot run units: {_worker_failure(exc)}") from None
        return result

    def _is_lost(self, handle: Any) -> bool:
        return bool(handle.cancelled())

    def _recover(self) -> None:
        # The scattered context may have gone with the worker (its future is then cancelled too, and
        # every unit resubmitted with it would be): scatter it again for the reruns.
        self._ctx_futures.clear()

    def close(self, ctx: WorkContext | None = None) -> None:
        """Forget the scattered context; close the client when this executor opened it."""
        self._ctx_futures.clear()
        if self._own_client:
            self.client.close()


def check_worker(settings: Settings) -> tuple[str, list[str]]:
    """Run on a Dask worker: this worker's pi-scanner version and what it lacks to scan ``settings``.

    Returns:
        The version, and one line per connector it cannot build (missing driver, folder not there).
    """
    from pi_scanner.config import FolderConnectorConfig
    from pi_scanner.registry import build_connector

    missing = []
    for name, cfg in settings.connectors.items():
        try:
            build_connector(name, cfg).close()
        except PiScannerError as exc:
            missing.append(f"connector {name}: {exc}")
            continue
        if isinstance(cfg, FolderConnectorConfig) and not Path(cfg.path).expanduser().is_dir():
            missing.append(f"connector {name}: folder {cfg.path} is not there (mount it on every worker)")
    return __version__, missing


def _worker_failure(exc: BaseException) -> str:
    """What a worker's exception means for the operator (a missing module names what to install)."""
    # A function that cannot be unpickled on the worker comes back as a plain Exception wrapping the text.
    found = _NO_MODULE.search(str(exc))
    module = exc.name if isinstance(exc, ModuleNotFoundError) and exc.name else (found[1] if found else None)
    if module and module.split(".")[0] == "pi_scanner":
        return (f"cannot import pi_scanner: install pi-scanner {__version__} with the extras of your connectors "
                "(e.g. `pip install 'pi-scanner[all]'`) on every worker, or run workers from the coordinator's image")
    if module:
        return f"cannot import {module}: install it on every worker (the coordinator's image has it)"
    return _reason(exc)


#: The text of a ModuleNotFoundError, also when a worker sends it back wrapped in another exception.
_NO_MODULE = re.compile(r"No module named '([\w.]+)'")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def make_executor(cfg: ExecutorConfig, *, kind: str | None = None, address: str | None = None,
                  units: int | None = None) -> Executor:
    """Build the executor the configuration (or a command-line override) asks for.

    Args:
        cfg: The ``executor`` section.
        kind: Override of ``cfg.type`` (``--executor``).
        address: Override of ``cfg.address`` (``--dask-address``).
        units: Units about to run; a ``process`` scan with fewer than ``cfg.min_units`` runs
            in-process, because starting workers would cost more than the work.

    Raises:
        ConfigError: ``dask`` without an address, or an unknown kind.
        ExecutorUnavailableError: The Dask scheduler does not answer.
    """
    kind = kind or cfg.type
    if kind == "local":
        return InProcessExecutor(cfg.retries)
    if kind == "auto":
        return AutoExecutor(cfg.workers, cfg.retries)
    if kind == "process":
        if units is not None and units < cfg.min_units:
            return InProcessExecutor(cfg.retries)
        return ProcessPoolExecutor(cfg.workers, cfg.retries)
    if kind == "dask":
        where = address or cfg.address
        if not where:
            raise ConfigError("executor dask needs an address (executor.address or --dask-address)")
        return DaskExecutor(where, cfg.retries, timeout_s=cfg.connect_timeout_s)
    raise ConfigError(f"unknown executor {kind!r}: use auto, local, process or dask")
