"""S3 read throughput: objects/s and MB/s with 1 and 16 requests in flight, against a moto server.

Run ``python -m benchmarks.s3 [--quick] [--objects N] [--json PATH]``. The benchmark starts its own moto
server on 127.0.0.1 in a child process (in this process it would share the GIL with the 16 reader threads
it is measuring), writes N small CSV objects (2,000 quick, 100,000 full) and reads them through
:class:`S3Connector` (one key-pattern group, every member sampled) once with ``max_in_flight=1`` and once
with 16. moto itself serves only a few hundred GETs per second, so the same pair is also measured behind a
proxy adding 20 ms per request, which is what real object stores look like from a scanner; that second
ratio is the one that shows what the bounded pool buys. ``peak_rss_mb`` is this process's peak (the reader
and the proxy; moto's own memory is not counted).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.s3_server import CREDS, FaultProxy, make_client, moto_process, unique_bucket

from benchmarks.peak_rss import peak_rss_kb
from pi_scanner.config import S3ConnectorConfig
from pi_scanner.connectors.s3 import S3Connector

BODY = ("name,id_card,guardian_phone\n" + "".join(
    f"学生{i},11010520150307{i:04d},139{i:08d}\n" for i in range(40))).encode()


ROWS_PER_OBJECT = 40
#: Sampled rows held at once at most: 100 k objects x 40 rows would be millions of tuples in memory.
MAX_SAMPLE_ROWS = 400_000


def _read_all(endpoint: str, bucket: str, n: int, in_flight: int) -> tuple[float, int]:
    per_object = max(1, min(ROWS_PER_OBJECT, MAX_SAMPLE_ROWS // n))
    cfg = S3ConnectorConfig(endpoint_url=endpoint, region="us-east-1", path_style=True, buckets=[bucket],
                            access_key_id=CREDS["aws_access_key_id"],
                            secret_access_key=CREDS["aws_secret_access_key"],
                            max_in_flight=in_flight, objects_per_group=n, sample_rows=n * per_object)
    with S3Connector("bench", cfg) as conn:
        (asset,) = list(conn.discover())
        conn.sample(asset, 1)  # warm the client and its connection pool
        start = time.perf_counter()
        sample = conn.sample(asset, n * per_object)
        elapsed = time.perf_counter() - start
    assert asset.meta["objects"] == n and len(sample.rows) == n * per_object
    return elapsed, sample.bytes_read


def _pair(endpoint: str, bucket: str, n: int) -> dict[str, float]:
    t1, b1 = _read_all(endpoint, bucket, n, 1)
    t16, b16 = _read_all(endpoint, bucket, n, 16)
    return {
        "objects_per_s_1": n / t1, "objects_per_s_16": n / t16,
        "mb_per_s_1": b1 / t1 / 1e6, "mb_per_s_16": b16 / t16 / 1e6, "ratio": t1 / t16,
    }


def _put(client: Any, bucket: str, n: int) -> float:
    start = time.perf_counter()
    client.create_bucket(Bucket=bucket)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: client.put_object(Bucket=bucket, Key=f"exports/part-{i:06d}.csv", Body=BODY),
                      range(n)))
    return time.perf_counter() - start


def run(quick: bool = False, objects: int | None = None) -> dict[str, Any]:
    """Measure (2,000 objects, or 100,000 without ``quick``; ``objects`` overrides both).

    Returns:
        ``{"s3": {...}}``: objects/s at 16 in flight, the 1-in-flight baseline, the same behind 20 ms latency.
    """
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    n = objects or (2_000 if quick else 100_000)
    n_latency = 64 if quick else 256
    with moto_process() as endpoint:
        client = make_client(endpoint, max_pool_connections=16)
        bucket = unique_bucket("bench")
        put_s = _put(client, bucket, n)
        direct = _pair(endpoint, bucket, n)
        small = unique_bucket("lat")
        _put(client, small, n_latency)
        with FaultProxy(endpoint, latency_s=0.02) as proxy:
            latency = _pair(proxy.url, small, n_latency)
    return {
        "s3": {
            "value": round(direct["objects_per_s_16"], 1),
            "unit": "objects/s",
            "baseline": round(direct["objects_per_s_1"], 1),
            "ratio": round(direct["ratio"], 2),
            "target": None,
            "mb_per_s": round(direct["mb_per_s_16"], 2),
            "mb_per_s_baseline": round(direct["mb_per_s_1"], 2),
            "objects": n,
            "rows_per_object": max(1, min(ROWS_PER_OBJECT, MAX_SAMPLE_ROWS // n)),
            "with_20ms_latency": {k: round(v, 2) for k, v in latency.items()} | {"objects": n_latency},
            "put_s": round(put_s, 1),
            "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
        }
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--objects", type=int, help="objects to write and read (default 100,000; 2,000 quick)")
    parser.add_argument("--json", metavar="PATH", help="write the result as JSON")
    args = parser.parse_args(argv)
    result = run(quick=args.quick, objects=args.objects)
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
