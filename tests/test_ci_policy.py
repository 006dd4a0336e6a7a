"""The policy: --fail-on, thresholds per verdict, kind and rule; bad thresholds are config errors."""

from __future__ import annotations

import pytest

from factcheck.errors import ConfigError
from factcheck.policy import Policy, parse_fail_on
from test_corpus import pack_args, put


def _claim(verdict, kind="thing", rule="t.x", suppressed=None):
    return {"verdict": verdict, "kind": kind, "rule": rule, "suppressed": suppressed}


def test_fail_on_verdict_fails_at_the_first_one():
    policy = Policy.build(parse_fail_on("contradicted,unsupported"))
    assert policy.failures({"claims": [_claim("unsupported")]}) == ["1 unsupported > max_unsupported = 0"]
    assert policy.failures({"claims": [_claim("vague")]}) == []


def test_threshold_raises_the_limit_of_a_fail_on_verdict():
    policy = Policy.build(["unsupported"], {"max_unsupported": 2})
    assert policy.failures({"claims": [_claim("unsupported")] * 2}) == []
    assert policy.failures({"claims": [_claim("unsupported")] * 3}) == ["3 unsupported > max_unsupported = 2"]


def test_kind_and_rule_thresholds_count_only_their_claims():
    policy = Policy.build([], {"kind": {"quantity": {"max_vague": 1}}, "rule": {"superlative.*": {"max_unsupported": 0}}})
    claims = [_claim("vague", kind="quantity"), _claim("vague", kind="date"), _claim("unsupported", rule="t.y")]
    assert policy.failures({"claims": claims}) == []
    claims += [_claim("vague", kind="quantity"), _claim("unsupported", rule="superlative.most")]
    assert policy.failures({"claims": claims}) == ["2 vague > max_vague = 1 for kind quantity",
                                                   "1 unsupported > max_unsupported = 0 for rule superlative.*"]


def test_suppressed_and_known_claims_do_not_count():
    policy = Policy.build(["contradicted"])
    known = dict(_claim("contradicted"), new=False)
    assert policy.failures({"claims": [_claim("contradicted", suppressed="ok"), known]}) == []


def test_unknown_threshold_key_is_a_config_error_with_a_hint():
    with pytest.raises(ConfigError, match="did you mean 'max_vague'"):
        Policy.build([], {"max_vauge": 1})


def test_negative_limit_is_a_config_error():
    with pytest.raises(ConfigError, match="whole number"):
        Policy.build([], {"max_vague": -1})


def test_unknown_fail_on_verdict_exits_2(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    put(tmp_path, "a.txt", "Text.\n")
    code, _, err = cli("check", "a.txt", "--out", "o", "--fail-on", "wrong", "--jobs", "1", *pack_args(tmp_path))
    assert code == 2 and "unknown verdict 'wrong'" in err


def test_config_thresholds_apply_to_the_run(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.toml").write_text("[thresholds]\nmax_contradicted = 1\n[thresholds.rule.\"t.many\"]\nmax_vague = 0\n")
    put(tmp_path, "a.txt", "A unicorn.\n")
    put(tmp_path, "b.txt", "Many cats.\n")
    code, _, err = cli("check", "a.txt", "b.txt", "--out", "o", "--format", "", "--jobs", "1", *pack_args(tmp_path))
    assert code == 1
    assert "FAIL b.txt: 1 vague > max_vague = 0 for rule t.many" in err and "FAIL a.txt" not in err
