"""SARIF 2.1.0: flagged claims as static-analysis results (GitHub code scanning, VS Code, ...).

One result per claim that is not verified: rule id, level by verdict
(contradicted = error, vague = warning, unsupported = note), the reason as the
message, and the article file's line and column (1-based, in Unicode code points:
`columnKind` says so). A JSON or HTML article has no line: its result names the
file only. Suppressed claims are kept, marked with a `suppressions` entry, as
SARIF viewers expect; with a baseline, `baselineState` tells new from unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import write_atomic

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"contradicted": "error", "vague": "warning", "unsupported": "note"}


def artifact_uri(path: str) -> str:
    """Return a path as SARIF wants it: relative with '/' when under the working folder, else a file: URI."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix().replace("%", "%25").replace(" ", "%20").replace("#", "%23").replace("?", "%3F")


def _artifact(path: str) -> dict[str, str]:
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "SRCROOT"}


def _region(c: dict[str, Any]) -> dict[str, Any] | None:
    if not c.get("line"):
        return None
    region = {"startLine": c["line"], "startColumn": c["col"]}
    if "\n" not in c["text"]:
        region["endLine"] = c["line"]
        region["endColumn"] = c["col"] + len(c["text"])
    region["snippet"] = {"text": c["text"]}
    return region


def _result(c: dict[str, Any], entry: dict[str, Any], rule_index: dict[str, int], baseline: bool) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(entry["path"] or entry["id"])}
    region = _region(c)
    if region:
        location["region"] = region
    result: dict[str, Any] = {"ruleId": c["rule"], "level": LEVELS[c["verdict"]],
                              "message": {"text": c["reason"] or c["message"] or c["verdict"]},
                              "locations": [{"physicalLocation": location}],
                              "partialFingerprints": {"factcheckClaim/v1": c["fingerprint"]},
                              "properties": {"verdict": c["verdict"], "kind": c["kind"], "article": entry["id"]}}
    if c["rule"] in rule_index:
        result["ruleIndex"] = rule_index[c["rule"]]
    if c.get("suppressed") is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": c["suppressed"]}]
    if baseline:
        result["baselineState"] = "new" if c.get("new", True) else "unchanged"
    return result


def _rules(run: Any) -> list[dict[str, Any]]:
    out = []
    for r in run.rules:
        rule = {"id": r["id"], "shortDescription": {"text": r["description"] or r["id"]},
                "properties": {"kind": r["kind"]}}
        if r.get("message"):
            rule["fullDescription"] = {"text": r["message"]}
        out.append(rule)
    return out


def sarif_dict(run: Any, baseline: bool = False) -> dict[str, Any]:
    """Return the run as a SARIF 2.1.0 log."""
    rules = _rules(run)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = [_result(c, e, index, baseline) for e in run.each() for c in e.get("claims", [])
               if c["verdict"] in LEVELS]
    notifications = [{"level": "error", "message": {"text": e["error"]},
                      "locations": [{"physicalLocation": {"artifactLocation": _artifact(e["path"] or e["id"])}}]}
                     for e in run.errors]
    invocation = {"executionSuccessful": not run.interrupted, "toolExecutionNotifications": notifications}
    driver = {"name": "factcheck", "version": __version__, "semanticVersion": __version__,
              "informationUri": "https://pypi.org/project/factcheck/", "rules": rules}
    return {"$schema": SCHEMA_URI, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "invocations": [invocation], "columnKind": "unicodeCodePoints",
                      "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}}, "results": results}]}


def write_sarif(run: Any, path: Path, baseline: bool = False) -> None:
    """Write the SARIF log (atomically)."""
    # No indentation: the C encoder writes a corpus's tens of thousands of results in a second.
    text = json.dumps(sarif_dict(run, baseline), ensure_ascii=False, separators=(",", ":")) + "\n"
    write_atomic(Path(path), text.encode("utf-8"))



