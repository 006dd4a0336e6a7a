"""Scorers for `factcheck eval`: TimeML, gold JSONL, labelled sentences."""
