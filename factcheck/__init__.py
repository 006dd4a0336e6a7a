"""factcheck: rule-based fact-check reports for news articles."""

from __future__ import annotations

from .native import install as _install_compiled

__version__ = "0.1.0"

_install_compiled()  # the compiled modules only while they match their sources (native.py)

__all__ = ["__version__", "check_text", "check_file", "load_engine"]


def __getattr__(name: str):  # lazy: `import factcheck` stays cheap for the CLI
    if name in ("check_text", "check_file", "load_engine", "Engine"):
        from . import api

        return getattr(api, name)
    if name == "check_corpus":
        from . import corpus

        return corpus.check_corpus
    raise AttributeError(name)
