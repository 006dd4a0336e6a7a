"""Anchored matching: patterns are tried only where their required words occur.

Users rely on it finding what a left-to-right scan of the pattern finds (spans and
groups), on the anchor being a rare word rather than "the", on triggers and time
limits still applying, and on a switch to turn it off.
"""

from __future__ import annotations

import string

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import anchor
from factcheck.api import check_text, load_engine
from factcheck.config import Config
from factcheck.errors import RegexTimeout

FLAGS = regex.IGNORECASE | regex.V0


def _plan(pattern: str) -> anchor.Plan | None:
    return anchor.plan(regex.compile(pattern, FLAGS))


def _anchored(pattern: str, text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    """Every match the anchored path finds in `text`, as (span, groups)."""
    plan = _plan(pattern)
    assert plan is not None, pattern
    index = anchor.Index([plan])
    hits, words, tokens = index.hits(text)
    found = []
    for pos in sorted(set(hits[0])):
        m = plan.match(text, pos, 0, len(text), 1.0, words, tokens)
        if m is not None and (m.span(), m.groupdict()) not in found:
            found.append((m.span(), m.groupdict()))
    return found


def _scanned(pattern: str, text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in regex.compile(pattern, FLAGS).finditer(text)]


MONTH = r"\b(?<!\w)(?:(?P<mod>early|late|the\s+end\s+of)\s+)?(?P<month>january|february|march)\b"
DURATION = (r"\b(?<!\w)(?:(?P<mod>more\s+than|about)\s+)?(?:(?P<halfof>an?\s+half)|"
            r"(?P<number>\d+|one|two|three|a)(?:\s+and\s+(?P<half>a\s+half))?)[-\s]+(?P<unit>years?|months?)\b")
SOURCE = r"\b(?P<source>(?:senior\s+)?(?:officials|critics|[A-Z]\w+))\s+(?P<verb>said|say|argued)\b"
REQUIRE = r"\b(?P<who>it|they)\s+requires?\s+(?P<what>\w+)"
REFERENCE = r"\b(?<![\w-])(?P<ref>now|the\s+(?:near\s+)?future|the[-\s]+past|a\s+later\s+date|at\s+present)\b(?!-)"
SUPERLATIVE = r"\b(?:the|its)\s+(?P<sup>(?!pr)[a-z]{2,}iest|best|most\s+\w+)(?:\s+(?P<np>year|storm))?\b"


def test_a_pattern_with_an_optional_prefix_is_looked_up_by_its_required_word():
    plan = _plan(MONTH)
    assert plan is not None
    assert plan.anchor.words == {"january", "february", "march"}


def test_the_anchor_is_the_rarer_required_part_not_a_short_common_word():
    plan = _plan(r"\b(?:the|a)\s+(?P<unit>week|month)\b")
    assert plan is not None
    assert plan.anchor.words == {"week", "month"}


def test_a_word_cut_by_an_optional_letter_is_looked_up_by_its_beginning():
    plan = _plan(REQUIRE)
    assert plan is not None
    assert set(plan.anchor.prefixes) == {"require"}
    assert _anchored(REQUIRE, "They require money. It requires time.") == _scanned(
        REQUIRE, "They require money. It requires time.")


def test_a_word_known_by_its_ending_is_looked_up_by_its_ending():
    plan = _plan(SUPERLATIVE)
    assert plan is not None
    assert plan.anchor.words == {"best", "most"} and plan.anchor.suffixes == ("iest",)
    text = "It was the happiest year and its busiest storm, the priest said, the best of its most wanted."
    assert _anchored(SUPERLATIVE, text) == _scanned(SUPERLATIVE, text)
    assert [text[s:e] for (s, e), _ in _anchored(SUPERLATIVE, text)] == [
        "the happiest year", "its busiest storm", "the best", "its most wanted"]


def test_a_common_word_is_tried_only_where_a_word_that_can_follow_it_does():
    plan = _plan(REFERENCE)
    assert plan is not None
    follows = {w: nxt for w, nxt in plan.anchor.follows}
    assert set(follows) == {"the", "a", "at"}  # "now" starts a match whatever follows
    assert follows["the"].words == {"near", "future", "past"}
    text = "At the moment the past is now; the near future, a later date. At present, the-past and the pasta."
    hits, _, _ = anchor.Index([plan]).hits(text)
    assert [text[p:p + 8] for p in hits[0]] == ["the past", "now; the", "the near", "a later ", "At prese",
                                                "the-past"]
    assert _anchored(REFERENCE, text) == _scanned(REFERENCE, text)


def test_a_full_word_memo_is_cleared_between_articles_and_loses_no_hit(monkeypatch):
    # Words are remembered across articles up to anchor._MEMO, and what "the" starts only
    # before given words is read from the memo when the next word comes: the memo is
    # cleared between articles only, and loses nothing then.
    plan = _plan(REFERENCE)
    text = "At the moment the past is now; the near future, a later date. At present, the-past and the pasta."
    expected = anchor.Index([plan]).hits(text)
    monkeypatch.setattr(anchor, "_MEMO", 2)
    index = anchor.Index([plan])
    assert index.hits(text) == expected
    assert index.hits(text) == expected  # after the clear


def test_a_pattern_in_verbose_mode_has_no_next_words_its_spaces_do_not_separate():
    plan = _plan(r"(?x) \b (?: the \s+ past | the \s+ future ) \b")
    assert plan is not None and plan.anchor.words == {"the"} and plan.anchor.follows == ()


# No word start to look up: a suffix; a word whose class holds a non-word character
# ("-"), so the ending need not end the word the article's index sees; a class run
# whose ending may go on (no word end after it); \w, which in `regex` takes combining
# marks that the index's words do not.
@pytest.mark.parametrize("pattern", [r"(?:est|\bworst)\b", r"[A-Z]\w+\s+\w+", r"(?:a|a)+$",
                                     r"\b[\w-]+est\b", r"\b[a-z]+est", r"\b[\w]+iest\b"])
def test_a_pattern_without_a_readable_word_start_is_scanned(pattern):
    assert _plan(pattern) is None


def test_the_match_starts_where_a_scan_starts_it():
    text = "Sales doubled in one and a half years, then fell for more than two months."
    assert _anchored(DURATION, text) == _scanned(DURATION, text)
    assert [text[s:e] for (s, e), _ in _anchored(DURATION, text)] == ["one and a half years", "more than two months"]


def test_offsets_stay_right_when_lower_case_changes_the_text_length():
    # 'İ' lower-cases to two characters; offsets must still point into the original text.
    text = "İİİ talks resume in early March, İstanbul said."
    assert _anchored(MONTH, text) == _scanned(MONTH, text)
    (span, groups), = _anchored(MONTH, text)
    assert text[span[0]:span[1]] == "early March" and groups["mod"] == "early"


WORDS = ["the", "early", "late", "end", "of", "January", "march", "more", "than", "about", "a", "an", "half",
         "one", "two", "and", "3", "12", "years", "month", "senior", "officials", "Critics", "said", "argued",
         "it", "requires", "require", "they", "money", "-", ",", ".", "\n", "its", "happiest", "priest", "iest",
         "best", "most", "storm", "year", "Busiest", "now", "near", "future", "past", "pasta", "later", "date",
         "at", "present", "the-past", "now-"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.sampled_from([MONTH, DURATION, SOURCE, REQUIRE, SUPERLATIVE, REFERENCE]))
def test_every_match_of_a_scan_is_found_from_the_anchors(words, pattern):
    text = " ".join(words)
    anchored = _anchored(pattern, text)
    for found in _scanned(pattern, text):
        assert found in anchored, (text, found)
    whole = regex.compile(pattern, FLAGS)
    for (start, _), _groups in anchored:  # and nothing a scan could not match from there
        assert whole.match(text, start) is not None


def _pack(tmp_path, body: str, settings_yaml: str = ""):
    pack = tmp_path / "pack"
    pack.mkdir(parents=True)
    (pack / "r.yaml").write_text(settings_yaml + "rules:\n" + body, encoding="utf-8")
    return load_engine(rules=[pack], config=Config(regex_timeout=0.2), default_rules=False, default_facts=False)


WIDGET = (
    "  - id: test.widget\n"
    "    kind: hedge\n"
    "    description: A widget, only where something was sold.\n"
    "    trigger: '\\bsold\\b'\n"
    "    pattern: '\\b(?:(?:red|blue)\\s+)?widget\\b'\n"
    "    examples:\n"
    "      match: [{text: 'We sold a red widget.', span: 'red widget'}]\n"
)


def test_a_trigger_still_limits_an_anchored_rule_to_its_sentences(tmp_path):
    engine = _pack(tmp_path, WIDGET)
    claims = check_text("A blue widget broke. Then we sold a red widget.", engine=engine).claims
    assert [c.text for c in claims] == ["red widget"]


SOLD_ON = (
    "  - id: test.sold-on\n"
    "    kind: hedge\n"
    "    description: A widget sold on, across two sentences.\n"
    "    trigger: '\\bsold\\b'\n"
    "    pattern: '\\bwidget\\.\\s+gadget\\b'\n"
    "    examples:\n"
    "      match: [{text: 'We sold a widget. Gadget shops sold it on.', span: 'widget. Gadget'}]\n"
)


def test_a_match_may_cross_into_the_next_sentence_only_when_that_one_has_the_trigger_too(tmp_path):
    # The region of an anchored match is the run of neighbouring sentences holding the
    # trigger (docs/rules.md), worked out once per trigger and article.
    engine = _pack(tmp_path, SOLD_ON)
    both = "We sold a widget. Gadget shops sold it on. A widget. Gadget shops closed."
    claims = check_text(both, engine=engine).claims
    assert [(c.start, c.text) for c in claims] == [(10, "widget. Gadget")]
    alone = "We sold a widget. Gadget shops closed."
    assert not check_text(alone, engine=engine).claims


BIRDS = (
    "  - id: test.birds\n"
    "    kind: hedge\n"
    "    description: Birds, only where they are counted.\n"
    "    trigger: '\\d|\\b(?:dozens?|scores?)\\b'\n"
    "    pattern: '\\bbirds\\b'\n"
    "    examples:\n"
    "      match: [{text: 'We saw 5 birds.', span: 'birds'}]\n"
)


def test_a_trigger_of_a_digit_or_words_limits_the_rule_to_sentences_with_either(tmp_path):
    # The word list is looked up by its words and the digit searched (anchor.alternatives):
    # either one lets the rule match in its sentence, neither does not.
    engine = _pack(tmp_path, BIRDS)
    assert len(engine.pack.rules[0].trigger_parts) == 2
    text = "We saw 5 birds. Then dozens of birds. Many birds left. Scores of BIRDS came back."
    claims = check_text(text, engine=engine).claims
    birds = [m.start() for m in regex.finditer("(?i)birds", text)]
    assert [c.start for c in claims] == [birds[0], birds[1], birds[3]]  # not "Many birds left."


@pytest.mark.parametrize("trigger", [r"(a)b|\1c", r"\bx\b|(?i)y", r"(?P<n>a)|(?P=n)b", "\\bsold\\b"])
def test_a_trigger_is_split_only_where_each_alternative_means_the_same_alone(trigger):
    assert anchor.alternatives(regex.compile(trigger, FLAGS)) is None


LIST_WORDS = ["ten", "tens", "tens of", "tens of thousands", "thousands", "of", "a", "a few", "few", "some",
              "some of", "half", "a half", "one and a half", "dozen", "dozens", "dozens of", "couple", "sands",
              "u.s.", "st.", "mid-range", "range", "a|b", "b",
              # signs regex.escape leaves as they are: a list holding one is still a tree
              "%", "per cent", "o’clock", "o'clock", "km/h", "£", "°c"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LIST_WORDS), min_size=8, max_size=14, unique=True),
       st.lists(st.sampled_from(LIST_WORDS + ["said", "x", ",", "-"]), max_size=16))
