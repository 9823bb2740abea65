#!/usr/bin/env bash
# One command: make .venv-synth (gitignored) with the generator's packages, kept out of
# the app's uv environment. Also installs Mesa's EGL software renderer if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! ldconfig -p | grep -q "libEGL_mesa.so"; then
  if command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 >/dev/null
  else
    echo "need Mesa EGL (libegl1 libegl-mesa0 libgl1-mesa-dri)" >&2
    exit 1
  fi
fi
PY=${PYTHON:-python3}
if [ ! -x .venv-synth/bin/python ]; then
  "$PY" -m venv .venv-synth
fi
FIND=()
if [ -d /opt/wheels ]; then FIND=(--find-links /opt/wheels); fi
.venv-synth/bin/pip install -q --disable-pip-version-check "${FIND[@]}" -r tools/synth/requirements.txt
# first load of anny builds its cache (~1 min); do it now, offline
PYOPENGL_PLATFORM=egl .venv-synth/bin/python -c "import tools.synth.body as b; b.load_body({}); print('anny ok')" 2>&1 | grep -v -i "warp\|cuda\|devices\|kernel\|cache\|\"cpu\"" || true
PYOPENGL_PLATFORM=egl .venv-synth/bin/python -c "import pyrender; r = pyrender.OffscreenRenderer(64, 64); r.delete(); print('pyrender EGL ok')"
echo ".venv-synth ready"
