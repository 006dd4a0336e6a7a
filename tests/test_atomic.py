"""Outputs are written whole or not at all: through a temporary file beside them, then renamed."""

from __future__ import annotations

import os
import stat

import pytest

from factcheck import atomic
from factcheck.atomic import write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_file_is_written_whole_with_the_usual_mode_and_its_folders_made(tmp_path):
    target = tmp_path / "a" / "b" / "report.json"
    write_atomic(target, b"x" * 300_000)
    assert target.read_bytes() == b"x" * 300_000
    assert _mode(target) == 0o666 & ~_umask()
    assert os.listdir(target.parent) == ["report.json"]  # no temporary file left


def test_an_explicit_mode_is_kept_whatever_the_umask(tmp_path):
    old = os.umask(0o277)  # would take the owner's write bit
    try:
        write_atomic(tmp_path / "cache.bin", b"data", mode=0o600)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "cache.bin") == 0o600


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "index.json"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["index.json"]


def test_a_temporary_name_in_use_is_not_touched(tmp_path, monkeypatch):
    draws = iter([7, 7, 8])
    monkeypatch.setattr(atomic, "_token", lambda: next(draws))
    taken = tmp_path / f".out.json.{7:010x}.tmp"  # another writer's file, mid-write
    taken.write_bytes(b"theirs")
    write_atomic(tmp_path / "out.json", b"ours")
    assert taken.read_bytes() == b"theirs"
    assert (tmp_path / "out.json").read_bytes() == b"ours"
    assert sorted(os.listdir(tmp_path)) == [taken.name, "out.json"]


def test_a_file_written_from_chunks_is_their_concatenation_and_appears_whole(tmp_path):
    target = tmp_path / "big.json"
    seen = []

    def chunks():
        for part in (b"[", b"1, " * 1000, bytearray(b"2"), b"]"):
            seen.append(target.exists())  # not there while being written
            yield part

    write_atomic(target, chunks())
    assert target.read_bytes() == b"[" + b"1, " * 1000 + b"2]"
    assert seen == [False] * 4 and [p.name for p in tmp_path.iterdir()] == ["big.json"]