def test_a_word_list_written_as_a_tree_matches_what_the_flat_list_matches(entries, words):
    # anchor._factored shares the entries' beginnings (forwards) or endings (backwards,
    # in the look-behind of a split pattern); what matches, and where, must not change.
    from factcheck.rules import alternation

    flat = alternation(entries)
    text = " ".join(words) + " said"
    shapes = ((False, r"\b(?P<w>{})(?P<t>\s+of)?\b"), (True, r"(?<=(?P<w>\b{})\s+)said"),
              # in look-arounds matched the part's way: a word that is not an entry, one before "said"
              (False, r"\b(?!(?:{})\b)(?P<w>[\w%’'/£°.|-]+)"), (True, r"(?<=(?<!\b(?:{})\s+)(?P<w>\w+)\s+)said"))
    for backwards, shape in shapes:
        tree = anchor._factored(flat, backwards)
        assert tree != flat or len(entries) < 8
        plain, shared = regex.compile(shape.format(flat), FLAGS), regex.compile(shape.format(tree), FLAGS)
        for pos in range(len(text)):
            a, b = plain.match(text, pos), shared.match(text, pos)
            assert (a and (a.span(), a.span("w"))) == (b and (b.span(), b.span("w"))), (text, pos, backwards)
    # A condition's `before` pattern is matched backwards as a whole ((?r)): factor_lists
    # sees the flag and shares endings.
    before = regex.compile(rf"(?r)\b(?P<w>{flat})\s*$", FLAGS)
    shared = anchor.factor_lists(before)
    assert shared.pattern != before.pattern
    for end in range(len(text) + 1):
        a, b = before.match(text, 0, end), shared.match(text, 0, end)
        assert (a and (a.span(), a.span("w"))) == (b and (b.span(), b.span("w"))), (text, end)


