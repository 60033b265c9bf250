#!/usr/bin/env bash
# Serves the production build on a fresh embedded database seeded with demo data (for Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3100}"
export DATABASE_URL="pglite:./data/e2e-pglite" NEXT_TELEMETRY_DISABLED=1
rm -rf ./data/e2e-pglite
npx tsx scripts/db-setup.ts
exec npx tsx scripts/serve.ts -H 127.0.0.1 -p "$port"
