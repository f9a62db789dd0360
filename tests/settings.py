"""Settings for the test suite: the product's settings with FANGKONG_ENV=test.

The environment is set here, before fangkong.settings is read, because pytest-django loads
the settings before any conftest runs.
"""

import os
import tempfile

os.environ.setdefault("FANGKONG_ENV", "test")
os.environ.setdefault("FANGKONG_HOME", tempfile.mkdtemp(prefix="fangkong-test-"))

from fangkong.settings import *  # noqa: E402, F403
