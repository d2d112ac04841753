#!/usr/bin/env bash
# One call on the GPU machine trains everything issue 22 needs (see README.md, "Issue 22 runs").
#
#   tools/train/device_run.sh OUTDIR [MAX_SECONDS]               # full run (default 480 s)
#   tools/train/device_run.sh --calibrate OUTDIR [MAX_SECONDS]   # pick the fact count (default 180 s)
#
# Full run: builds the corpus once (fact skill on), then 13 parallel processes on one GPU:
#   family-e{1,4,8,16,32} x seeds {1,2} (fixed --steps), collapse (--aux-coef 0),
#   bias-balance (aux-loss-free bias balancing), large (cosine schedule over the remaining wall time).
# Calibration: family-e1 and family-e32 (seed 1) at three fact counts, six processes, time schedule.
# Every process stops training at a common deadline (MAX_SECONDS minus EVAL_MARGIN) and is killed
# at MAX_SECONDS - 5; OUTDIR/<run>/{state.pt,train_log.json}, OUTDIR/logs/<run>.log, OUTDIR/summary.json.
#
# Knobs (environment): FACTS (8000) FACT_SHARE (0.25) STEPS (2500) SAMPLES (3000000) SEEDS ("1 2")
#   FAMILY ("1 4 8 16 32") CAL_FACTS ("3000 8000 20000") CAL_SAMPLES (1500000) CAL_STEPS (0: time schedule)
#   EVAL_MARGIN (45 full / 30 calibrate) WORKERS (nproc) CORPUS_DIR (/tmp/moelab-corpus) PYTHON (python3)
#   LARGE (1: train the large pack) BALANCE_RUNS (1: collapse + bias-balance) EXTRA (extra train.py args, e.g. for a CPU smoke test:
#   EXTRA="--device cpu --batch 4 --eval-limit 2 --val-rows 20")
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODE=full
if [ "${1:-}" = "--calibrate" ]; then MODE=calibrate; shift; fi
OUT="${1:?usage: device_run.sh [--calibrate] OUTDIR [MAX_SECONDS]}"
if [ "$MODE" = calibrate ]; then MAX="${2:-180}"; else MAX="${2:-480}"; fi
T0=$(date +%s)
PY="${PYTHON:-python3}"
FACTS="${FACTS:-8000}"; FACT_SHARE="${FACT_SHARE:-0.25}"; STEPS="${STEPS:-2500}"
SAMPLES="${SAMPLES:-3000000}"; SEEDS="${SEEDS:-1 2}"; FAMILY="${FAMILY:-1 4 8 16 32}"
CAL_FACTS="${CAL_FACTS:-3000 8000 20000}"; CAL_SAMPLES="${CAL_SAMPLES:-1500000}"; CAL_STEPS="${CAL_STEPS:-0}"
WORKERS="${WORKERS:-$(nproc)}"; CORPUS_DIR="${CORPUS_DIR:-${TMPDIR:-/tmp}/moelab-corpus}"
LARGE="${LARGE:-1}"; BALANCE_RUNS="${BALANCE_RUNS:-1}"; EXTRA="${EXTRA:-}"
if [ "$MODE" = calibrate ]; then EVAL_MARGIN="${EVAL_MARGIN:-30}"; else EVAL_MARGIN="${EVAL_MARGIN:-45}"; fi
mkdir -p "$OUT/logs" "$CORPUS_DIR"
OUT="$(cd "$OUT" && pwd)"
TRAIN="$HERE/train.py"
COMMON=(--corpus-seed 1 --corpus-dir "$CORPUS_DIR" --fact-share "$FACT_SHARE" --workers "$WORKERS")
echo "device_run: mode $MODE, out $OUT, max ${MAX}s, $(nproc) cores, python $($PY -c 'import torch,sys; print(sys.version.split()[0], "torch", torch.__version__, "cuda", torch.cuda.is_available())')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv,noheader

