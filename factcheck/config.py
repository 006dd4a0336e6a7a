"""Project configuration: `factcheck.toml`, or `[tool.factcheck]` in `pyproject.toml`.

Looked up from the working folder upwards. Paths in it are relative to the file.
Keys (docs/config.md): `rules`, `facts`, `default_rules`, `default_facts`,
`disable`, `[override.RULE_ID]`, `templates`, `thresholds`, `suppress`, and
defaults for command-line options under `[defaults]`.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

from .errors import ConfigError, Location

KEYS = {"rules", "facts", "default_rules", "default_facts", "disable", "override", "templates", "thresholds",
        "suppress", "defaults", "regex_timeout"}


_NONE: Mapping[str, Any] = MappingProxyType({})  # a default shared by every Config: read-only


class Config(NamedTuple):  # not a dataclass: see errors.Location
    """The settings of one project."""

    path: str | None = None
    rules: tuple[Path, ...] = ()
    facts: tuple[Path, ...] = ()
    default_rules: bool = True
    default_facts: bool = True
    disable: tuple[str, ...] = ()
    override: Mapping[str, dict[str, Any]] = _NONE
    templates: Path | None = None
    thresholds: Mapping[str, Any] = _NONE
    suppress: tuple[dict[str, Any], ...] = ()
    defaults: Mapping[str, Any] = _NONE
    regex_timeout: float = 1.0


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """Return (file, settings table) of the nearest config file, or None."""
    for folder in [start, *start.parents]:
        own = folder / "factcheck.toml"
        if own.is_file():
            return own, _read(own)
        py = folder / "pyproject.toml"
        if py.is_file():
            table = _read(py).get("tool", {}).get("factcheck")
            if table is not None:
                return py, table
    return None


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # imported late: only a run that finds a config file needs it

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", Location(str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read file: {exc}", Location(str(path))) from None


def _paths(value: Any, base: Path, key: str, where: Location) -> tuple[Path, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"'{key}' must be a path or a list of paths", where)
    return tuple((base / v).resolve() for v in items)


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """Load the config file given, or the nearest one; an empty Config when none."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("config file not found", Location(str(explicit)))
        table = _read(explicit)
        if explicit.name == "pyproject.toml":
            table = table.get("tool", {}).get("factcheck", {})
        found: tuple[Path, dict[str, Any]] | None = (explicit, table)
    else:
        found = find_config(start or Path.cwd())
    if found is None:
        return Config()
    path, table = found
    where = Location(str(path))
    for key in table:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, sorted(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(sorted(KEYS))}"
            raise ConfigError(f"unknown key '{key}'{hint}", where)
    base = path.parent
    templates = table.get("templates")
    return Config(
        path=str(path),
        rules=_paths(table.get("rules", []), base, "rules", where),
        facts=_paths(table.get("facts", []), base, "facts", where),
        default_rules=bool(table.get("default_rules", True)),
        default_facts=bool(table.get("default_facts", True)),
        disable=tuple(table.get("disable", [])),
        override=dict(table.get("override", {})),
        templates=(base / templates).resolve() if templates else None,
        thresholds=dict(table.get("thresholds", {})),
        suppress=tuple(table.get("suppress", [])),
        defaults=dict(table.get("defaults", {})),
        regex_timeout=float(table.get("regex_timeout", 1.0)),
    )
