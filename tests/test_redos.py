"""Regex denial of service: a backtracking rule is stopped by the time limit.

`(?:a|a)+$` really backtracks in the `regex` module (2**n ways to split n letters,
all tried before `$` fails), unlike `(a+)+$`, which the module short-cuts. The
limit is `regex_timeout` in the project config or in a pack's `settings`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

EVIL = (
    "rules:\n"
    "  - id: evil.backtrack\n"          # the rule's mapping starts at 2:5
    "    kind: hedge\n"
    "    description: Backtracks on a long run of a's.\n"
    "    pattern: '(?:a|a)+$'\n"
    "    examples:\n"
    "      match: [{text: 'aaa'}]\n"
)
EVIL_DROP = (
    "rules:\n"
    "  - id: evil.drop\n"
    "    kind: hedge\n"
    "    description: A harmless pattern with a backtracking context rule.\n"
    "    pattern: '\\bperhaps\\b'\n"
    "    drop:\n"
    "      - sentence: '(?:a|a)+$'\n"
    "    examples:\n"
    "      match: [{text: 'perhaps'}]\n"
)
HOSTILE = "a" * 60 + "!"


def _setup(tmp_path, rules: str, timeout: str = "0.2"):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "evil.yaml").write_text(rules, encoding="utf-8")
    config = tmp_path / "factcheck.toml"
    config.write_text(f"regex_timeout = {timeout}\n", encoding="utf-8")
    article = tmp_path / "hostile.txt"
    article.write_text(f"perhaps {HOSTILE}\n", encoding="utf-8")
    return pack, config, article


def test_a_backtracking_pattern_really_backtracks_in_the_regex_module():
    import regex

    with pytest.raises(TimeoutError):
        regex.compile(r"(?:a|a)+$").search(HOSTILE, timeout=0.2)


def test_a_backtracking_rule_is_stopped_and_named_with_the_article(cli, tmp_path):
    pack, config, article = _setup(tmp_path, EVIL)
    code, out, err = cli("extract", "--no-default-rules", "--no-default-facts", "--config", config,
                         "--rules", pack, article)
    assert (code, out) == (2, "")
    assert err == (f"factcheck: {pack / 'evil.yaml'}:2:5: rule 'evil.backtrack': "
                   f"pattern timed out after 0.2 s on article '{article}'\n")


def test_a_backtracking_drop_condition_is_stopped_and_named(cli, tmp_path):
    pack, config, article = _setup(tmp_path, EVIL_DROP)
    code, out, err = cli("extract", "--no-default-rules", "--no-default-facts", "--config", config,
                         "--rules", pack, article)
    assert (code, out) == (2, "")
    assert err == (f"factcheck: {pack / 'evil.yaml'}:2:5: rule 'evil.drop': "
                   f"a 'drop' condition timed out after 0.2 s on article '{article}'\n")


def test_the_pack_setting_sets_the_limit(cli, tmp_path):
    pack, config, article = _setup(tmp_path, "settings: {regex_timeout: 0.3}\n" + EVIL, timeout="5")
    code, out, err = cli("extract", "--no-default-rules", "--no-default-facts", "--config", config,
                         "--rules", pack, article)
    assert (code, out) == (2, "")
    assert err.endswith(f"rule 'evil.backtrack': pattern timed out after 0.3 s on article '{article}'\n")


def test_the_api_raises_regex_timeout_naming_rule_and_article(tmp_path):
    from factcheck.api import check_text, load_engine
    from factcheck.config import Config
    from factcheck.errors import RegexTimeout

    pack, _, _ = _setup(tmp_path, EVIL)
    engine = load_engine(rules=[pack], config=Config(regex_timeout=0.2), default_rules=False, default_facts=False)
    with pytest.raises(RegexTimeout) as caught:
        check_text(HOSTILE, id="wire-42", engine=engine)
    assert caught.value.subject == "rule 'evil.backtrack'"
    assert "on article 'wire-42'" in caught.value.message


def test_harmless_text_passes_the_same_rule(tmp_path):
    from factcheck.api import check_text, load_engine
    from factcheck.config import Config

    pack, _, _ = _setup(tmp_path, EVIL)
    engine = load_engine(rules=[pack], config=Config(regex_timeout=0.2), default_rules=False, default_facts=False)
    claims = check_text("no letters to backtrack on: 123\naaa", engine=engine).claims
    assert [c.text for c in claims] == ["aaa"]


def test_a_real_process_stops_within_the_limit_and_prints_no_traceback(tmp_path):
    pack, config, article = _setup(tmp_path, EVIL)
    run = subprocess.run([sys.executable, "-m", "factcheck", "extract", "--no-default-rules", "--no-default-facts",
                          "--config", str(config), "--rules", str(pack), str(article)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2 and run.stdout == ""
    assert "Traceback" not in run.stderr
    assert "rule 'evil.backtrack': pattern timed out" in run.stderr


def _engine(tmp_path, rules: str = EVIL):
    from factcheck.api import load_engine
    from factcheck.config import Config

    pack, _, _ = _setup(tmp_path, rules)
    return load_engine(rules=[pack], config=Config(regex_timeout=0.2), default_rules=False, default_facts=False)


def test_the_limit_holds_in_a_thread_too(tmp_path):
    # Only the main thread can use the interval timer; other threads pass the limit
    # to each regex call (a Dask worker, a web server's thread pool).
    import threading

    from factcheck.api import check_text
    from factcheck.errors import RegexTimeout

    engine, caught = _engine(tmp_path), []

    def run() -> None:
        try:
            check_text(HOSTILE, id="in-a-thread", engine=engine)
        except RegexTimeout as exc:
            caught.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert [e.subject for e in caught] == ["rule 'evil.backtrack'"]


def test_a_host_programs_own_sigvtalrm_handler_is_left_alone(tmp_path):
    import signal

    from factcheck.api import check_text
    from factcheck.errors import RegexTimeout

    ticks = []

    def mine(signum, frame):
        ticks.append(signum)

    previous = signal.signal(signal.SIGVTALRM, mine)
    try:
        with pytest.raises(RegexTimeout):  # still stopped, by the per-call limit
            check_text(HOSTILE, engine=_engine(tmp_path))
        assert signal.getsignal(signal.SIGVTALRM) is mine
        assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
        assert ticks == []
    finally:
        signal.signal(signal.SIGVTALRM, previous)


def test_no_timer_is_left_running_and_the_engine_works_after_a_timeout(tmp_path):
    import signal

    from factcheck.api import check_text
    from factcheck.errors import RegexTimeout

    engine = _engine(tmp_path)
    with pytest.raises(RegexTimeout):
        check_text(HOSTILE, engine=engine)
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    # Slow work of the caller's own after the check is not interrupted...
    total = sum(i * i for i in range(3_000_000))
    assert total > 0
    # ...and the next article is checked as usual.
    assert [c.text for c in check_text("aaa", engine=engine).claims] == ["aaa"]


EVIL_WHEN = (
    "rules:\n"
    "  - id: evil.when\n"
    "    kind: hedge\n"
    "    description: A harmless pattern with a backtracking verdict condition.\n"
    "    pattern: '\\bperhaps\\b'\n"
    "    verdict:\n"
    "      default: vague\n"
    "      when:\n"
    "        - if: {sentence: '(?:a|a)+$'}\n"
    "          verdict: unsupported\n"
    "          reason: 'no'\n"
    "    examples:\n"
    "      match: [{text: 'perhaps'}]\n"
)


def test_a_backtracking_verdict_condition_is_stopped_and_named(tmp_path):
    from factcheck.api import check_text
    from factcheck.errors import RegexTimeout

    with pytest.raises(RegexTimeout) as caught:
        check_text(f"perhaps {HOSTILE}", id="wire-7", engine=_engine(tmp_path, EVIL_WHEN))
    assert caught.value.subject == "rule 'evil.when'"
    assert "'when' condition timed out on article 'wire-7'" in caught.value.message


def test_compiling_a_pattern_on_first_use_does_not_count_against_its_time_limit(tmp_path, monkeypatch):
    # A plan's split pattern is compiled when an article first needs it. Compiling a
    # large word list takes longer than this pack's 0.05 s limit; matching it does not.
    import random

    from factcheck.api import check_text, load_engine
    from factcheck.config import Config

    monkeypatch.setenv("FACTCHECK_NO_REGEX_CACHE", "1")  # a cold cache: every pattern compiled here
    rng = random.Random(3)
    words = sorted({"".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12)))
                    for _ in range(6000)})
    alt = "|".join(words)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "slow.yaml").write_text(
        "rules:\n"
        "  - id: slow.compile\n"
        "    kind: hedge\n"
        "    description: Compiles slowly, matches fast.\n"
        f"    pattern: '(?:(?:very|quite)\\s+)?(?:{alt})\\s+said\\b(?:\\s+(?:{alt}))?'\n"
        f"    examples:\n      match: [{{text: '{words[1]} said'}}]\n", encoding="utf-8")
    engine = load_engine(rules=[pack], config=Config(regex_timeout=0.05), default_rules=False, default_facts=False)
    claims = check_text(f"Quite {words[5]} said so. And {words[7]} said {words[9]} today.", engine=engine).claims
    assert [c.text for c in claims] == [f"Quite {words[5]} said", f"{words[7]} said {words[9]}"]


def test_the_limit_is_per_match_for_values_not_for_all_matches_together(tmp_path, monkeypatch):
    # The limit is for each pattern's matching, and for each match's value and drop
    # conditions, not their sum: a long article full of figures is no runaway pattern.
    # Here each value takes ~25 ms of CPU (a stand-in for a slow normalizer; pure Python,
    # as the timer counts user time), 40 of them ~1 s, against a limit of 0.1 s.
    from factcheck import normalize
    from factcheck.api import check_text, load_engine
    from factcheck.config import Config

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "figures.yaml").write_text(
        "rules:\n"
        "  - id: figures.count\n"
        "    kind: hedge\n"
        "    description: A number of people.\n"
        "    pattern: '\\d+\\s+people'\n"
        "    examples:\n"
        "      match: [{text: '12 people'}]\n", encoding="utf-8")
    engine = load_engine(rules=[pack], config=Config(regex_timeout=0.1), default_rules=False, default_facts=False)

    def slow_value(groups, ctx):
        total = 0
        for i in range(400_000):
            total += i
        return None

    monkeypatch.setattr(normalize, "normalizer", lambda kind: slow_value)
    claims = check_text(" ".join(f"{n} people came." for n in range(40)), engine=engine).claims
    assert len(claims) == 40


def test_a_tick_past_the_limit_raises_in_factcheck_code_but_never_in_the_watchdog_itself():
    # Raised in Limit.__exit__, the timer would stay armed after the article and stop the
    # caller's own work later. Ticks are handled at the next Python frame, which for
    # compiled modules (factcheck/compiled.py) is often a call into the watchdog.
    from types import SimpleNamespace

    from factcheck import matcher, watchdog

    def frame(path):
        return SimpleNamespace(f_code=SimpleNamespace(co_filename=path))

    spent = watchdog.Limit(1.0)
    spent.running, spent.left = True, 0
    saved, watchdog._active = watchdog._active, spent
    try:
        watchdog._tick(0, frame(watchdog.__file__))  # type: ignore[arg-type]
        watchdog._tick(0, frame(__file__))  # type: ignore[arg-type] - not factcheck's code
        with pytest.raises(TimeoutError):
            watchdog._tick(0, frame(matcher.__file__))  # type: ignore[arg-type]
    finally:
        watchdog._active = saved
