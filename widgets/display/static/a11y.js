// Keyboard and screen-reader support for the controls inside the lessons' widgets.
// widgets/display/figure_transport.py puts this file in front of each anywidget's own module (LivePlot,
// the quiz's choice group), so its functions are in scope there; the page-wide part runs once per
// page whichever widget loads first.
//
// ipywidgets draws its controls without everything a screen reader or a keyboard user needs, and
// JupyterLab's notebook shortcuts take keys from them. Rather than waiting for a control to get
// focus, every pass (on load and after any change to the page, at most once per frame) fixes each
// control inside a widget output or a lesson diagram:
//  * data-lm-suppress-shortcuts on every focusable element that is not a text box: Lumino then
//    lets ↑ ↓ Enter reach the control instead of moving to another cell (text boxes are already
//    left alone by JupyterLab);
//  * slider handles are named from their label, and aria-valuetext says the readout shown beside
//    them (noUiSlider announces its internal number, e.g. a log10 value or an option index);
//  * a disabled slider handle leaves the Tab order (tabindex=-1, aria-disabled), back when enabled;
//  * icon-only buttons (Play, Pause, Stop, Repeat) are named after the icon they show now, and
//    Repeat says whether it is on (aria-pressed);
//  * message areas (widgets.display.ui.message_area) are polite live regions;
//  * a slider readout that ignores typing (marked ol-readonly-readout) is not editable.
// Home and End on a slider handle go to the slider's current ends (a11yHomeEnd).

const A11Y_SCOPE = ".jupyter-widgets, .ol-diagram";
const A11Y_FOCUSABLE = "a[href], button, input, select, textarea, [tabindex], [contenteditable=true], .modebar-btn";
const A11Y_TEXT_ENTRY = "input:not([type]), input[type=text], input[type=number], input[type=search], "
  + "input[type=email], input[type=password], textarea, [contenteditable=true]";
const A11Y_ICON_NAMES = {
  "fa-play": "Play", "fa-pause": "Pause", "fa-stop": "Stop", "fa-retweet": "Repeat",
  "fa-plus": "Add", "fa-minus": "Remove", "fa-refresh": "Start again",
  "fa-arrow-left": "Previous", "fa-arrow-right": "Next",
};

