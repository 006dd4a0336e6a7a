"""The rule language: a YAML rule changes what is found and judged, with no code change."""

from __future__ import annotations

import json

from factcheck.api import check_text, load_engine
from factcheck.config import Config

PACK = """
lists:
  fruit: [apple, pear, passion fruit]
fragments:
  qty: '\\d+'
rules:
  - id: demo.fruit
    kind: hedge
    description: Fruit mentioned.
    pattern: '\\b(?P<n>{{qty}})\\s+(?P<what>{{fruit}})s?\\b'
    verdict:
      default: unsupported
      reason: "No fruit census backs {text}."
      when:
        - if: {group: {n: '1\\d\\d+'}}
          verdict: vague
          reason: "Over a hundred {what}s is a lot."
    examples:
      match:
        - text: "She ate 3 apples."
          span: "3 apples"
      no_match: ["She ate apples."]
"""


def _engine(tmp_path, text=PACK, **config):
    pack = tmp_path / "pack"
    pack.mkdir(exist_ok=True)
    (pack / "fruit.yaml").write_text(text, encoding="utf-8")
    return load_engine(rules=[pack], config=Config(**config), default_rules=False, default_facts=False)


def test_a_rule_in_a_user_folder_shows_up_in_extract(cli, tmp_path, write):
    write("pack/fruit.yaml", PACK)
    article = write("a.txt", "He bought 12 passion fruits and 2 pears.\n")
    code, out, _ = cli("extract", "--rules", tmp_path / "pack", article)
    assert code == 0
    claims = json.loads(out)["claims"]
    found = [(c["text"], c["rule"], c["verdict"]) for c in claims if c["rule"] == "demo.fruit"]
    # "passion fruit" is a multi-word list entry: it matches across the space.
    assert found == [("12 passion fruits", "demo.fruit", "unsupported"), ("2 pears", "demo.fruit", "unsupported")]


def test_verdict_conditions_and_reason_templates_come_from_the_rule(tmp_path):
    result = check_text("They picked 150 apples.", engine=_engine(tmp_path))
    (claim,) = result.claims
    assert claim.verdict == "vague"
    assert claim.reason == "Over a hundred apples is a lot."
    assert claim.evidence[0].type == "rule" and claim.evidence[0].id == "demo.fruit"


def test_a_list_extended_in_another_file_matches_without_touching_patterns(tmp_path):
    engine_pack = tmp_path / "pack"
    engine_pack.mkdir()
    (engine_pack / "a.yaml").write_text(PACK, encoding="utf-8")
    (engine_pack / "b.yaml").write_text("lists:\n  fruit: {extends: fruit, words: [plum]}\n", encoding="utf-8")
    engine = load_engine(rules=[engine_pack], config=Config(), default_rules=False, default_facts=False)
    texts = [c.text for c in check_text("4 plums and 5 pears", engine=engine).claims]
    assert texts == ["4 plums", "5 pears"]


def test_config_disables_and_overrides_rules_by_id(tmp_path):
    assert check_text("3 apples", engine=_engine(tmp_path, disable=("demo.fruit",))).claims == ()
    engine = _engine(tmp_path, override={"demo.fruit": {"verdict": {"default": "vague", "reason": "Overridden."}}})
    (claim,) = check_text("3 apples", engine=engine).claims
    assert (claim.verdict, claim.reason) == ("vague", "Overridden.")


def test_within_a_kind_the_longest_match_wins_but_kinds_may_overlap(tmp_path):
    pack = PACK + """
  - id: demo.short
    kind: hedge
    description: Just the number.
    priority: 10
    pattern: '\\b\\d+\\b'
    examples:
      match: [{text: "7"}]
      no_match: ["seven"]
  - id: demo.other-kind
    kind: superlative
    description: Any digits, another kind.
    pattern: '\\b\\d+\\b'
    examples:
      match: [{text: "7"}]
      no_match: ["seven"]
"""
    claims = check_text("We ate 3 apples.", engine=_engine(tmp_path, pack)).claims
    assert [(c.text, c.rule) for c in claims] == [("3 apples", "demo.fruit"), ("3", "demo.other-kind")]


