#!/usr/bin/env bash
# Runs a command with Dawn (the `webgpu` npm package) pointed at the SwiftShader Vulkan driver
# that Debian's Chromium ships, so WGSL kernels run for real in Node on a machine with no GPU.
set -euo pipefail
dir=${SWIFTSHADER_DIR:-/usr/lib/chromium}
if [ -f "$dir/vk_swiftshader_icd.json" ]; then
  export VK_ICD_FILENAMES="$dir/vk_swiftshader_icd.json"
  export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
exec "$@"
