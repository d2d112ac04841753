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
# The unit tests (one worker) and the build with its checks run beside the GPU kernel tests:
# those spend much of their time compiling shaders on one thread, so the other core works
# meanwhile. Their output is shown after the kernel tests; a failure of any stops the run.
beside_log=reports/beside-gpu.log
( set -e
  printf '\n== unit (beside the GPU kernel tests)\n'
  npx vitest run --project unit --maxWorkers=1 --reporter=default --reporter=json --outputFile.json=reports/unit.json
  printf '\n== build\n'; npx vite build --logLevel warn
  printf '\n== content security policy\n'; node scripts/check-csp.mjs dist
  printf '\n== bundle budget\n'; node scripts/check-bundle-size.mjs
) > "$beside_log" 2>&1 &
beside_pid=$!
step 'gpu kernels (Node + Dawn on SwiftShader)'
gpu_rc=0
bash scripts/with-swiftshader.sh npx vitest run --project gpu --passWithNoTests --reporter=default --reporter=json --outputFile.json=reports/gpu.json || gpu_rc=$?
beside_rc=0
wait "$beside_pid" || beside_rc=$?
cat "$beside_log"
[ "$gpu_rc" -eq 0 ] || { echo "GPU kernel tests failed (exit $gpu_rc)"; exit "$gpu_rc"; }
[ "$beside_rc" -eq 0 ] || { echo "unit tests, build or its checks failed (exit $beside_rc)"; exit "$beside_rc"; }
step 'end-to-end (Chromium)'; CI=1 npx playwright test
node scripts/summarize-tests.mjs reports/unit.json reports/gpu.json reports/e2e.json