def test_a_longer_match_its_drop_condition_rejects_leaves_its_place_to_a_shorter_one(tmp_path):
    pack = PACK.replace("    verdict:", "    drop:\n      - {before: 'not'}\n    verdict:", 1) + """
  - id: demo.short
    kind: hedge
    description: Just the number.
    pattern: '\\b\\d+\\b'
    examples: {match: [{text: "7"}], no_match: ["seven"]}
"""
    claims = check_text("not 3 apples, but 4 pears", engine=_engine(tmp_path, pack)).claims
    assert [(c.text, c.rule) for c in claims] == [("3", "demo.short"), ("4 pears", "demo.fruit")]


def test_a_match_a_longer_claim_of_its_kind_covers_is_never_normalized(tmp_path, monkeypatch):
    # The overlap policy does not need its value: it loses whatever the value is.
    from factcheck import matcher, normalize

    pack = PACK + """
  - id: demo.short
    kind: hedge
    description: Just the number.
    pattern: '\\b\\d+\\b'
    examples: {match: [{text: "7"}], no_match: ["seven"]}
"""
    engine = _engine(tmp_path, pack)
    seen = []
    real = normalize.normalizer

    def spy(kind):
        inner = real(kind)
        return lambda groups, ctx: seen.append(ctx.match_text) or inner(groups, ctx)

    monkeypatch.setattr(matcher.normalize, "normalizer", spy)
    claims = check_text("We ate 3 apples and 5 nuts.", engine=engine).claims
    assert [c.text for c in claims] == ["3 apples", "5"]
    assert sorted(seen) == ["3 apples", "5"]


def test_drop_conditions_remove_false_positives_by_context(tmp_path):
    pack = PACK.replace("    verdict:", "    drop:\n      - {before: 'not'}\n    verdict:", 1)
    claims = check_text("not 3 apples, but 4 pears", engine=_engine(tmp_path, pack)).claims
    assert [c.text for c in claims] == ["4 pears"]


def test_before_and_after_conditions_each_drop_a_match_also_when_tested_together(tmp_path):
    # Lone `before:` (and lone `after:`) conditions are tested as one pattern
    # (rules._merge_edges): each must still drop what it drops alone, and nothing else.
    drops = ("    drop:\n      - {before: 'not'}\n      - {before: 'no\\s+more\\s+than'}\n"
             "      - {after: '\\s+rotten'}\n      - {after: '\\s+(?:eaten|gone)'}\n"
             "      - {before: 'hardly', window: 8}\n    verdict:")
    engine = _engine(tmp_path, PACK.replace("    verdict:", drops, 1))
    assert len(engine.pack.rules[0].drop) == 3  # two befores, two afters, the one with its own window
    text = ("not 3 apples, no more than 4 pears, 5 apples rotten, 6 pears gone, hardly 7 apples, "
            "hardly any of 8 pears, 9 apples")
    assert [c.text for c in check_text(text, engine=engine).claims] == ["8 pears", "9 apples"]


def test_a_condition_that_would_change_the_others_in_one_pattern_keeps_its_own_test(tmp_path):
    # A global inline flag (here from a fragment) or a back-reference would mean
    # something else inside (?:A)|(?:B): such a condition is not merged.
    pack = PACK.replace("  qty: '\\d+'", "  qty: '\\d+'\n  loud: '(?i)NOT'")
    drops = "    drop:\n      - {before: 'hardly'}\n      - {before: '{{loud}}'}\n      - {before: '(a)\\1'}\n    verdict:"
    engine = _engine(tmp_path, pack.replace("    verdict:", drops, 1))
    assert len(engine.pack.rules[0].drop) == 3
    claims = check_text("hardly 3 apples, not 4 pears, 5 apples, 6 pears", engine=engine).claims
    assert [c.text for c in claims] == ["5 apples", "6 pears"]


