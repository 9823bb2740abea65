"""Rendered-walker generator: synthetic clips of a person walking or running toward
a still phone camera, with exact per-frame and per-step truth.

The pure-numpy parts (gait curves, kinematics, truth geometry, camera) import without
torch or pyrender; only ``tools.synth.body`` (anny) and ``tools.synth.render`` need the
separate ``.venv-synth`` made by ``bash tools/synth/setup.sh``.
"""

__version__ = "0.2.0"
