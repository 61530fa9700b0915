# syntax=docker/dockerfile:1
# pi-scanner daemon image: `docker build -t pi-scanner .`
# Run: docker run -p 9464:9464 -v $PWD/config.yaml:/etc/pi-scanner/config.yaml:ro pi-scanner

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/pi-scanner
ENV PATH=/opt/pi-scanner/bin:$PATH
WORKDIR /src
# requirements.lock pins every dependency of pi-scanner[postgres,mysql,s3,formats,dask] with hashes
# (.ci/lock.sh): pip refuses any file whose hash is not in it, and anything not pinned there.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
# The package itself, from this tree, without resolving a single dependency again; pip check fails the
# build when pyproject.toml needs something the lock does not hold (run .ci/lock.sh).
RUN pip install --no-deps . && pip check

FROM python:3.11-slim-bookworm
# PI_SCANNER_BIND_ADDRESS: inside the container the metrics server must listen on every interface for
# `docker run -p 9464:9464` to reach it (a bare `pi-scanner serve` keeps loopback); daemon.bind_address
# in the config still wins.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/pi-scanner/bin:$PATH \
    PI_SCANNER_BIND_ADDRESS=0.0.0.0
COPY --from=build /opt/pi-scanner /opt/pi-scanner
RUN groupadd --system --gid 10001 scanner \
    && useradd --system --uid 10001 --gid scanner --home-dir /var/lib/pi-scanner --create-home scanner
WORKDIR /var/lib/pi-scanner
USER 10001:10001
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4).status != 200)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["pi-scanner", "serve"]
CMD ["--config", "/etc/pi-scanner/config.yaml", "--log-format", "json"]