def test_a_bad_pattern_in_a_before_condition_is_reported_at_its_own_line(tmp_path):
    import pytest

    from factcheck.errors import RuleError

    drops = "    drop:\n      - {before: 'not'}\n      - {before: 'no(t'}\n    verdict:"
    with pytest.raises(RuleError) as caught:
        _engine(tmp_path, PACK.replace("    verdict:", drops, 1))
    line = PACK.replace("    verdict:", drops, 1).splitlines().index("      - {before: 'no(t'}") + 1
    assert f"fruit.yaml:{line}:" in str(caught.value)


def test_offsets_index_the_text_and_sentences(tmp_path):
    text = "Mr. Smith ate 3 apples. Then 4 pears.\nLater 5 apples."
    result = check_text(text, engine=_engine(tmp_path))
    assert [(text[c.start:c.end], c.sentence) for c in result.claims] == [("3 apples", 0), ("4 pears", 1), ("5 apples", 2)]


def test_a_verdict_condition_can_look_at_the_other_claims_of_the_sentence(tmp_path):
    pack = PACK.replace("""      when:
""", """      when:
        - if: {claim: {kind: superlative}}
          verdict: vague
          reason: "Hedged by “perhaps”."
""", 1) + """
  - id: demo.perhaps
    kind: superlative
    description: The word perhaps.
    pattern: '\\bperhaps\\b'
    examples:
      match: [{text: perhaps}]
      no_match: ["surely"]
"""
    claims = check_text("Perhaps 3 apples. Surely 4 pears.", engine=_engine(tmp_path, pack)).claims
    assert [(c.text, c.verdict) for c in claims if c.rule == "demo.fruit"] == [("3 apples", "vague"), ("4 pears", "unsupported")]


def test_no_yes_and_on_in_a_word_list_stay_words(tmp_path):
    pack = PACK.replace("fruit: [apple, pear, passion fruit]", "fruit: [no, on, yes]")
    texts = [c.text for c in check_text("3 nos and 4 yes", engine=_engine(tmp_path, pack)).claims]
    assert texts == ["3 nos", "4 yes"]


def test_a_wrong_normalize_parameter_is_a_load_error_with_its_location(cli, write, tmp_path):
    path = write("pack/mine.yaml", """
        rules:
          - id: mine.crowd
            kind: attribution
            description: Crowds.
            pattern: '\\bcrowds say\\b'
            normalize: {kind: vage}
            examples: {match: [{text: crowds say}], no_match: [no]}
    """)
    code, _, err = cli("rules", "validate", "--rules", tmp_path / "pack")
    assert code == 2
    assert err == f"factcheck: {path}:6:23: rule 'mine.crowd': normalize.kind is 'vage'; allowed: named, anonymous, vague\n"
    path.write_text(path.read_text().replace("{kind: vage}", "{knd: vague}"))
    code, _, err = cli("rules", "validate", "--rules", tmp_path / "pack")
    assert "unknown normalize parameter 'knd' for kind 'attribution' (did you mean 'kind'?)" in err


def test_pack_words_matches_whole_words_of_plain_and_regex_lists(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.yaml").write_text(PACK, encoding="utf-8")
    (folder / "b.yaml").write_text("lists:\n  starts: [began, broke out]\n  codes: {words: ['[A-Z]\\d{3}'], regex: true}\n",
                                   encoding="utf-8")
    engine = load_engine(rules=[folder], config=Config(), default_rules=False, default_facts=False)
    assert engine.pack.words("starts").findall("War broke   out; it began.") == ["broke   out", "began"]
    assert engine.pack.words("starts").search("beganning") is None
    assert engine.pack.words("codes").findall("a B123 and C45") == ["B123"]
    assert engine.pack.words("nothing") is None
