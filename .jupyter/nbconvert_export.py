# nbconvert settings for `make export` (README, "Reading without Jupyter"): a lesson's page that
# asks the network for nothing, its maths typeset.
#
# nbconvert's HTML page loads MathJax from a CDN, so offline its TeX stays raw. Here MathJax
# (the npm copy `make site` also uses, book/node_modules) is embedded in the page as a data: URL
# instead, like the plotly.js the figures embed: the page stays one file that works wherever it
# is copied or mailed, at the cost of about 3 MB per page (base64); a shared mathjax/ folder
# beside the pages would be smaller on disk but lose the maths as soon as a page is moved alone.
# The SVG build draws its glyphs itself (the CHTML build fetches font files); "full" has every
# TeX extension built in, so no formula makes MathJax fetch one.
#
# MathJax 3 reads its settings from window.MathJax when it starts (nbconvert's own settings
# script is for MathJax 2 and is ignored), so they go first in the same script: $...$ and
# \(...\) inline as in JupyterLab, $$...$$ and \[...\] displayed (MathJax's defaults).
import base64
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MATHJAX = ROOT / "book" / "node_modules" / "mathjax" / "es5" / "tex-svg-full.js"
SETTINGS = (
    "window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true},"
    " svg: {fontCache: 'global'}};\n"
)
if not MATHJAX.is_file():
    raise SystemExit(f"MathJax is missing ({MATHJAX}): run `npm ci --prefix book` (make export does this)")

c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)
script = SETTINGS.encode() + MATHJAX.read_bytes()
c.HTMLExporter.mathjax_url = "data:text/javascript;base64," + base64.b64encode(script).decode("ascii")
# The two other things nbconvert's page fetches from CDNs go too: a widget manager, to draw the
# widget views that an exported page removes for their still pictures (a page without the widget
# state does not ask for it, and is smaller: 2.1 MB less for lesson 06), and require.js, which
# nothing on the page uses (an empty script instead).
c.ExecutePreprocessor.store_widget_state = False
c.HTMLExporter.require_js_url = "data:text/javascript,"