function a11ySetAttr(el, name, value) {
  if (value === null) { if (el.hasAttribute(name)) el.removeAttribute(name); }
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function a11yText(el) {
  return (el?.textContent || "").replace(/\s+/g, " ").trim();
}

// The text a slider shows for its value: its own readout, or (readout hidden) the text of the
// widget right after it, which the lessons use for a formatted concentration ("10 nM").
function a11ySliderReadout(slider) {
  const readout = slider.querySelector(".widget-readout");
  // ipywidgets hides a readout with an inline display:none (reading offsetParent instead would
  // force a layout of the whole page on every pass).
  if (readout && readout.style.display !== "none" && a11yText(readout)) return a11yText(readout);
  const next = slider.nextElementSibling;
  if (next && next.matches(".widget-html, .widget-label, .widget-htmlmath")) return a11yText(next) || null;
  return null;
}

function a11yFixSliders(root) {
  for (const handle of root.querySelectorAll(".noUi-handle")) {
    const slider = handle.closest(".widget-slider, .jupyter-widgets");
    if (!slider) continue;
    const label = a11yText(slider.querySelector(".widget-label"));
    a11ySetAttr(handle, "aria-label", label || "slider");
    const shown = a11ySliderReadout(slider);
    if (shown) a11ySetAttr(handle, "aria-valuetext", shown);
    const disabled = !!handle.closest("[disabled]") || slider.classList.contains("mod-disabled");
    a11ySetAttr(handle, "tabindex", disabled ? "-1" : "0");
    a11ySetAttr(handle, "aria-disabled", disabled ? "true" : null);
    // The editable readout is a second way to type a value; name it after the slider too. A
    // readout that ignores typing (SelectionSlider, marked ol-readonly-readout) is plain text.
    if (slider.classList.contains("ol-readonly-readout")) {
      slider.querySelectorAll(".widget-readout").forEach((r) => a11ySetAttr(r, "contenteditable", "false"));
    }
    const readout = slider.querySelector(".widget-readout[contenteditable=true]");
    if (readout) {
      a11ySetAttr(readout, "role", "textbox");
      a11ySetAttr(readout, "aria-label", `${label || "slider"} (type a value)`);
      a11ySetAttr(readout, "tabindex", disabled ? "-1" : null);
    }
  }
}

function a11yFixButtons(root) {
  for (const button of root.querySelectorAll("button")) {
    const icon = Object.keys(A11Y_ICON_NAMES).find((c) => button.querySelector(`.${c}`));
    if (!a11yText(button) && (icon || button.title)) {
      a11ySetAttr(button, "aria-label", icon ? A11Y_ICON_NAMES[icon] : button.title);
    }
    if (button.closest(".widget-play") && icon === "fa-retweet") {
      a11ySetAttr(button, "aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
    }
  }
}

function a11yFixMessages(root) {
  for (const area of root.querySelectorAll(".ol-message")) {
    const content = area.querySelector(".widget-html-content") || area;
    a11ySetAttr(content, "role", "status");
    a11ySetAttr(content, "aria-live", "polite");
  }
}

function a11yFixShortcuts(root) {
  for (const el of root.querySelectorAll(A11Y_FOCUSABLE)) {
    if (!el.matches(A11Y_TEXT_ENTRY)) a11ySetAttr(el, "data-lm-suppress-shortcuts", "true");
  }
}

// The outermost widget (or diagram) holding `el`, or null outside every widget.
function a11yOuterRoot(el) {
  let root = el.closest(A11Y_SCOPE);
  for (let up = root; up; up = up.parentElement?.closest(A11Y_SCOPE)) root = up;
  return root;
}

function a11yFixRoot(root) {
  a11yFixShortcuts(root);
  a11yFixSliders(root);
  a11yFixButtons(root);
  a11yFixMessages(root);
}

// Every widget on the page (on load; tests call it through __opioidLessonsA11y.pass).
function a11yPass() {
  for (const root of document.querySelectorAll(A11Y_SCOPE)) {
    if (root.parentElement?.closest(A11Y_SCOPE)) continue;  // nested widgets: done with their root
    a11yFixRoot(root);
  }
}

// The slider a changed node belongs to: the slider itself, or the text beside it that shows its
// value (the lessons' formatted concentrations, "10 nM"); null for anything else.
function a11ySliderOf(el) {
  const slider = el.closest(".widget-slider");
  if (slider) return slider;
  const beside = el.closest(".widget-html, .widget-label, .widget-htmlmath")?.previousElementSibling;
  return beside?.matches(".widget-slider") ? beside : null;
}

// What a batch of DOM changes touched: a slider that moved (its handle, its readout, the value
// beside it) goes in `sliders`, to be fixed alone; any other change inside a widget puts the
// widget in `roots`; a new output puts the widgets inside it in `roots`. Changes elsewhere in
// JupyterLab (toolbars, the kernel status) and in figures' drawings and summaries touch nothing,
// so a key press re-checks one slider, not the page.
function a11yTouched(records, roots, sliders) {
  for (const record of records) {
    const t = record.target instanceof Element ? record.target : record.target.parentElement;
    if (!t || t.closest(".js-plotly-plot svg, .ol-summary, .ol-sr-only")) continue;  // never controls
    const root = a11yOuterRoot(t);
    if (root) {
      const newElements = [...record.addedNodes].some((n) => n instanceof Element);
      const slider = newElements ? null : a11ySliderOf(t);
      (slider ? sliders : roots).add(slider ?? root);
      continue;
    }
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      if (node.matches(A11Y_SCOPE)) roots.add(a11yOuterRoot(node));
      else node.querySelectorAll(A11Y_SCOPE).forEach((inner) => roots.add(a11yOuterRoot(inner)));
    }
  }
  return roots.size + sliders.size;
}

// noUiSlider's own Home/End jump to the ends of the range the slider was created with (its key
// handler reads the first options, not those from updateOptions): after lesson 04's switch to the
// injection, End on "Day (cursor)" stopped at the tablets' day 20, and End on "Dose" at 150 mg,
// which the slider then clamped to 190 mg. So Home/End are taken here: the handle is put one step
// short of the current end and noUiSlider makes the last step as for an arrow key, so the widget
// hears the same events (and sends the value to the kernel) as for any key.
function a11yHomeEnd(event) {
  if ((event.key !== "Home" && event.key !== "End") || !(event.target instanceof Element)) return;
  const handle = event.target.closest(".noUi-handle");
  const ui = handle?.closest(".noUi-target")?.noUiSlider;
  if (!ui || !handle.closest(A11Y_SCOPE) || handle.getAttribute("aria-disabled") === "true") return;
  const now = ui.get();
  if (Array.isArray(now)) return;  // a range slider (two handles): none in the lessons
  event.preventDefault();
  event.stopImmediatePropagation();
  const { min, max } = ui.options.range;
  const step = ui.options.step || (max - min) / 100;
  const up = event.key === "End";
  const goal = up ? max : min;
  if (Math.abs(Number(now) - goal) <= 1e-9 * Math.max(1, Math.abs(goal))) return;
  ui.set(up ? Math.max(min, goal - step) : Math.min(max, goal + step));
  // ↑/↓ raise/lower every ipywidgets slider (horizontal ltr or vertical rtl)
  handle.dispatchEvent(new KeyboardEvent("keydown", { key: up ? "ArrowUp" : "ArrowDown", bubbles: true }));
}

function a11yInstallPageGuard() {
  const state = (globalThis.__opioidLessonsA11y ??= {});
  if (state.installed) return;
  state.installed = true;
  state.pass = a11yPass;  // for tests and measurements
  // Widgets and sliders touched since the last pass, fixed at most once per frame.
  const roots = new Set();
  const sliders = new Set();
  let queued = false;
  const fixTouched = () => {
    queued = false;
    for (const root of roots) if (root.isConnected) a11yFixRoot(root);
    for (const slider of sliders) if (slider.isConnected && !roots.has(a11yOuterRoot(slider))) a11yFixSliders(slider);
    roots.clear();
    sliders.clear();
  };
  new MutationObserver((records) => {
    if (a11yTouched(records, roots, sliders) && !queued) {
      queued = true;
      requestAnimationFrame(fixTouched);
    }
  })
    .observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["class", "disabled", "aria-valuenow", "aria-valuetext", "style", "contenteditable"],
    });
  document.addEventListener("keydown", a11yHomeEnd, true);
  window.addEventListener("keydown", a11yLetSaveThrough, true);
  // A control that gets focus before the next frame (e.g. created and focused at once).
  document.addEventListener("focusin", (event) => {
    const target = event.target;
    if (target instanceof Element && target.closest(A11Y_SCOPE) && !target.matches(A11Y_TEXT_ENTRY)) {
      target.setAttribute("data-lm-suppress-shortcuts", "true");
    }
  }, true);
  requestAnimationFrame(a11yPass);
}