def test_a_word_list_matched_the_other_way_or_with_capitals_is_left_as_written():
    from factcheck.rules import alternation

    lower = alternation(["one", "two", "three", "four", "five", "six", "seven", "eight"])
    assert anchor._factored(lower, False) != lower
    # A look-ahead is matched forwards, a look-behind backwards: a tree only the part's way.
    assert anchor._factored(f"(?!{lower})", False) != f"(?!{lower})"
    assert anchor._factored(f"(?<!{lower})", False) == f"(?<!{lower})"
    assert anchor._factored(f"(?<!{lower})", True) != f"(?<!{lower})"
    assert anchor._factored(f"(?<=(?={lower}))", True) == f"(?<=(?={lower}))"
    capitals = alternation(["One", "two", "three", "four", "five", "six", "seven", "eight"])
    assert anchor._factored(capitals, False) == capitals
    # Written by hand with a word before a longer one it begins: "in" is tried first.
    by_hand = "(?:in|inside|one|two|three|four|five|six)"
    assert anchor._factored(by_hand, False) == by_hand
    assert anchor._factored("(?:side|inside|one|two|three|four|five|six)", True).startswith("(?:side|")


def test_anchored_matching_can_be_switched_off_and_finds_the_same(tmp_path):
    text = "A blue widget broke. Then we sold a red widget."
    on = _pack(tmp_path / "on", WIDGET)
    off = _pack(tmp_path / "off", WIDGET, "settings: {anchored_matching: false}\n")
    assert all(p is not None for r in on.pack.rules for p in r.plans)
    assert all(p is None for r in off.pack.rules for p in r.plans)
    assert ([(c.start, c.end) for c in check_text(text, engine=on).claims]
            == [(c.start, c.end) for c in check_text(text, engine=off).claims])


