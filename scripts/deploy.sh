#!/usr/bin/env bash
# One-command deploy of the built lab to static hosting (see docs/hosting.md).
#
#   npm run deploy -- <folder>            build, check, copy dist/ into <folder> (a web root,
#                                         a mounted course server, a docs/ folder …)
#   npm run deploy -- --gh-pages [remote] build, check, publish dist/ as the gh-pages branch of
#                                         [remote] (default: origin) — a GitHub Pages project page
# Options:
#   --no-build     deploy the dist/ that is already there
#   --dist <dir>   deploy another build folder than dist/
#   --clean        empty <folder> first (only if it is empty or an earlier deploy made it)
# The build uses a relative base, so the same files work at any sub-path; BASE_PATH=/x/ pins one.
# Without --clean, files of the previous deployment stay: old hashed assets are harmless and let
# a tab still open on the previous version load its remaining chunks.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
build=1; dist=dist; clean=0; target=''; ghpages=0; remote=origin
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --dist) dist="${2:?--dist needs a folder}"; shift ;;
    --clean) clean=1 ;;
    --gh-pages) ghpages=1; if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then remote="$2"; shift; fi ;;
    -h|--help) usage ;;
    -*) echo "deploy: unknown option $1" >&2; usage ;;
    *) [ -z "$target" ] || usage; target="$1" ;;
  esac
  shift
done
[ "$ghpages" = 1 ] || [ -n "$target" ] || usage

if [ "$build" = 1 ]; then
  [ "$dist" = dist ] || { echo "deploy: --dist needs --no-build (the build writes dist/)" >&2; exit 2; }
  npm run build
fi
[ -f "$dist/index.html" ] && [ -f "$dist/sw.js" ] || { echo "deploy: $dist is not a complete build" >&2; exit 1; }
node scripts/check-csp.mjs "$dist" >/dev/null || { node scripts/check-csp.mjs "$dist"; exit 1; }

MARKER=.moe-lab-deploy
stamp() { printf 'MoE Lab deployed %s from %s\n' "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" > "$1/$MARKER"; }

if [ "$ghpages" = 1 ]; then
  url=$(git remote get-url "$remote") || { echo "deploy: no git remote '$remote'" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp -a "$dist/." "$tmp/"
  touch "$tmp/.nojekyll" # GitHub Pages must serve every file as is (no Jekyll: _names kept)
  stamp "$tmp"
  git -C "$tmp" init -q -b gh-pages
  git -C "$tmp" add -A
  git -C "$tmp" -c user.name="${GIT_AUTHOR_NAME:-moe-lab deploy}" -c user.email="${GIT_AUTHOR_EMAIL:-deploy@localhost}" \
    commit -q -m "Deploy MoE Lab $(git rev-parse --short HEAD 2>/dev/null || true)"
  git -C "$tmp" push -q --force "$url" gh-pages:gh-pages
  echo "deploy: pushed $dist to the gh-pages branch of $remote ($url)"
  exit 0
fi

mkdir -p "$target"
real_target=$(cd "$target" && pwd -P)
case "$real_target" in
  /|"$HOME"|"$(pwd -P)"|"$(pwd -P)"/*) echo "deploy: refusing to deploy into $real_target" >&2; exit 1 ;;
esac
if [ "$clean" = 1 ]; then
  if [ -n "$(ls -A "$real_target")" ] && [ ! -f "$real_target/$MARKER" ]; then
    echo "deploy: $real_target is not empty and no earlier deploy made it; not emptying it" >&2
    exit 1
  fi
  find "$real_target" -mindepth 1 -delete
fi
cp -a "$dist/." "$real_target/"
touch "$real_target/.nojekyll"
stamp "$real_target"
echo "deploy: copied $dist to $real_target ($(du -sh "$real_target" | cut -f1))"
