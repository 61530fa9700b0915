"""Local folders of exported files (CSV dumps, JSON exports, logs, spreadsheets).

Discovery walks the folder without following symbolic links (a link must not lead the scanner out of the
folder it was given), applies include/exclude globs to ``/``-separated relative paths and fingerprints
each file by size and modification time. Reading goes through the format readers, head first and
bounded by ``max_bytes_per_file``.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from pi_scanner.config import FolderConnectorConfig
from pi_scanner.connectors.base import AssetInfo, Capability, Connector, check_readable
from pi_scanner.connectors.base import not_read as not_read_meta
from pi_scanner.connectors.formats import ParsedFile, ReadLimits, open_records
from pi_scanner.connectors.formats.spread import spread_rows
from pi_scanner.connectors.formats.stream import iter_record_batches
from pi_scanner.connectors.globs import selected
from pi_scanner.errors import ConnectorError, NotReadError
from pi_scanner.models import AssetKind, AssetRef, Sample

log = logging.getLogger(__name__)

_SPECIAL_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                  (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return "a special file"


def not_read_reason(path: Path, st: os.stat_result) -> tuple[str, str] | None:
    """Why an entry found by the walk is not read, or None for a regular file.

    Links are never followed (one could lead out of the folder, or into ``/dev/zero``); they are listed
    with what they point at. Special files (FIFOs block a reader forever, devices never end) are listed too.
    """
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink_loop", "symbolic link loop; not followed"
            return "symlink", "broken symbolic link; not followed"
        try:
            if stat.S_ISDIR(target.st_mode) and path.parent.resolve().is_relative_to(path.resolve()):
                return "symlink_loop", "symbolic link to a folder above it (a loop); not followed"
        except (OSError, RuntimeError):
            return "symlink_loop", "symbolic link loop; not followed"
        what = "a regular file" if stat.S_ISREG(target.st_mode) else _kind(target.st_mode)
        return "symlink", f"symbolic link to {what}; links are not followed"
    if not stat.S_ISREG(st.st_mode):
        return "special_file", f"{_kind(st.st_mode)}; not read"
    return None


def record_parse_facts(asset: AssetInfo, parsed: ParsedFile) -> None:
    """Copy value-free facts about a read (format, codec, recoverable errors) into ``asset.meta``."""
    asset.meta["format"] = parsed.format
    if parsed.compression:
        asset.meta["compression"] = parsed.compression
    if parsed.encoding:
        asset.meta["encoding"] = parsed.encoding
    if parsed.errors:
        asset.meta["read_errors"] = list(parsed.errors[:20])


class FolderConnector(Connector):
    """Scans the files under one local folder.

    Args:
        name: The connector's configured name.
        config: Its validated configuration.
    """

    type_name = "fs"
    # Files are rewritten without a subject's records (DELETE); the OS user's access is the operator's to
    # check, so no PRIVILEGES.
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.SAMPLING, Capability.CENSUS, Capability.DELETE, Capability.SUBJECT_LOOKUP,
    })
    config_model: ClassVar[type[FolderConnectorConfig]] = FolderConnectorConfig

    def __init__(self, name: str, config: FolderConnectorConfig) -> None:
        super().__init__(name, config)
        self.config: FolderConnectorConfig = config
        self.root = Path(config.path).expanduser()

    @classmethod
    def from_path(cls, name: str, path: str | os.PathLike[str], **options: Any) -> FolderConnector:
        """Build a connector for ``path`` with default settings (``options`` override config fields)."""
        return cls(name, FolderConnectorConfig(path=os.fspath(path), **options))

    def describe(self) -> str:
        """One line naming the folder."""
        return f"folder {self.root}"

    def _limits(self, limit: int) -> ReadLimits:
        return ReadLimits(max_rows=max(1, min(limit, self.config.sample_rows)),
                          max_bytes=self.config.max_bytes_per_file, max_line_bytes=self.config.max_line_bytes,
                          max_columns=self.config.max_columns)

    def discover(self) -> Iterator[AssetInfo]:
        """Yield every selected regular file under the folder, in a stable (sorted) order.

        Raises:
            ConnectorError: The folder does not exist or cannot be listed.
        """
        if not self.root.is_dir():
            raise ConnectorError(self.name, f"{self.root} is not a readable folder")
        walk_errors: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(self.root, onerror=walk_errors.append):
            dirnames.sort()
            base = Path(dirpath)
            # os.walk lists links to folders among the folders and does not descend them: list them here.
            linked = [d for d in dirnames if (base / d).is_symlink()]
            for fname in sorted([*filenames, *linked]):
                full = base / fname
                rel = full.relative_to(self.root).as_posix()
                if not selected(rel, self.config.include, self.config.exclude):
                    continue
                ref = AssetRef(self.name, AssetKind.FILE, (str(self.root), rel))
                try:
                    st = full.lstat()
                except OSError as exc:
                    yield AssetInfo(ref, meta={"error": f"cannot stat: {exc.strerror}"})
                    continue
                skip = not_read_reason(full, st)
                if skip is not None:
                    log.info("not reading", extra={"asset": ref.display, "reason": skip[0]})
                    yield AssetInfo(ref, meta=not_read_meta(*skip))
                    continue
                yield AssetInfo(
                    ref,
                    size_bytes=st.st_size,
                    fingerprint=f"{st.st_size}:{st.st_mtime_ns}",
                    meta={"mtime_ns": st.st_mtime_ns},
                )
        for err in walk_errors:
            # An unreadable sub-folder becomes one failed asset in the report; the rest is scanned.
            where = Path(err.filename or self.root)
            rel = where.relative_to(self.root).as_posix() if where.is_relative_to(self.root) else "."
            ref = AssetRef(self.name, AssetKind.FILE, (str(self.root), rel))
            if err.errno in (errno.EACCES, errno.EPERM):
                yield AssetInfo(ref, meta=not_read_meta("permission", "folder not listed: permission denied"))
                continue
            yield AssetInfo(ref, meta={"error": f"cannot list folder: {err.strerror}"})

    def _path(self, asset: AssetInfo) -> Path:
        check_readable(asset)
        if asset.meta.get("error"):
            raise self.terminal(f"{asset.ref.display}: {asset.meta['error']}")
        rel = asset.ref.path[-1]
        full = (self.root / rel).resolve()
        if not full.is_relative_to(self.root.resolve()):
            raise self.terminal(f"{asset.ref.display}: path leaves the scanned folder")
        return full

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        """Read the head of one file (at most ``limit`` records and ``max_bytes_per_file`` bytes).

        Raises:
            TerminalError: The file vanished or cannot be opened.
            FormatError: Nothing of it could be parsed.
        """
        path = self._path(asset)
        try:
            with path.open("rb") as fh:
                limits = self._limits(limit)
                parsed = open_records(fh, asset.ref.path[-1], limits)
                if parsed.truncated and asset.size_bytes:
                    # A big file: its first rows and whole lines from ranges spread over the rest.
                    parsed = spread_rows(parsed, fh, 0, asset.size_bytes, asset.ref.path[-1], limits)
        except FileNotFoundError:
            raise self.terminal(f"{asset.ref.display}: file disappeared after discovery") from None
        except PermissionError:
            raise NotReadError("permission", "permission denied", asset.ref.display) from None
        except OSError as exc:
            raise self.transient(f"{asset.ref.display}: read failed ({exc.strerror})") from None
        record_parse_facts(asset, parsed)
        if parsed.errors:
            log.warning("partial read", extra={"asset": asset.ref.display, "problems": len(parsed.errors)})
        return Sample(
            asset=asset.ref,
            columns=parsed.columns,
            rows=parsed.rows,
            row_count_estimate=None if parsed.truncated else len(parsed.rows),
            complete=not parsed.truncated,
            bytes_read=parsed.bytes_read,
            limits=dict(parsed.limits),
        )

    def iter_batches(
        self, asset: AssetInfo, columns: Sequence[str], batch_size: int = 10_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Stream every record of one file; each tuple is ``(relative path, *columns)``.

        Raises:
            TerminalError: The file vanished or cannot be opened.
            FormatError: The file cannot be streamed (e.g. a JSON document larger than the byte cap).
        """
        path = self._path(asset)
        rel = asset.ref.path[-1]
        try:
            with path.open("rb") as fh:
                for batch in iter_record_batches(fh, rel, columns, batch_size,
                                                 ReadLimits(max_bytes=self.config.max_bytes_per_file,
                                                            max_line_bytes=self.config.max_line_bytes,
                                                            max_columns=self.config.max_columns)):
                    yield [(rel, *row) for row in batch]
        except FileNotFoundError:
            raise self.terminal(f"{asset.ref.display}: file disappeared") from None
        except PermissionError:
            raise self.terminal(f"{asset.ref.display}: permission denied") from None