# 1. corpus (once; cached in CORPUS_DIR, deterministic from the seeds)
if [ "$MODE" = calibrate ]; then
  for F in $CAL_FACTS; do
    $PY "$TRAIN" --corpus-only --out "$OUT" "${COMMON[@]}" --samples "$CAL_SAMPLES" --facts "$F" $EXTRA \
      2>&1 | tee -a "$OUT/logs/corpus.log" || exit 1
  done
else
  $PY "$TRAIN" --corpus-only --out "$OUT" "${COMMON[@]}" --samples "$SAMPLES" --facts "$FACTS" $EXTRA \
    2>&1 | tee -a "$OUT/logs/corpus.log" || exit 1
fi
NOW=$(date +%s)
STOP_AT=$((T0 + MAX - EVAL_MARGIN))
KILL_AFTER=$((T0 + MAX - 5 - NOW))
echo "device_run: corpus ready after $((NOW - T0))s; training stops at +$((STOP_AT - T0))s, kill at +$((MAX - 5))s"
if [ "$KILL_AFTER" -le 10 ]; then echo "device_run: no time left"; exit 1; fi

# 2. runs, all in parallel (one CPU thread each: a dozen processes share the machine)
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
PIDS=(); NAMES=()
launch() {  # launch RUN_NAME VARIANT args...
  local name="$1" variant="$2"; shift 2
  timeout -k 5 "$KILL_AFTER" $PY "$TRAIN" --variants "$variant" --run-name "$name" --out "$OUT" \
    "${COMMON[@]}" --stop-at "$STOP_AT" "$@" $EXTRA >"$OUT/logs/$name.log" 2>&1 &
  PIDS+=($!); NAMES+=("$name")
}
if [ "$MODE" = calibrate ]; then
  if [ "$CAL_STEPS" -gt 0 ]; then SCHED=(--steps "$CAL_STEPS"); else SCHED=(--time-schedule); fi
  for F in $CAL_FACTS; do
    for E in 1 32; do
      launch "calib-e$E-f$F" "family-e$E" --seed 1 --samples "$CAL_SAMPLES" --facts "$F" "${SCHED[@]}" --no-usage
    done
  done
else
  for S in $SEEDS; do
    for E in $FAMILY; do
      launch "family-e$E-s$S" "family-e$E" --seed "$S" --samples "$SAMPLES" --facts "$FACTS" --steps "$STEPS"
    done
  done
  if [ "$BALANCE_RUNS" = 1 ]; then
    launch collapse collapse --seed 1 --samples "$SAMPLES" --facts "$FACTS" --steps "$STEPS" --aux-coef 0
    launch bias-balance bias-balance --seed 1 --samples "$SAMPLES" --facts "$FACTS" --steps "$STEPS" \
      --aux-coef 0 --bias-gamma 1e-3
  fi
  if [ "$LARGE" = 1 ]; then
    launch large large --seed 1 --samples "$SAMPLES" --facts "$FACTS" --time-schedule --lr 2e-3
  fi
fi
echo "device_run: launched ${#PIDS[@]} runs: ${NAMES[*]}"
FAILED=()
for i in "${!PIDS[@]}"; do
  wait "${PIDS[$i]}"; rc=$?
  if [ $rc -ne 0 ]; then FAILED+=("${NAMES[$i]}(rc=$rc)"); tail -5 "$OUT/logs/${NAMES[$i]}.log"; fi
done
echo "device_run: all runs ended after $(($(date +%s) - T0))s; failed: ${FAILED[*]:-none}"
EXPECTED=$(IFS=,; echo "${NAMES[*]}")
META=$(printf '{"mode":"%s","max_seconds":%s,"wall_seconds":%s,"facts":"%s","fact_share":%s,"steps":%s,"samples":%s,"cal_facts":"%s","failed":"%s"}' \
  "$MODE" "$MAX" "$(($(date +%s) - T0))" "$FACTS" "$FACT_SHARE" "$STEPS" "$SAMPLES" "$CAL_FACTS" "${FAILED[*]:-}")
$PY "$HERE/summarize.py" "$OUT" --expected "$EXPECTED" --meta "$META"
echo "device_run: done in $(($(date +%s) - T0))s"
