#!/usr/bin/env bash
# Runs the dashboard on the embedded database (./data/pglite) with demo data, on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
[ -d node_modules ] || npm ci
npx tsx scripts/db-setup.ts
npx next build
exec npx tsx scripts/serve.ts -p "${PORT:-3000}"
