#!/usr/bin/env bash
# The one command that runs every test: types, unit + integration (Vitest, on PGlite
# and on PostgreSQL when TEST_DATABASE_URL is set), and e2e (Playwright in Chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

chromium_path() { command -v chromium || command -v chromium-browser || true; }
CHROMIUM_PATH="${CHROMIUM_PATH:-$(chromium_path)}"
if [ -z "$CHROMIUM_PATH" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Chromium not found: installing Debian's chromium package..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || { echo "Installing chromium failed."; exit 1; }
    CHROMIUM_PATH="$(chromium_path)"
  else
    echo "Chromium is needed for the e2e tests and was not found. Install it with:"
    echo "  sudo apt-get update && sudo apt-get install -y chromium"
    exit 1
  fi
fi
export CHROMIUM_PATH

[ -d node_modules ] || npm ci || exit 1
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  echo "*** TEST_DATABASE_URL is not set: PostgreSQL suites will be skipped (PGlite suites still run)."
  echo "*** For the full run: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npm test"
fi

mkdir -p .reports && rm -f .reports/*.json
status=0
step() { echo; echo "== $1"; shift; "$@" || status=1; }
step "Type check" npx tsc --noEmit
step "Lint (ESLint: no import cycles, folders one way; Prettier)" npm run --silent lint
step "Unit and integration tests (Vitest)" npx vitest run --reporter=default --reporter=json --outputFile=.reports/vitest.json
step "Production build" npx next build
step "Client bundle has no secrets or server-only modules" node scripts/check-client-bundle.mjs
step "End-to-end tests (Playwright, $CHROMIUM_PATH)" npx playwright test
node scripts/test-summary.mjs || status=1
exit $status
