import atexit
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings

# Hermetic: the suite never writes to the user's cache. Set before any test module loads a corpus.
_CACHE = tempfile.mkdtemp(prefix="obligations-test-cache-")
os.environ["OBLIGATIONS_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

# CI runs derandomized so a red run repeats; developers get fresh examples.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", deadline=None, max_examples=5000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the current output (review the diff)")


@pytest.fixture(scope="session")
def bundled():
    """The bundled corpus, loaded once for the session."""
    from obligations.api import Engine

    return Engine.load()


@pytest.fixture(scope="session")
def bundled_pato():
    """The bundled corpus with the PATO draft read as if in force."""
    from obligations.api import Engine

    return Engine.load(drafts={"pato-draft"})