def test_the_default_pack_finds_the_same_claims_anchored_or_scanned():
    import dataclasses

    from factcheck.models import Article

    engine = load_engine()
    scanned = dataclasses.replace(engine.pack, rules=tuple(dataclasses.replace(r, plans=(), trigger_parts=())
                                                           for r in engine.pack.rules))
    text = ("Russia invaded Ukraine in February 2022. Sales fell 5% in the first nine months, "
            "about three years after the war began on Monday, 24 February. Officials said hundreds "
            "of thousands were killed, and experts believe talks could resume next week.")
    article = Article(id="a", text=text)
    both = [engine.check(article), dataclasses.replace(engine, pack=scanned).check(article)]
    assert [(c.start, c.end, c.kind) for c in both[0].claims] == [(c.start, c.end, c.kind) for c in both[1].claims]
    assert len(both[0].claims) >= 8


def test_a_backtracking_anchored_pattern_is_stopped_and_named(tmp_path):
    evil = (
        "  - id: evil.anchored\n"
        "    kind: hedge\n"
        "    description: Backtracks after its anchor word.\n"
        "    pattern: '\\bstart\\s+(?:a|a)+$'\n"
        "    examples:\n"
        "      match: [{text: 'start aaa'}]\n"
    )
    engine = _pack(tmp_path, evil)
    assert engine.pack.rules[0].plans[0] is not None  # the anchored path, not a scan
    with pytest.raises(RegexTimeout) as caught:
        check_text("start " + "a" * 60 + "!", id="wire-7", engine=engine)
    assert caught.value.subject == "rule 'evil.anchored'"
    assert "on article 'wire-7'" in caught.value.message


def test_random_text_never_breaks_the_word_index():
    index = anchor.Index([_plan(MONTH), _plan(DURATION)])
    text = string.printable * 3 + "ß ǅ ﬁ İ march 3 years"
    hits, words, tokens = index.hits(text)
    assert [text[p:p + 5].lower() for p in hits[0]] == ["march"]
    assert all(text[s:s + len(t)].lower() == t for s, t in zip(words, tokens) if len(text[s:s + len(t)].lower()) == len(t))


