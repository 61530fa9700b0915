"""``pi-scanner serve``: metrics and health over HTTP, scheduled jobs, signals.

Lifecycle:

1. Read the configuration (invalid → exit 2 with the reason).
2. Start the HTTP server: ``/metrics`` (Prometheus), ``/healthz`` (the process is alive), ``/readyz``
   (200 only while the catalog answers *and* the scheduler dispatches; 503 otherwise).
3. Reach and migrate the catalog, retrying with exponential back-off while it is down (``/readyz`` stays
   503 and the reason is logged); restore the estate gauges from the latest finished runs, verify the
   deletion ledger (then every ``ledger_verify_interval_s``), and start the scheduler.
4. Run until SIGTERM/SIGINT: start no new job, give running jobs ``shutdown_deadline_s`` to finish,
   exit 0 (1 if a job had to be abandoned at the deadline; its lease then expires on its own).
   SIGHUP reloads the configuration; an invalid one is rejected, logged and counted, and the old one
   stays in force.

A store that is down at job time fails that job only (counted in ``pi_scanner_job_runs_total`` and
``pi_scanner_scan_failures_total``); the daemon goes on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from pi_scanner.config import Settings, load_settings
from pi_scanner.daemon_config import DaemonConfig, parse_daemon_config
from pi_scanner.daemon_state import restore_estate_gauges, verify_ledger
from pi_scanner.errors import ConfigError, PiScannerError
from pi_scanner.keys import key_file_for
from pi_scanner.logging_setup import LogFormat, configure_logging, log_event
from pi_scanner.metrics import CONTENT_TYPE_LATEST, METRICS, Metrics
from pi_scanner.scheduler import JobRunner, JobScheduler, validate_jobs

logger = logging.getLogger("pi_scanner.daemon")

EXIT_OK, EXIT_ABANDONED, EXIT_CONFIG = 0, 1, 2

# How often the catalog is probed for /readyz and pi_scanner_catalog_up.
_PROBE_PERIOD_S = 5.0


def load_config(path: str | Path) -> tuple[Settings, DaemonConfig]:
    """Read the settings file and validate its ``daemon:`` section and jobs.

    Raises:
        ConfigError: The file, the daemon section or a job is invalid.
    """
    settings = load_settings(path)
    daemon_cfg = parse_daemon_config(settings.daemon, str(path))
    unknown = sorted({c for j in daemon_cfg.jobs for c in j.connectors if c not in settings.connectors})
    if unknown:
        raise ConfigError(f"{path}: daemon jobs name unknown connector(s): {', '.join(unknown)}")
    validate_jobs(daemon_cfg)
    # Scheduled scans record their reads in the keyed audit ledger (Art. 15); a server catalog has no
    # place to generate a key, so say so at start rather than fail every scan later.
    scans = any(j.kind == "scan" for j in daemon_cfg.jobs)
    if scans and key_file_for(settings.catalog.url) is None and settings.catalog.hmac_key is None:
        raise ConfigError(
            f"{path}: catalog.hmac_key (or catalog.hmac_key_file) is required for a catalog that is not a "
            "SQLite file: scheduled scans record their reads in the keyed audit ledger"
        )
    return settings, daemon_cfg


class _Handler(BaseHTTPRequestHandler):
    """Serves /metrics, /healthz and /readyz from the daemon stored on the server."""

    server: _Server

    def do_GET(self) -> None:
        daemon = self.server.daemon
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, daemon.metrics.exposition(), CONTENT_TYPE_LATEST)
        elif path == "/healthz":
            self._send(200, b"ok\n", "text/plain; charset=utf-8")
        elif path == "/readyz":
            state = daemon.readiness()
            body = json.dumps(state).encode() + b"\n"
            self._send(200 if all(state.values()) else 503, body, "application/json")
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # Scrapes every 15 s would drown the job events; keep access lines at debug level.
        logger.debug("http %s", format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], daemon: Daemon) -> None:
        super().__init__(address, _Handler)
        self.daemon = daemon


class Daemon:
    """One ``pi-scanner serve`` process.

    Args:
        settings_path: The YAML configuration file (re-read on SIGHUP).
        metrics: Metrics registry to serve (tests pass their own).
        catalog_factory: Builds the catalog from settings (default ``Catalog.from_config``).
    """

    def __init__(
        self,
        settings_path: str | Path,
        *,
        metrics: Metrics = METRICS,
        catalog_factory: Callable[[Settings], Any] | None = None,
    ) -> None:
        self.settings_path = Path(settings_path)
        self.metrics = metrics
        self.settings, self.config = load_config(self.settings_path)
        self.metrics.per_asset = self.config.per_asset_metrics
        self.metrics.per_asset_limit = self.config.per_asset_metrics_limit
        self._catalog_factory = catalog_factory or _default_catalog
        self.catalog: Any = None
        self.runner: JobRunner | None = None
        self.scheduler: JobScheduler | None = None
        self.catalog_ok = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._reload = threading.Event()
        self._server: _Server | None = None
        self.port: int | None = None

    # -- state --------------------------------------------------------------------------------------

    def readiness(self) -> dict[str, bool]:
        """What ``/readyz`` reports: catalog reachable and scheduler running."""
        return {
            "catalog": self.catalog_ok,
            "scheduler": self.scheduler is not None and self.scheduler.running,
        }

    def request_stop(self) -> None:
        """Ask the daemon to shut down (what SIGTERM does)."""
        self._stop.set()
        self._wake.set()

    def request_reload(self) -> None:
        """Ask the daemon to re-read its configuration (what SIGHUP does)."""
        self._reload.set()
        self._wake.set()

    # -- lifecycle ----------------------------------------------------------------------------------

    def start_http(self) -> int:
        """Bind and start the HTTP server in a thread; returns the bound port.

        Raises:
            OSError: The address cannot be bound.
        """
        self._server = _Server((self.config.bind_address, self.config.metrics_port), self)
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, name="http", daemon=True).start()
        log_event(logger, "http.listening", address=self.config.bind_address, port=self.port)
        return self.port

    def connect_catalog(self) -> bool:
        """Reach and migrate the catalog, retrying with back-off until it answers or a stop is asked.

        Returns:
            True when connected; False if the daemon was asked to stop first.
        """
        delay = 0.5
        attempt = 0
        while not self._stop.is_set():
            attempt += 1
            catalog = None
            try:
                catalog = self._catalog_factory(self.settings)
                catalog.migrate()
                self.catalog = catalog
                self._set_catalog_ok(True)
                log_event(logger, "catalog.connected", catalog=str(catalog), attempts=attempt)
                return True
            except (PiScannerError, SQLAlchemyError, OSError) as exc:
                self._set_catalog_ok(False)
                log_event(
                    logger,
                    "catalog.unreachable",
                    level=logging.ERROR,
                    exc=exc,
                    attempt=attempt,
                    retry_in_s=delay,
                )
                if catalog is not None:
                    _close(catalog)
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self.config.catalog_retry_max_s)
        return False

    def restore_state(self) -> None:
        """Bring back the estate gauges from the catalog (after each connection to it)."""
        connectors = list(self.settings.connectors)
        self.metrics.age_out_days = self.settings.classifier.age_out_window_days
        self.metrics.declare_estate(
            {job.name: job.connectors or connectors for job in self.config.jobs if job.kind == "scan"},
            [str(policy.get("name")) for policy in self.settings.retention if isinstance(policy, dict)],
        )
        try:
            restore_estate_gauges(self.catalog, self.metrics, connectors)
        except (PiScannerError, SQLAlchemyError) as exc:
            log_event(logger, "estate.restore_failed", level=logging.WARNING, exc=exc)

    def _ledger_loop(self) -> None:
        while not self._stop.is_set():
            if self.catalog is not None:
                verify_ledger(self.settings, self.catalog, self.metrics)
            if self._stop.wait(self.config.ledger_verify_interval_s):
                break

    def start_scheduler(self) -> None:
        """Start the scheduler over the connected catalog.

        Raises:
            ConfigError: A job cannot be scheduled.
            sqlalchemy.exc.SQLAlchemyError: The catalog failed meanwhile.
        """
        self.runner = JobRunner(self.settings, self.config, self.catalog, self.metrics)
        self.scheduler = JobScheduler(self.runner)
        self.scheduler.start()

    def reload(self) -> bool:
        """Re-read the configuration; keep the old one if the new one is invalid.

        Returns:
            True if the new configuration is in force.
        """
        try:
            settings, config = load_config(self.settings_path)
        except ConfigError as exc:
            self.metrics.config_reload_failures.inc()
            log_event(logger, "config.reload_rejected", level=logging.ERROR, exc=exc)
            return False
        for key in ("metrics_port", "bind_address"):
            if getattr(config, key) != getattr(self.config, key):
                log_event(logger, "config.restart_needed", level=logging.WARNING, key=f"daemon.{key}")
        if settings.catalog != self.settings.catalog:
            log_event(logger, "config.restart_needed", level=logging.WARNING, key="catalog")
        previous = (self.settings, self.config)
        self.settings, self.config = settings, config
        self.metrics.per_asset = config.per_asset_metrics
        self.metrics.per_asset_limit = config.per_asset_metrics_limit
        if self.runner is not None and self.scheduler is not None:
            self.runner.reconfigure(settings, config)
            try:
                self.scheduler.sync_jobs(config)
            except (ConfigError, SQLAlchemyError) as exc:
                self.settings, self.config = previous
                self.runner.reconfigure(*previous)
                self.metrics.config_reload_failures.inc()
                log_event(logger, "config.reload_rejected", level=logging.ERROR, exc=exc)
                return False
        self.metrics.config_reloads.inc()
        log_event(logger, "config.reloaded", jobs=len(config.jobs))
        return True

    def run(self) -> int:
        """Serve until asked to stop; returns the exit code."""
        try:
            self.start_http()
        except OSError as exc:
            log_event(logger, "http.bind_failed", level=logging.ERROR, exc=exc, port=self.config.metrics_port)
            return EXIT_CONFIG
        threading.Thread(target=self._probe_loop, name="catalog-probe", daemon=True).start()
        while not self._stop.is_set():
            if self.connect_catalog():
                self.restore_state()
                try:
                    self.start_scheduler()
                    break
                except ConfigError as exc:
                    log_event(logger, "scheduler.config_error", level=logging.ERROR, exc=exc)
                    self._shutdown_http()
                    return EXIT_CONFIG
                except SQLAlchemyError as exc:
                    self._set_catalog_ok(False)
                    log_event(logger, "scheduler.start_failed", level=logging.ERROR, exc=exc)
                    self._stop.wait(1.0)
        # Started once, here: the loop above may connect more than once before the scheduler starts.
        threading.Thread(target=self._ledger_loop, name="ledger-verify", daemon=True).start()
        while not self._stop.is_set():
            self._wake.wait(1.0)
            self._wake.clear()
            if self._reload.is_set():
                self._reload.clear()
                self.reload()
        return self._shutdown()

    def _shutdown(self) -> int:
        deadline = self.config.shutdown_deadline_s
        log_event(logger, "daemon.stopping", deadline_s=deadline)
        code = EXIT_OK
        if self.scheduler is not None:
            self.scheduler.stop_dispatching()
        if self.runner is not None and not self.runner.wait_idle(deadline):
            code = EXIT_ABANDONED
            log_event(
                logger,
                "daemon.jobs_abandoned",
                level=logging.ERROR,
                jobs=",".join(self.runner.running_jobs),
                deadline_s=deadline,
            )
        self._shutdown_http()
        if self.catalog is not None and code == EXIT_OK:
            _close(self.catalog)
        log_event(logger, "daemon.stopped", exit_code=code)
        return code

    def _shutdown_http(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _set_catalog_ok(self, ok: bool) -> None:
        self.catalog_ok = ok
        self.metrics.catalog_up.set(1 if ok else 0)

    def _probe_loop(self) -> None:
        while not self._stop.wait(_PROBE_PERIOD_S):
            catalog = self.catalog
            if catalog is None:
                continue
            try:
                with catalog.engine.connect() as conn:
                    conn.execute(select(1))
                ok = True
            except SQLAlchemyError as exc:
                ok = False
                if self.catalog_ok:
                    log_event(logger, "catalog.lost", level=logging.ERROR, exc=exc)
            if ok and not self.catalog_ok:
                log_event(logger, "catalog.recovered")
            self._set_catalog_ok(ok)


def _default_catalog(settings: Settings) -> Any:
    from pi_scanner.catalog.store import Catalog

    return Catalog.from_config(settings.catalog)


def _close(catalog: Any) -> None:
    close = getattr(catalog, "close", None)
    if close is not None:
        with contextlib.suppress(SQLAlchemyError, OSError):
            close()


def serve(settings_path: str | Path, *, log_format: LogFormat = "auto") -> int:
    """Run the daemon in this process until SIGTERM/SIGINT.

    Args:
        settings_path: YAML configuration file.
        log_format: ``json``, ``text`` or ``auto`` (JSON unless stderr is a terminal).

    Returns:
        Exit code: 0 after a clean stop, 1 if a job was abandoned at the shutdown deadline, 2 for an
        invalid configuration or an address that cannot be bound.
    """
    configure_logging(log_format)
    try:
        daemon = Daemon(settings_path)
    except ConfigError as exc:
        log_event(logger, "config.invalid", level=logging.ERROR, exc=exc)
        print(f"pi-scanner serve: {exc}", file=sys.stderr)
        return EXIT_CONFIG

    def on_stop(signum: int, _frame: FrameType | None) -> None:
        log_event(logger, "daemon.signal", signal=signal.Signals(signum).name)
        daemon.request_stop()

    def on_reload(signum: int, _frame: FrameType | None) -> None:
        log_event(logger, "daemon.signal", signal=signal.Signals(signum).name)
        daemon.request_reload()

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_reload)
    return daemon.run()


def main(argv: list[str] | None = None) -> int:
    """``python -m pi_scanner.daemon --config FILE [--log-format json|text|auto]``."""
    parser = argparse.ArgumentParser(prog="pi-scanner serve", description="Run the pi-scanner daemon.")
    parser.add_argument("--config", "-c", required=True, help="YAML configuration file")
    parser.add_argument("--log-format", choices=("auto", "json", "text"), default="auto")
    args = parser.parse_args(argv)
    return serve(args.config, log_format=args.log_format)


if __name__ == "__main__":
    sys.exit(main())
