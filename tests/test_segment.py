"""Sentence segmentation with offsets on the tricky parts of news text."""

from __future__ import annotations

from factcheck.segment import split_sentences


def _texts(text):
    sentences = split_sentences(text)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    return [s.text for s in sentences]


def test_abbreviations_initials_and_decimals_do_not_end_sentences():
    text = "Mr. Smith of the U.S. Senate met J. Doe at 3.5 p.m. on Jan. 4. They talked."
    assert _texts(text) == ["Mr. Smith of the U.S. Senate met J. Doe at 3.5 p.m. on Jan. 4.", "They talked."]


def test_a_quotation_stays_with_its_attribution():
    text = "“We will talk. We will not give up,” Zelensky said. Moscow did not reply."
    assert _texts(text) == ["“We will talk. We will not give up,” Zelensky said.", "Moscow did not reply."]


def test_a_closing_quote_after_the_full_stop_belongs_to_the_sentence():
    text = "He said: “Moscow must first stop the attacks.” Then he left."
    assert _texts(text) == ["He said: “Moscow must first stop the attacks.”", "Then he left."]


def test_lines_are_paragraphs_unless_the_next_line_continues_in_lower_case():
    text = "Headline without stop\nFirst sentence of a\nwrapped line. Next one!\n\nLast?"
    assert _texts(text) == ["Headline without stop", "First sentence of a\nwrapped line.", "Next one!", "Last?"]


def test_a_huge_run_without_a_full_stop_is_cut_into_bounded_sentences():
    text = "word " * 3000
    sentences = split_sentences(text)
    assert len(sentences) > 1 and max(s.end - s.start for s in sentences) <= 2000
    assert sentences[0].start == 0 and sentences[-1].end == len(text.rstrip())