# A rule anchored on "said": each attempt is fast, an article of 300,000 of them is not.
SAID_FLOOD = (
    "  - id: test.said\n"
    "    kind: attribution\n"
    "    description: A source and 'said'.\n"
    "    pattern: '\\b(?P<source>(?:[\\w-]+\\s+){1,3})said\\b'\n"
    "    examples:\n"
    "      match: [{text: 'the minister said'}]\n"
)


def test_an_article_of_anchor_words_is_stopped_by_the_time_limit_of_the_pattern(tmp_path):
    # Every attempt is fast, but 300,000 of them are not: all of a pattern's attempts on
    # one article share its time limit, as one scan of the article did.
    engine = _pack(tmp_path, SAID_FLOOD)
    assert engine.pack.rules[0].plans[0] is not None
    with pytest.raises(RegexTimeout) as caught:
        check_text("they said " * 300_000, id="flood", engine=engine)
    assert caught.value.subject == "rule 'test.said'"
    assert "on article 'flood'" in caught.value.message


def test_a_time_limit_is_not_lost_in_a_garbage_collector_callback(tmp_path):
    # The timer's tick can land in another library's code that runs meanwhile (here a
    # garbage-collector callback, as pytest plugins install): an exception there would be
    # printed as "Exception ignored" and lost. The limit still ends the check, silently.
    import gc
    import sys

    engine = _pack(tmp_path, SAID_FLOOD)
    ignored = []

    def busy_callback(phase, info):  # most of the time goes here, so ticks land here
        total = 0
        for i in range(20_000):
            total += i

    old_hook, old_threshold = sys.unraisablehook, gc.get_threshold()
    sys.unraisablehook = ignored.append
    gc.callbacks.append(busy_callback)
    gc.set_threshold(50)
    try:
        with pytest.raises(RegexTimeout):
            check_text("they said " * 300_000, id="flood", engine=engine)
    finally:
        gc.callbacks.remove(busy_callback)
        gc.set_threshold(*old_threshold)
        sys.unraisablehook = old_hook
    assert ignored == []


def test_named_groups_are_those_that_took_part_with_their_text_and_spans():
    # Read off the match's spans at once (anchor.named_groups), as groupdict() and span(name) tell.
    pattern = regex.compile(r"(?P<lead>x)?(?P<num>\d+)(?P<empty>)\s*(?P<unit>km|mi)?(?:(?P<tail>!)|(?P<end>\.))", FLAGS)
    for text in ("12 km.", "x7!", "3."):
        m = pattern.search("-- " + text)
        groups, spans = anchor.named_groups(m, offset=100, skip="lead")
        assert groups == {k: v for k, v in m.groupdict().items() if v is not None and k != "lead"}
        assert spans == {k: (m.span(k)[0] + 100, m.span(k)[1] + 100) for k in groups}
        assert groups["empty"] == "" and "lead" not in groups


def test_a_day_and_month_are_anchored_at_the_month_and_a_numeric_date_at_its_year():
    # A figure is a common word: "any number" is a poor anchor beside a month name or
    # a year's first digits, and a plan tried at every figure costs time for nothing.
    months = "(?:january|february|march|april|may|june|july|august|september|october|november|december" \
             "|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
    for pattern in (rf"\b\d{{1,2}}\s+{months}\b", rf"\b{months}\s+\d{{1,2}}\b"):
        plan = _plan(pattern)
        assert plan is not None and not plan.anchor.digits and "february" in plan.anchor.words
        text = "On 24 February, 3 people and 12 dogs met; February 25 came."
        assert [m.span() for m in regex.compile(pattern, FLAGS).finditer(text)] == \
            [m.span() for pos in range(len(text)) if (m := plan.match(text, pos, 0, len(text), None, [], []))]
    numeric = _plan(r"\b\d{1,2}/\d{1,2}/(?:19|20)\d\d\b")
    assert numeric is not None and not numeric.anchor.digits and numeric.anchor.prefixes



def test_every_split_pattern_of_the_default_pack_opens_with_the_group_that_marks_the_start():
    # Plan.match reads where a match starts from group number 1 (a number is read faster
    # than a name): the group must be the split pattern's first, in every plan.
    pack = load_engine(config=Config()).pack
    plans = pack.anchors().plans
    assert len(plans) > 50
    assert {p.pattern.groupindex["factcheck_before_"] for p in plans} == {anchor._BEFORE_GROUP}
