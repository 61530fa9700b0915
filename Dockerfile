# syntax=docker/dockerfile:1
# pi-scanner daemon image: `docker build -t pi-scanner .`
# Run: docker run -p 9464:9464 -v $PWD/config.yaml:/etc/pi-scanner/config.yaml:ro pi-scanner

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
# Wheels for the package and every extra, built once; the runtime stage installs them offline.
RUN pip wheel --wheel-dir /wheels ".[postgres,mysql,s3,formats]"

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
# The wheels were built from this very source tree a stage ago: pinning a version here would only repeat it.
# hadolint ignore=DL3013
RUN pip install --no-index --find-links /wheels "pi-scanner[postgres,mysql,s3,formats]" \
    && rm -rf /wheels \
    && groupadd --system --gid 10001 scanner \
    && useradd --system --uid 10001 --gid scanner --home-dir /var/lib/pi-scanner --create-home scanner
WORKDIR /var/lib/pi-scanner
USER 10001:10001
EXPOSE 9464
# The daemon binds 127.0.0.1 by default; in a container set daemon.bind_address: 0.0.0.0.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4).status != 200)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["pi-scanner", "serve"]
CMD ["--config", "/etc/pi-scanner/config.yaml", "--log-format", "json"]
