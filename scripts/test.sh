#!/usr/bin/env bash
# Every test the project has: lint, types, unit (Vitest), GPU kernels in Node on SwiftShader,
# build + bundle budget, and end-to-end in Debian's headless Chromium. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
step() { printf '\n== %s\n' "$*"; }

step 'browser'; bash scripts/ensure-chromium.sh
step 'lint'; npx eslint . --max-warnings 0; npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
step 'types'; npx tsc --noEmit -p tsconfig.json
step 'unit'; npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=reports/unit.json
step 'gpu kernels (Node + Dawn on SwiftShader)'
bash scripts/with-swiftshader.sh npx vitest run --project gpu --passWithNoTests --reporter=default --reporter=json --outputFile.json=reports/gpu.json
step 'build'; npx vite build --logLevel warn
step 'content security policy'; node scripts/check-csp.mjs dist
step 'bundle budget'; node scripts/check-bundle-size.mjs
step 'end-to-end (Chromium)'; CI=1 npx playwright test
node scripts/summarize-tests.mjs reports/unit.json reports/gpu.json reports/e2e.json