// Ctrl+S (⌘S) saves the notebook even while a widget control has focus. The attribute that lets
// arrows and Enter reach a control is meant to turn off JupyterLab's shortcuts while it has focus;
// a trial reported Ctrl+S doing nothing after pressing Fit (not reproduced by
// tests/browser/test_save_shortcut.py, which guards the behaviour). This runs on the window,
// before JupyterLab's own capture listener on the document: the attribute is lifted for this one
// key press and put back straight after.
function a11yLetSaveThrough(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
  const held = event.composedPath().filter((el) => el instanceof Element && el.hasAttribute("data-lm-suppress-shortcuts"));
  if (!held.length) return;
  held.forEach((el) => el.removeAttribute("data-lm-suppress-shortcuts"));
  setTimeout(() => held.forEach((el) => el.setAttribute("data-lm-suppress-shortcuts", "true")), 0);
}

// The drawing of a figure is an image named `label` and described by the live summary
// (element `summary`, which gets an id). plotly's toolbar stays outside the image; plotly's
// second SVG layer (legend, titles, hover labels) repeats what the summary says and is hidden
// from screen readers. Call after each draw; cheap when nothing changed.
let a11yFigureCount = 0;
function a11yDescribeFigure(plot, label, summary) {
  if (!summary.id) summary.id = `ol-summary-${++a11yFigureCount}-${Math.random().toString(36).slice(2, 8)}`;
  const layers = plot.querySelectorAll(".main-svg");
  layers.forEach((svg, i) => {
    if (i === 0) {
      a11ySetAttr(svg, "role", "img");
      a11ySetAttr(svg, "aria-label", label);
      a11ySetAttr(svg, "aria-describedby", summary.id);
      a11ySetAttr(svg, "aria-hidden", null);
    } else {
      a11ySetAttr(svg, "aria-hidden", "true");
    }
  });
}

// Screen readers hear a figure's summary when it has settled (no change for `quietMs`, e.g. after
// Pause or Stop or a slider released) and at most once every `everyMs` while it keeps changing
// (lesson 05's Play rewrites it ~8 times a second). Never two announcements within `minGapMs`,
// even when a slow kernel makes the updates pause now and then. The visible summary stays live.
function a11yAnnouncer(region, { quietMs = 1200, everyMs = 5000, minGapMs = 3000, clearMs = 10000 } = {}) {
  let quiet, clear, lastSpoken = 0, pending = "";
  const speak = () => {
    clearTimeout(quiet);
    region.textContent = pending;
    lastSpoken = Date.now();
    // Emptied later, so a screen reader browsing the page does not read the summary twice.
    clearTimeout(clear);
    clear = setTimeout(() => { region.textContent = ""; }, clearMs);
  };
  return {
    say(text) {
      if (text === pending) return;
      pending = text;
      clearTimeout(quiet);
      const since = Date.now() - lastSpoken;
      if (since >= everyMs) speak();
      else quiet = setTimeout(speak, Math.max(quietMs, minGapMs - since));
    },
    // The first text is not announced: it is read with the page.
    start(text) { pending = text; lastSpoken = Date.now(); },
    stop() { clearTimeout(quiet); clearTimeout(clear); },
  };
}

export { a11yInstallPageGuard, a11yDescribeFigure, a11yAnnouncer };
