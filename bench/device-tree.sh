#!/usr/bin/env bash
# A device call (the H200 machine) carries at most 64 MiB: the tracked files present in the working
# tree plus the paths it names. The packs collapse, bias-balance and large (~77 MB together) put the
# tracked tree over that, so before device calls `hide` moves them into the git-ignored
# .device-hidden/ (a call skips tracked files that are missing — tried 2026-11-30) and `show` puts
# them back. `large-parts` copies the large pack into .device-carry/large-{a,b} (≤ 31 MB each, both
# git-ignored) for two calls that bring it over part by part (bench/README.md, "Packs larger than a
# device call"). `status` prints what a call would carry from the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
packs=(large collapse bias-balance)
tree_mb() { git ls-files -z | xargs -0 stat -c %s 2>/dev/null | awk '{s += $1} END {printf "%.1f", s / 1e6}'; }
case "${1:-}" in
  hide)
    mkdir -p .device-hidden
    for p in "${packs[@]}"; do
      if [ -d "public/models/$p" ]; then
        [ -e ".device-hidden/$p" ] && { echo ".device-hidden/$p exists already: run 'show' first" >&2; exit 1; }
        mv "public/models/$p" .device-hidden/
      fi
    done ;;
  show)
    for p in "${packs[@]}"; do
      if [ -d ".device-hidden/$p" ]; then
        [ -e "public/models/$p" ] && { echo "public/models/$p exists: not overwritten" >&2; exit 1; }
        mv ".device-hidden/$p" public/models/
      fi
    done ;;
  large-parts)
    src=public/models/large; [ -d "$src" ] || src=.device-hidden/large
    rm -rf .device-carry/large-a .device-carry/large-b && mkdir -p .device-carry/large-a .device-carry/large-b
    cp "$src"/* .device-carry/large-a/ && mv .device-carry/large-a/reference.onnx .device-carry/large-b/
    du -sh .device-carry/large-a .device-carry/large-b ;;
  status) ;;
  *) echo "usage: bash bench/device-tree.sh hide|show|large-parts|status" >&2; exit 2 ;;
esac
echo "tracked files present: $(tree_mb) MB (a device call carries at most 67.1 MB, carried paths included)"
