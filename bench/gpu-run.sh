#!/usr/bin/env bash
# The whole real-GPU benchmark in one command, on the NVIDIA machine (no Node, no Vulkan loader
# installed there), from carried files only: `.gpu/` (../shared/gpu/prepare.sh) and the bundle
# bench/out/moe-bench.mjs with onnxruntime-web's files in bench/out/ort (npx tsx bench/build.ts). Writes into OUTDIR:
#   moe-bench.txt (the table), moe-bench.json (the same as JSON), gpu.txt (nvidia-smi).
# Usage, from the repo root there:  bash bench/gpu-run.sh OUTDIR [--only=mixtral,...]
set -euo pipefail
out=${1:?usage: bash bench/gpu-run.sh OUTDIR [bench args]}
shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$root/bench/out/moe-bench.mjs" ] || { echo "bench/out/moe-bench.mjs missing: run npx tsx bench/build.ts and carry bench/out" >&2; exit 1; }
[ -f "$root/.gpu/on-gpu.sh" ] || { echo ".gpu/ missing: run ../shared/gpu/prepare.sh and carry .gpu" >&2; exit 1; }
# onnxruntime-web's files, the wasm unpacked from its .xz
rm -rf /tmp/moe-ort && mkdir -p /tmp/moe-ort && cp "$root"/bench/out/ort/*.mjs /tmp/moe-ort/
xz -dc "$root/bench/out/ort/ort-wasm-simd-threaded.asyncify.wasm.xz" > /tmp/moe-ort/ort-wasm-simd-threaded.asyncify.wasm
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true; } > "$out/gpu.txt" 2>&1
set -o pipefail
bash "$root/.gpu/on-gpu.sh" "$root/bench/out/moe-bench.mjs" --full --ort-dir /tmp/moe-ort --models-dir "$root/public/models" --json "$out/moe-bench.json" "$@" 2>&1 | tee "$out/moe-bench.txt"
