#!/usr/bin/env bash
# The unit and GPU-kernel suites on a busy machine: two background processes (niced, so the
# tests still get their share) keep two cores busy the whole time, as a shared 2-core machine
# would. A test that passes only on a quiet machine fails here. Any extra arguments go to Vitest.
#   npm run test:stress [-- <vitest filters>]
set -euo pipefail
cd "$(dirname "$0")/.."

busy_pids=()
stop_busy() {
  for pid in "${busy_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_busy EXIT INT TERM

for _ in 1 2; do
  nice -n 10 node -e 'for (;;) {}' &
  busy_pids+=("$!")
done
echo "test:stress: two busy processes (pids ${busy_pids[*]}) beside the suites"

npx vitest run --project unit "$@"
bash scripts/with-swiftshader.sh npx vitest run --project gpu --passWithNoTests "$@"
