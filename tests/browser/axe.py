"""axe-core (the npm package pinned in tests/browser/package.json, installed by `make
install` with `npm ci`) injected into a Playwright page: the WCAG 2.x A and AA rules, and
every violation printed so that a person can find and fix it."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _script() -> str:
    if not AXE.exists():
        pytest.fail(
            "axe-core is not installed: run `npm ci --prefix tests/browser` (make install "
            "does it where npm exists; .ci/run installs Debian's nodejs and npm)."
        )
    return AXE.read_text()


def violations(page) -> list[dict]:
    page.add_script_tag(content=_script())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return results["violations"]


def readable(found: list[dict]) -> str:
    """Each violation: rule, impact, what it asks, and the elements with the fix axe gives."""
    lines = []
    for violation in found:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(violation['nodes'])} element(s)] {violation['helpUrl']}"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"  at {' '.join(map(str, node['target']))}")
            lines.append("    " + " ".join(node["failureSummary"].split()))
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    found = violations(page)
    assert not found, f"axe found {len(found)} violation(s) on {what}:\n{readable(found)}"
