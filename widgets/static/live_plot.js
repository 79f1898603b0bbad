// Browser side of widgets.figure_transport.LivePlot.
// plotly.js arrives once per page from the kernel's PlotlyLibrary model (gzip bytes);
// later figures reuse the same global Plotly. Updates are small custom messages applied
// with Plotly.react, so a figure changes in place.

const cache = (globalThis.__opioidLessonsPlotly ??= {});

async function loadPlotly(model) {
  if (!cache.promise) {
    cache.promise = (async () => {
      const ref = model.get("_library");
      const lib = await model.widget_manager.get_model(ref.slice("IPY_MODEL_".length));
      const bytes = lib.get("source_gz");
      const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      const text = await new Response(stream).text();
      // plotly.min.js is a UMD bundle: with no `module` in scope it sets window.Plotly.
      new Function("module", "exports", "define", text).call(globalThis);
      return globalThis.Plotly;
    })();
    cache.promise.catch(() => { cache.promise = undefined; });
  }
  return cache.promise;
}

// Keyboard and screen-reader support for every widget on the page (a11y.js, composed in front
// of this module by widgets/figure_transport.py).
a11yInstallPageGuard();

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

// Merge changes into target: objects key by key; arrays and typed-array specs replace.
function merge(target, changes) {
  for (const [key, value] of Object.entries(changes)) {
    if (isObject(value) && !("bdata" in value) && isObject(target[key])) merge(target[key], value);
    else target[key] = value;
  }
}

// No cloud upload (classrooms work offline) and no selection tools these figures do not use.
const PLOT_CONFIG = {
  responsive: false,
  displaylogo: false,
  showSendToCloud: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"],
};

function render({ model, el }) {
  el.classList.add("ol-liveplot");
  const plot = document.createElement("div");
  plot.className = "ol-plot";
  // The summary is shown live; screen readers hear it through `announce` (throttled, a11y.js).
  const summary = document.createElement("p");
  summary.className = "ol-summary";
  const announce = document.createElement("p");
  announce.className = "ol-sr-only";
  announce.setAttribute("role", "status");
  announce.setAttribute("aria-atomic", "true");
  const loading = document.createElement("p");
  loading.className = "ol-loading";
  loading.textContent = "Loading the plot…";
  el.append(loading, plot, summary, announce);

  // The synced state is shared by every view of this model; updates are merged into it
  // so a view created later (a second copy of the output) starts from the current figure.
  const state = model.get("_state");
  summary.textContent = state.summary;
  const announcer = a11yAnnouncer(announce);
  announcer.start(state.summary);
  // The drawing (not plotly's toolbar) is the image; label it whenever plotly (re)creates it.
  const label = state.description || "interactive plot";
  const describe = () => a11yDescribeFigure(plot, label, summary);
  const relabel = new MutationObserver(describe);
  relabel.observe(plot, { childList: true, subtree: false });
  let revision = 0;
  let Plotly;
  let drawing = Promise.resolve();

  // Width follows the output area; height is always the figure's own layout.height. (Plotly's
  // `responsive`/autosize resize takes the height from the container instead, which collapsed
  // tall figures drawn off-screen or after a window resize to the CSS minimum.)
  const draw = () => {
    const fig = state.figure;
    fig.layout.datarevision = ++revision;
    const layout = { ...fig.layout };
    if (layout.height) plot.dataset.figureHeight = layout.height;  // the height asked for (tests read it)
    if (state.min_width) plot.dataset.minWidth = state.min_width;
    const width = plot.clientWidth;
    if (width > 0) Object.assign(layout, { autosize: false, width: Math.max(width, state.min_width || 0) });
    // Fresh top-level arrays make Plotly.react notice the changed traces.
    return Plotly.react(plot, fig.data.map((t) => ({ ...t })), layout, PLOT_CONFIG);
  };

  let asked = -1;  // the revision we last asked the kernel to bring us up from
  const onMessage = (msg) => {
    if (!msg || (msg.type !== "update" && msg.type !== "full")) return;
    const have = state.revision ?? 0;
    // The first view to see a message applies it to the shared state; every view redraws.
    if (msg.type === "full") {
      if (msg.revision < have) return;
      state.figure = msg.figure;  // reply to "hello": this model's views had fallen behind
      state.summary = msg.summary;
      state.revision = msg.revision;
    } else if (msg.revision === have + 1) {
      for (const [index, props] of Object.entries(msg.traces ?? {})) merge(state.figure.data[+index], props);
      if (msg.layout) merge(state.figure.layout, msg.layout);
      if (msg.summary !== undefined) state.summary = msg.summary;
      state.revision = msg.revision;
    } else if (msg.revision > have + 1) {
      // Updates were sent before this model had a view (e.g. during Run All): applying a
      // later delta to an older figure would draw half of each. Ask once for the whole figure.
      if (asked !== have) model.send({ type: "hello", revision: have });
      asked = have;
      return;
    }
    summary.textContent = state.summary;
    announcer.say(state.summary);
    if (Plotly) drawing = drawing.then(draw);
  };
  model.on("msg:custom", onMessage);
  asked = state.revision ?? 0;
  model.send({ type: "hello", revision: asked });

  // A plot first drawn while its output area is still being laid out (or off-screen) gets
  // plotly's default 700 px width. Follow the element's own width, which also tracks window
  // resizes and Presentation Mode.
  let lastWidth = 0;
  const resizer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
    const width = Math.round(entries[0].contentRect.width);
    if (Plotly && width > 0 && width !== lastWidth) {
      lastWidth = width;
      drawing = drawing.then(draw);
    }
  });
  if (resizer) resizer.observe(plot);

  loadPlotly(model)
    .then((P) => {
      Plotly = P;
      loading.remove();
      lastWidth = plot.clientWidth;
      drawing = draw();
    })
    .catch((err) => {
      loading.textContent = "The plot could not be drawn: " + err;
      console.error("LivePlot:", err);
    });

  return () => {
    model.off("msg:custom", onMessage);
    relabel.disconnect();
    announcer.stop();
    if (resizer) resizer.disconnect();
    if (Plotly) Plotly.purge(plot);
  };
}

export default { render };
