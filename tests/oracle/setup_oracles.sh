#!/usr/bin/env bash
# Install the real-Paddle oracles used by the interop tests (never a runtime dependency):
#  - Paddle 3.3.x comes with the project's `test` extra, in the main environment (numpy 2);
#  - Paddle 2.6.2 needs numpy < 2, so it gets its own virtualenv in .oracle/p26.
# Idempotent; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .oracle/p26/bin/python ] || ! .oracle/p26/bin/python -c "import paddle, cv2" 2>/dev/null; then
  [ -x .oracle/p26/bin/python ] || python -m venv .oracle/p26
  .oracle/p26/bin/python -m pip install -q --upgrade pip
  # opencv: Paddle's vision transforms run numpy images through cv2 (the transforms oracle)
  .oracle/p26/bin/python -m pip install -q "paddlepaddle==2.6.2" "numpy<2" opencv-python-headless
fi
.oracle/p26/bin/python -c "import paddle; print('oracle paddle', paddle.__version__)"
python -c "import paddle; print('oracle paddle', paddle.__version__)" 2>/dev/null | grep oracle
