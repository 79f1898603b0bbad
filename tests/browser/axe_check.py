"""Run axe-core (tests/browser/axe, pinned by package-lock.json, installed by `make test`) in a page."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
IMPACTS = ("critical", "serious", "moderate", "minor")
# What the lessons put on the page: cell outputs (widgets, tables, figures) and rendered markdown.
LESSON_CONTENT = ".jp-OutputArea-output, .jp-MarkdownOutput"

_RUN = """async ([tags, ours]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations'], elementRef: true});
  const out = [];
  for (const v of result.violations) for (const n of v.nodes) {
    out.push({rule: v.id, impact: n.impact || v.impact, help: v.help,
              ours: !!(n.element && n.element.closest(ours)),
              target: n.target.join(' '), html: n.html.slice(0, 300),
              summary: (n.failureSummary || '').slice(0, 400)});
  }
  return out;
}"""


def axe_violations(page) -> list[dict]:
    """Every violation node on the page: rule, impact, whether it lies in the lesson's content."""
    if not AXE_JS.exists():
        raise AssertionError(
            f"axe-core is not installed ({AXE_JS}): run `make test`, which runs `npm ci` in tests/browser/axe"
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_RUN, [RULE_TAGS, LESSON_CONTENT])


def count_by_impact(nodes: list[dict]) -> dict[str, int]:
    counts = Counter(n["impact"] for n in nodes)
    return {impact: counts.get(impact, 0) for impact in IMPACTS}
