#!/usr/bin/env bash
# `npm run bench:browser` in a real browser on the NVIDIA machine (no Node, no browser, no browser
# libraries there), from the parts bench/browser-gpu-pack.sh made here. From the repo root there:
#   bash bench/browser-gpu-run.sh stash               a call carrying .gpu-browser/N: moves its part
#                                                     to /tmp/gpu-browser-parts (kept while warm)
#   bash bench/browser-gpu-run.sh run OUTDIR [ARGS]   the last call, carrying .gpu (for Node):
#       unpacks, asks Chromium for its WebGPU adapter under several flag sets (adapters.json,
#       chrome-gpu-N.txt), then runs bench/browser.ts with the first set that gives the GPU, ARGS
#       passed on (e.g. --kinds=model --full). Writes browser-bench.{txt,json} and gpu.txt to OUTDIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
parts=/tmp/gpu-browser-parts
g=/tmp/gpu-browser
mkdir -p "$parts"
stash() {
  shopt -s nullglob
  for p in "$root"/.gpu-browser/*/part-*; do mv "$p" "$parts/"; done
  ls -l "$parts"
}
case ${1:-} in
stash) stash ;;
run)
  out=${2:?usage: bash bench/browser-gpu-run.sh run OUTDIR [bench args]}
  shift 2
  mkdir -p "$out" && out=$(cd "$out" && pwd)
  stash
  if [ ! -x "$g/chromium/chromium-headless-shell" ]; then
    mkdir -p "$g" && cat "$parts"/part-* | xz -dc | tar -C "$g" -xf -
  fi
  ln -sfn "$root/public/models" "$g/site/models"
  cp "$root/bench/node/browser-adapter.mjs" "$g/"
  mkdir -p /tmp/gpu-node
  [ -x /tmp/gpu-node/node ] || { xz -dc "$root/.gpu/node.xz" >/tmp/gpu-node/node && chmod +x /tmp/gpu-node/node; }
  export PATH=/tmp/gpu-node:$PATH
  export LD_LIBRARY_PATH=$g/chromium/lib
  export FONTCONFIG_FILE=$g/chromium/fonts/fonts.conf
  export CHROMIUM_PATH=$g/chromium/chromium-headless-shell
  # The driver's Vulkan ICD (libGLX_nvidia) needs glvnd's libGLdispatch, which the machine lacks:
  # .gpu/debs has it (as for Dawn in Node). The ICD goes where the loader looks by default, not into
  # VK_DRIVER_FILES, which would also override the SwiftShader ICD that Chromium's GL (SwANGLE) asks for.
  for f in "$root"/.gpu/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
  mkdir -p /etc/vulkan/icd.d
  cp /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/
  { date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true; } >"$out/gpu.txt" 2>&1
  (cd "$g" && node browser-adapter.mjs "$out") 2>&1 | tee "$out/adapters.txt"
  flags=()
  while IFS= read -r f || [ -n "$f" ]; do [ -n "$f" ] && flags+=("--chromium-flag=$f"); done <"$out/flags.txt"
  [ ${#flags[@]} -gt 0 ] || { echo "no hardware WebGPU adapter in Chromium: see $out/adapters.txt and chrome-gpu-*.txt" >&2; exit 2; }
  cd "$root"
  node "$g/browser.mjs" --dist="$g/site" --json="$out/browser-bench.json" "${flags[@]}" "$@" 2>&1 | tee "$out/browser-bench.txt"
  ;;
*) sed -n 2,9p "$0" >&2; exit 2 ;;
esac
