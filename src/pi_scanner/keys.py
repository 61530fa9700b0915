"""The HMAC key behind every keyed hash (audit ledger, subject index, pseudonymised record ids).

Resolution order:

1. ``catalog.hmac_key`` (or ``catalog.hmac_key_file``, which the config loader already reads into it);
2. for a SQLite catalog, a file ``<catalog>.hmac-key`` beside the database, created on first use with
   mode 0600 and announced by a log line (the key itself is never logged);
3. otherwise a :class:`~pi_scanner.errors.ConfigError`: a shared server catalog must not silently get a
   key that only one machine knows.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import unicodedata
from pathlib import Path

import sqlalchemy as sa

from pi_scanner.config import CatalogConfig
from pi_scanner.errors import ConfigError

log = logging.getLogger(__name__)

#: Bytes of a generated key.
KEY_BYTES = 32
#: Shortest configured key accepted (bytes of UTF-8).
MIN_KEY_BYTES = 16


def key_file_for(catalog_url: str) -> Path | None:
    """Where the generated key of a SQLite catalog lives, or None for other catalogs.

    Args:
        catalog_url: The catalog's SQLAlchemy URL.
    """
    try:
        url = sa.make_url(catalog_url)
    except sa.exc.ArgumentError:
        return None
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".hmac-key")


def _read_key_file(path: Path) -> bytes:
    try:
        data = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read HMAC key file {path}: {exc.strerror}") from None
    if len(data) < MIN_KEY_BYTES:
        raise ConfigError(f"HMAC key file {path} holds fewer than {MIN_KEY_BYTES} bytes")
    return data


def load_hmac_key(cfg: CatalogConfig, create: bool = True) -> bytes:
    """Return the HMAC key for this catalog, generating one beside a SQLite catalog when allowed.

    Args:
        cfg: The catalog configuration.
        create: Generate the key file of a SQLite catalog when it does not exist yet.

    Raises:
        ConfigError: No key is configured and none can be generated, or the key is too short.
    """
    if cfg.hmac_key is not None:
        key = cfg.hmac_key.get_secret_value().encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise ConfigError(f"catalog.hmac_key must be at least {MIN_KEY_BYTES} bytes")
        return key
    path = key_file_for(cfg.url)
    if path is None:
        raise ConfigError(
            "catalog.hmac_key (or catalog.hmac_key_file) is required for a catalog that is not a SQLite file"
        )
    if path.exists():
        return _read_key_file(path)
    if not create:
        raise ConfigError(f"no HMAC key: {path} does not exist and catalog.hmac_key is not set")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(KEY_BYTES).encode("ascii")
    try:
        # O_EXCL: two processes starting at once must not write two different keys.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return _read_key_file(path)
    except OSError as exc:
        raise ConfigError(f"cannot create HMAC key file {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(key + b"\n")
    log.warning("generated a new HMAC key in %s (mode 0600); back it up with the catalog", path)
    return key


def keyed_hash(key: bytes, *parts: str | bytes) -> str:
    """HMAC-SHA256 of ``parts`` (length-prefixed so that ``("ab","c")`` and ``("a","bc")`` differ), hex.

    Args:
        key: The HMAC key.
        *parts: Strings (UTF-8 encoded) or bytes.
    """
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        mac.update(len(data).to_bytes(8, "big"))
        mac.update(data)
    return mac.hexdigest()


def subject_hash(key: bytes, value: str) -> str:
    """Keyed hash of a subject identifier (ID number, phone) after NFKC, trimming and upper-casing.

    Legal holds on ``subjects`` list these hashes, so a hold never names the person in clear.
    """
    normalised = unicodedata.normalize("NFKC", value).strip().replace(" ", "").replace("-", "").upper()
    return keyed_hash(key, "subject", normalised)
