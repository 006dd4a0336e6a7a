"""JUnit XML: one test case per article, failing where the policy fails it.

CI systems (GitLab, Jenkins, Azure, CircleCI) show these as a test report:
`<testsuites><testsuite><testcase><failure message=...>claims</failure>`; an
article that could not be checked is an `<error>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..atomic import write_atomic

# Characters XML 1.0 cannot carry, even escaped: they would make the file unreadable.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _INVALID_XML.sub("\ufffd", str(text))


def claim_line(claim: dict[str, Any], path: str | None) -> str:
    """Describe a claim on one line: `path:12:5: contradicted [rule] "text": reason`."""
    where = ":".join(str(x) for x in (path or "", claim.get("line"), claim.get("col")) if x not in (None, ""))
    return f"{where}: {claim['verdict']} [{claim['rule']}] \"{claim['text']}\": {claim['reason']}".lstrip(": ")


def _counted(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in entry.get("claims", []) if c["verdict"] != "verified" and c.get("suppressed") is None
            and c.get("new", True)]


def _testcase(suite: ET.Element, entry: dict[str, Any]) -> None:
    path = entry.get("path") or ""
    case = ET.SubElement(suite, "testcase", classname=_clean(_classname(path)), name=_clean(entry["id"]),
                         file=_clean(path), time="0")
    if entry.get("error"):
        ET.SubElement(case, "error", message=_clean(entry["error"]), type="error").text = _clean(entry["error"])
    elif entry.get("failures"):
        body = "\n".join(claim_line(c, path) for c in _counted(entry))
        failure = ET.SubElement(case, "failure", message=_clean("; ".join(entry["failures"])), type="policy")
        failure.text = _clean(body)


def _classname(path: str) -> str:
    parent = Path(path).parent.as_posix() if path else ""
    return "factcheck" if parent in ("", ".") else "factcheck." + parent.replace("/", ".")


def junit_xml(run: Any) -> bytes:
    """Return the run as JUnit XML bytes (UTF-8, with an XML declaration)."""
    errors = len(run.errors)
    failures = len(run.failing) - errors  # (counted from the rows: failing articles are not read back)
    attrs = {"name": "factcheck", "tests": str(len(run.rows)), "failures": str(failures), "errors": str(errors),
             "time": f"{run.seconds:.3f}"}
    root = ET.Element("testsuites", attrs)
    suite = ET.SubElement(root, "testsuite", dict(attrs, skipped="0"))
    for entry in run.each():
        _testcase(suite, entry)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_junit(run: Any, path: Path) -> None:
    """Write the JUnit XML file (atomically)."""
    write_atomic(Path(path), junit_xml(run))
