"""Find and render report templates: a user's folder first, then the shipped ones.

Templates only lay out: `StrictUndefined` turns a misspelt or missing variable
into a `TemplateError` naming the template file and line, instead of a blank;
autoescaping is on for every template, whatever its file name.
"""

from __future__ import annotations

import functools
import traceback
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Location, TemplateError
from ..sources import default_templates_dir  # noqa: F401 - also imported from here

STYLESHEET = "report.css"


@functools.lru_cache(maxsize=8)
def environment(user_dir: Path | None) -> jinja2.Environment:
    """Return the Jinja2 environment for a user template folder (or none); cached."""
    if user_dir is not None and not Path(user_dir).is_dir():
        raise TemplateError("template folder not found", Location(str(user_dir)))
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(default_templates_dir()))]
    if user_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(user_dir)))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), undefined=jinja2.StrictUndefined,
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Return (file, line) of the innermost template frame of a traceback.

    Jinja rewrites tracebacks so that frames of compiled templates carry the
    template's file name and source line.
    """
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".j2", ".html", ".jinja", ".jinja2", ".css", ".htm")):
            found = (name, line)
    return found


def render(user_dir: Path | None, name: str, **context: Any) -> str:
    """Render a template by name; every template mistake becomes a TemplateError."""
    env = environment(user_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(exc.filename or exc.name or name, exc.lineno)
        raise TemplateError(f"template syntax error: {exc.message}", where) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name!r} not found in {_search_path(user_dir)}") from None
    except jinja2.UndefinedError as exc:
        frame = _template_frame(exc)
        where = Location(frame[0], frame[1]) if frame else Location(name)
        raise TemplateError(f"undefined variable: {exc.message}", where) from None
    except (TypeError, ValueError, AttributeError) as exc:
        # A user's template calling a filter or method on the wrong type.
        frame = _template_frame(exc)
        if frame is None:
            raise
        raise TemplateError(f"template error: {exc}", Location(frame[0], frame[1])) from None


def stylesheet(user_dir: Path | None, name: str = STYLESHEET) -> str:
    """Return a stylesheet's text, report.css unless named (a user's file of that name wins)."""
    env = environment(user_dir)
    try:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        raise TemplateError(f"stylesheet {name!r} not found in {_search_path(user_dir)}") from None
    return source


def _search_path(user_dir: Path | None) -> str:
    dirs = ([str(user_dir)] if user_dir is not None else []) + [str(default_templates_dir())]
    return ", ".join(dirs)
