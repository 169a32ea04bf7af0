# The dashboard as deploy/run.sh serves it: app processes behind Caddy, on port 8080.
#   docker build -t police-stations-dashboard . && docker run -p 8080:8080 police-stations-dashboard
# Debian bookworm, as the tests: its caddy package is the 2.6.2 they ran against.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends caddy \
    && rm -rf /var/lib/apt/lists/*

# The runtime packages exactly as locked: every version pinned, every file checked by its hash.
COPY deploy/requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir --no-deps --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

# The app runs from its source (python -m streamlit puts /app on the import path).
WORKDIR /app
COPY .streamlit .streamlit
COPY dashboard dashboard
COPY data data
COPY deploy deploy
COPY pyproject.toml README.md ./
# Leaflet and the map's own files are copied into dashboard/static/ now, so that the root file
# system can be read-only at run time; Python's bytecode is compiled now for the same reason.
RUN python -c "from dashboard.assets import ensure_static_assets; ensure_static_assets()" \
    && python -m compileall -q dashboard

RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin dashboard
USER dashboard
ENV PYTHON=python3 \
    PYTHONUNBUFFERED=1 \
    XDG_CONFIG_HOME=/tmp/caddy-config \
    XDG_DATA_HOME=/tmp/caddy-data

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/_stcore/health', timeout=4)"]
CMD ["deploy/run.sh", "8080", "2"]
