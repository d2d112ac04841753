#!/usr/bin/env bash
# Packs what `npm run bench:browser` needs on a GPU machine that has no browser, no browser
# libraries and no Node (the H200 one: Ubuntu 24.04, only the driver) into parts small enough to
# carry one per device call (a call carries at most 64 MiB, the repo's tracked files included):
#   bash bench/browser-gpu-pack.sh [OUTDIR=.gpu-browser] [PART_MB=30]
# Makes OUTDIR/1, OUTDIR/2, … (one folder per call) holding pieces of one tar.xz:
#   chromium/   Debian's chromium-headless-shell + chromium-common files (ANGLE, Vulkan loader),
#               every library they link (Debian 12's, glibc itself excepted) and one font;
#   node_modules/ playwright(-core) and @playwright/test (the driver bench/browser.ts uses);
#   browser.mjs  bench/browser.ts bundled;  site/  the built lab without models/ (the run links the
#               repo's public/models, which travels anyway).
# bench/browser-gpu-run.sh, there, stashes each part in /tmp and runs the benchmark. The recipe and
# what it measured: bench/README.md, "In a real browser on the H200".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${1:-.gpu-browser}
part_mb=${2:-34}
work=$(mktemp -d /tmp/gpu-browser.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "chromium-headless-shell from Debian …" >&2
(cd "$work" && apt-get download -q chromium-headless-shell chromium-common fonts-dejavu-core >/dev/null 2>&1)
mkdir -p "$work/deb" "$work/pack/chromium/lib" "$work/pack/chromium/fonts"
for f in "$work"/*.deb; do dpkg -x "$f" "$work/deb"; done
src=$work/deb/usr/lib/chromium
dst=$work/pack/chromium
# The validation layer and mock driver are for Vulkan developers (23 MB), the full browser's
# resources for its UI (21 MB): left out (the headless shell has its own headless_lib_*.pak).
for f in "$src"/*; do
  case $(basename "$f") in libVkLayer_* | libVkICD_mock_icd* | resources.pak | chrome_*_percent.pak) continue ;; esac
  cp -a "$f" "$dst/"
done
# Every shared library the browser, ANGLE and the Vulkan loader link, resolved here (Debian 12);
# glibc's own and the C++ runtime come from the machine (newer there, and backward compatible).
skip='^(linux-vdso|ld-linux|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libgcc_s\.so|libstdc\+\+\.so)'
for bin in chromium-headless-shell libEGL.so libGLESv2.so libvulkan.so.1 libvk_swiftshader.so; do
  LD_LIBRARY_PATH=$src ldd "$src/$bin" | awk '$3 ~ /^\// {print $1, $3}' | while read -r name path; do
    [[ $name =~ $skip ]] && continue
    [[ $path == "$src"/* ]] && continue
    [ -e "$dst/lib/$name" ] || cp -L "$path" "$dst/lib/$name"
  done
done
# NSS loads its crypto modules by name at run time (ldd cannot see them).
for l in freebl3 freeblpriv3 nssckbi nssdbm3 softokn3 smime3 ssl3; do
  cp -L "/usr/lib/x86_64-linux-gnu/lib$l.so" "$dst/lib/"
done
cp "$work"/deb/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "$dst/fonts/"
cat >"$dst/fonts/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir prefix="relative">.</dir><cachedir>/tmp/gpu-browser-fontcache</cachedir></fontconfig>
EOF

echo "playwright, the bench driver and the site …" >&2
mkdir -p "$work/pack/node_modules/@playwright"
cp -a node_modules/playwright-core node_modules/playwright "$work/pack/node_modules/"
cp -a node_modules/@playwright/test "$work/pack/node_modules/@playwright/"
npx esbuild bench/browser.ts --bundle --platform=node --format=esm --target=node20 \
  --external:@playwright/test --outfile="$work/pack/browser.mjs" --log-level=warning
npx vite build --outDir "$work/pack/site" --emptyOutDir --logLevel error
rm -rf "$work/pack/site/models"

echo "compressing …" >&2
tar -C "$work/pack" -cf - . | xz -T2 -6 >"$work/pack.tar.xz"
rm -rf "$out" && mkdir -p "$out"
split -b "${part_mb}M" -d -a 2 "$work/pack.tar.xz" "$work/part-"
i=0
for p in "$work"/part-*; do
  i=$((i + 1))
  mkdir -p "$out/$i" && mv "$p" "$out/$i/"
done
ls -l "$out"/*/ >&2
echo "$i parts in $out: carry $out/1 … $out/$i, one per call (see bench/browser-gpu-run.sh)" >&2
