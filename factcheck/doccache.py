"""Keep rule and fact files parsed and validated between runs.

Parsing the default rule pack (libyaml, then a LocDict or LocList with the line and
column of every key and item) is a third of `factcheck extract`'s start-up, and
validating it needs jsonschema, whose import alone costs more. A file whose exact
bytes already parsed and passed the schema is read back instead from a per-user
cache ($XDG_CACHE_HOME/factcheck/docs): the document as plain data (dicts, lists,
strings, numbers and its locations), written with `marshal` (plain data only, never
code) and replaced atomically.

An entry is keyed by a digest of the file's bytes, the schema, the source of the
modules that shape a document (yamlsafe, validate, this one) and the factcheck
version, so an edited file, schema or loader is simply a miss. An entry is used only
if its checksum and key match and it decodes to the expected shapes; anything else
(a truncated, corrupt or foreign file, an unreadable folder) is ignored and the file
parsed and validated as if there were no cache. The cache never changes what a load
returns or which errors it reports; the semantic checks that follow always run.
Set FACTCHECK_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .atomic import cache_home, prune_oldest, write_atomic
from .errors import FactcheckError
from .yamlsafe import LocDict, LocList, parse_bytes, read_bytes

FORMAT = 1  # bump when the encoding below changes
MAX_ENTRIES = 2000  # older entries are removed past this many (a few edits a day for years)
_MAGIC = b"factcheck-doc\n"
_SUM = 16  # bytes of blake2b checksum ahead of the payload
_MAP, _SEQ = 0, 1  # tags of encoded containers; scalars are never tuples


class _Uncacheable(Exception):
    """The document holds something the plain encoding cannot round-trip exactly."""


def load_document(path: Path, schema_name: str, noun: str, error: type[FactcheckError],
                  check_shape: Callable[[Any, str], None]) -> tuple[Any, bytes]:
    """Return (document, file bytes) of a YAML file that passes the shipped schema `schema_name`.

    `check_shape(doc, shown_path)` raises for a document of the wrong overall shape (empty,
    not a mapping) before the schema is applied, with a plainer message than the schema's.
    Errors are raised as `error` at `path:line:col`, exactly as without the cache.
    """
    raw = read_bytes(path, error)
    shown = str(path)
    key = _key(schema_name, raw)
    doc = _get(key, shown) if key else None
    if doc is not None:
        return doc, raw
    doc = parse_bytes(raw, shown, error)
    check_shape(doc, shown)
    from .validate import validate  # only a miss needs it (and maybe jsonschema)

    validate(doc, schema_name, shown, noun, error, raw if key else None)  # raw: its own pass stamp
    if key:
        _put(key, doc)
    return doc, raw


@functools.cache
def _salt(schema_name: str) -> bytes | None:
    """Digest of everything besides the file that decides the loaded document; None: no cache."""
    here = Path(__file__).parent
    # Read as files, not imported: validate.py (and jsonschema) stays unloaded on a hit.
    sources = [here / f"{name}.py" for name in ("yamlsafe", "validate", "doccache")]
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{schema_name}\0".encode())
    try:
        for source in sources + [here / "schema" / f"{schema_name}.schema.json"]:
            h.update(source.read_bytes())
    except OSError:
        return None  # an install without sources: no cache rather than a stale one
    return h.digest()


def _key(schema_name: str, raw: bytes) -> str | None:
    salt = None if os.environ.get("FACTCHECK_NO_CACHE") else _salt(schema_name)
    return hashlib.sha256(salt + raw).hexdigest()[:40] if salt is not None else None


def _folder() -> Path:
    return cache_home() / "docs"


def _get(key: str, shown: str) -> Any:
    """Return the cached document for `key` with `shown` as its path, or None."""
    try:
        data = (_folder() / key).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _SUM
    checksum = hashlib.blake2b(data[head:], digest_size=_SUM).digest()
    if not data.startswith(_MAGIC) or checksum != data[len(_MAGIC):head]:
        return None
    try:
        stored_key, encoded = marshal.loads(data[head:])
        if stored_key != key or type(encoded) is not tuple:
            return None
        return _decode(encoded, shown)
    except Exception:  # noqa: BLE001 - any surprise in a cache entry is a miss, never an error
        return None


def _put(key: str, doc: Any) -> None:
    """Store a validated document; failures only cost the next run the parse."""
    try:
        payload = marshal.dumps((key, _encode(doc, set())))
    except (_Uncacheable, ValueError):
        return
    try:
        write_atomic(_folder() / key, _MAGIC + hashlib.blake2b(payload, digest_size=_SUM).digest() + payload, mode=0o600)
        prune_oldest(_folder(), MAX_ENTRIES)
    except OSError:
        pass


def _encode(node: Any, seen: set[int]) -> Any:
    """Turn a loaded document into marshal-able data, locations included.

    Only what the YAML loader builds is accepted; a container met twice (a YAML alias)
    is refused, since decoding would give two copies where the loader gave one object.
    """
    kind = type(node)
    if kind is LocDict or kind is LocList:
        if id(node) in seen:
            raise _Uncacheable
        seen.add(id(node))
        if kind is LocDict:
            return (_MAP, node.line, node.col, {k: _encode(v, seen) for k, v in node.items()},
                    node.key_locs, node.value_locs)
        return (_SEQ, node.line, node.col, [_encode(v, seen) for v in node], node.item_locs)
    if node is None or kind in (str, int, float, bool):
        return node
    raise _Uncacheable  # bytes, sets, omap pairs...: rare in rule files, parsed each time


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _decode(enc: tuple[Any, ...], path: str) -> LocDict | LocList:
    """Rebuild the LocDict/LocList tree of `_encode`, every node pointing at `path`.

    Raises (a miss) for anything `_encode` does not write: the entry is data from disk.
    """
    if enc[0] == _MAP:
        _, line, col, items, key_locs, value_locs = enc
        out: Any = LocDict({k: _value(v, path) for k, v in items.items()})
        if type(key_locs) is not dict or type(value_locs) is not dict:
            raise ValueError("bad mapping locations")
        out.key_locs, out.value_locs = key_locs, value_locs
    elif enc[0] == _SEQ:
        _, line, col, items, item_locs = enc
        out = LocList([_value(v, path) for v in items])
        if type(item_locs) is not list or len(item_locs) != len(items):
            raise ValueError("bad sequence locations")
        out.item_locs = item_locs
    else:
        raise ValueError("unknown node tag")
    out.path, out.line, out.col = path, line, col
    return out


def _value(enc: Any, path: str) -> Any:
    kind = type(enc)
    if kind is tuple:
        return _decode(enc, path)
    if kind not in _SCALARS:
        raise ValueError(f"unexpected {kind.__name__} in a cached document")
    return enc
