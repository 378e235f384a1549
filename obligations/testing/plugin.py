"""pytest plugin (entry point `obligations`): fixtures that load a corpus once per session.

    def test_my_draft(obligations_corpus): ...           # the bundled corpus, or --obligations-corpus PATH
    def test_other(obligations_load):
        loaded = obligations_load(["treaties/", "draft.treaty"])
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("obligations")
    group.addoption("--obligations-corpus", action="append", default=None, metavar="PATH",
                    help="clause files or folders for the obligations_corpus fixture (default: the bundled corpus)")


@pytest.fixture(scope="session")
def obligations_load():
    """Load clause files into a checked corpus; fails the test with the diagnostics if they have errors."""
    cache: dict[tuple, object] = {}

    def load(paths):
        from obligations.fsio import path_list
        from obligations.model.load import load_paths

        paths = path_list(paths, "obligations_load(paths)")
        key = tuple(str(p) for p in paths)
        if key not in cache:
            loaded = load_paths(list(paths))
            if not loaded.ok:
                pytest.fail("clause files have errors:\n" + "\n".join(d.short() for d in loaded.diagnostics), pytrace=False)
            cache[key] = loaded.corpus
        return cache[key]

    return load


@pytest.fixture(scope="session")
def obligations_corpus(request, obligations_load):
    """The corpus named by --obligations-corpus, or the bundled one."""
    from obligations.model.load import bundled_corpus_dir

    paths = request.config.getoption("--obligations-corpus") or [bundled_corpus_dir()]
    return obligations_load(paths)


@pytest.fixture(scope="session")
def obligations_engine(obligations_corpus):
    """An Engine over obligations_corpus: `engine.verdict(scenario, question)` is the fast path."""
    from obligations.api import Engine

    return Engine(obligations_corpus)
