#!/usr/bin/env bash
# Render a clip set with truth.  bash tools/synth/render.sh OUT_DIR [--set ci] [--seed 1] [--jobs 2] [--only NAME ...]
# The committed set: bash tools/synth/render.sh tests/rendered
# A held-out set:    bash tools/synth/render.sh /tmp/holdout --set holdout --seed 7
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 1 ] || { echo "usage: $0 OUT_DIR [--set ci|holdout|refuse|ci_usable|frontal|frontal_holdout|treadmill|in_place|there_and_back|away_and_back] [--seed N] [--jobs N] [--only NAME ...]" >&2; exit 2; }
out=$1; shift
[ -x .venv-synth/bin/python ] || bash tools/synth/setup.sh
export PYOPENGL_PLATFORM=egl
exec .venv-synth/bin/python -m tools.synth render --out "$out" "$@" 2> >(grep -v -i "warp\|cuda\|devices:\|kernel cache\|\"cpu\"" >&2)
