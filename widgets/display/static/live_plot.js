// Browser side of widgets.display.figure_transport.LivePlot.
// plotly.js arrives once per page from the kernel's PlotlyLibrary model (gzip bytes);
// later figures reuse the same global Plotly. Updates are small custom messages applied in
// place with the cheapest plotly call that is correct for them (see cheapCall); a whole
// Plotly.react only for the first draw, a resize or a view that fell behind.

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
// of this module by widgets/display/figure_transport.py).
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

const TYPED = {
  f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array,
  i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array,
};

// A typed-array spec ({dtype, bdata}) as the typed array it stands for; anything else as is.
function decode(value) {
  if (!isObject(value) || !("bdata" in value)) return value;
  const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
  return new (TYPED[value.dtype] ?? Float32Array)(bytes.buffer);
}

// The kernel sends arrays as binary buffers (DataViews or ArrayBuffers, as the front end hands
// them over): each {dtype, buffer: i} in a message becomes a typed array over its own copy of
// buffer i's bytes (widgets.display.figure_transport.with_buffers writes them).
function withBuffers(value, buffers) {
  if (Array.isArray(value)) return value.map((v) => withBuffers(v, buffers));
  if (!isObject(value)) return value;
  if (typeof value.dtype === "string" && Number.isInteger(value.buffer) && buffers?.[value.buffer]) {
    const b = buffers[value.buffer];
    const bytes = ArrayBuffer.isView(b) ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b.slice(0);
    return new (TYPED[value.dtype] ?? Float32Array)(bytes);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBuffers(v, buffers)]));
}

// A deep copy for plotly with every typed-array spec decoded. (plotly would decode specs itself,
// but Plotly.animate merges a new typed array into an old spec object key by key.)
function plotlyCopy(value) {
  if (Array.isArray(value)) return value.map(plotlyCopy);
  if (ArrayBuffer.isView(value)) return value.slice();
  if (!isObject(value)) return value;
  if ("bdata" in value) return decode(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plotlyCopy(v)]));
}

// {line: {width: 3}, x: spec} -> {"line.width": 3, x: Float32Array}: plotly's attribute strings,
// which set exactly the keys given (the same merge the kernel and `merge` do).
function flatten(props, prefix = "", out = {}) {
  for (const [key, value] of Object.entries(props)) {
    if (isObject(value) && !("bdata" in value)) flatten(value, `${prefix}${key}.`, out);
    // (a typed array copied: plotly may keep what it is given, and the model's state holds this one)
    else out[prefix + key] = ArrayBuffer.isView(value) ? value.slice() : decode(value);
  }
  return out;
}

// Layout keys the view owns (its width follows the output area) or that change how plotly
// lays out the whole figure: an update touching these is drawn with a full Plotly.react.
const STRUCTURAL_LAYOUT = new Set(["width", "autosize", "grid", "template", "datarevision"]);

const isList = (v) => Array.isArray(v) || ArrayBuffer.isView(v);

// Equal values as plotly would draw them (typed-array specs compared by their numbers).
function same(a, b) {
  a = decode(a);
  b = decode(b);
  if (a === b) return true;
  if (isList(a) && isList(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i], b[i])) return false;
    return true;
  }
  return isObject(a) && isObject(b) && JSON.stringify(a) === JSON.stringify(b);
}

// The value at a plotly attribute string ("marker.size", "annotations[2].text") in `obj`.
function valueAt(obj, attr) {
  return attr.split(/\.|\[(\d+)\]\.?/).filter((k) => k !== undefined && k !== "")
    .reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// Drop the edits that would set what is already there: a widget may resend unchanged parts.
function changedOnly(edits, current) {
  return Object.fromEntries(Object.entries(edits).filter(([attr, v]) => !same(v, valueAt(current, attr))));
}

// Layout changes as relayout attribute strings. An annotation list that keeps its length becomes
// edits of only the annotations that changed ("annotations[2].text"), none when none changed:
// a new list makes plotly measure and draw every annotation again. Shapes are cheaper as a new
// list (measured: < 1 ms, where item edits make plotly recalculate the whole figure).
const ITEM_EDITS = new Set(["annotations"]);
function layoutEdits(changes, current) {
  const edits = {};
  for (const [key, value] of Object.entries(changes)) {
    const old = current?.[key];
    if (ITEM_EDITS.has(key) && Array.isArray(value) && Array.isArray(old) && value.length === old.length
        && value.every((item, i) => isObject(item) && isObject(old[i]))) {
      value.forEach((item, i) => {
        const now = flatten(item, `${key}[${i}].`);
        const was = flatten(old[i], `${key}[${i}].`);
        for (const [attr, v] of Object.entries(now)) if (!same(v, was[attr])) edits[attr] = v;
        for (const attr of Object.keys(was)) if (!(attr in now)) edits[attr] = null;
      });
    } else if (isObject(value) && !("bdata" in value)) {
      Object.assign(edits, flatten(value, `${key}.`));
    } else {
      edits[key] = decode(value);
    }
  }
  return edits;
}

// Trace types plotly can redraw alone (Plotly.animate with redraw: false draws the traces, not
// the axes, shapes, annotations or legend).
const ANIMATABLE = new Set(["scatter"]);

// A draw that has not settled by then no longer holds up the ones after it (see `queue`).
const STUCK_MS = 4000;
// A model still behind this long after asking for the whole figure asks again (see receive).
const REASK_MS = 2000;

// Changed properties that cannot move an autoranged axis: style, and the other axis's data.
const NEUTRAL = /^(name|opacity|hovertext|customdata|line\.(color|dash|width)|marker\.(color|opacity|symbol|line\..*))$/;
const movesAxis = (attr, letter) =>
  !NEUTRAL.test(attr) && !(attr === (letter === "x" ? "y" : "x")) && !attr.startsWith(letter === "x" ? "error_y" : "error_x");

// True when plotly can redraw just the traces: all are animatable, and every axis an update's data
// could move has a fixed range (an autoranged one must be recomputed: a full plotly redraw).
// Trace attributes that only move or resize what is drawn, which Plotly.animate(redraw: false)
// can redraw. Anything else (a name, showlegend, a colour) also changes the legend or the trace's
// style, which animate leaves as it was: cheapCall restyles those separately (STYLE_ONLY).
// (Error bars are left out: measured, lesson 06's forest plot lost its points and bars when they
// were animated.)
const DATA_ONLY = /^(x|y|text|hovertext|customdata|marker\.size|marker\.opacity)$/;
// Trace attributes plotly restyles without recomputing or redrawing the figure (its editType
// "style": the trace's look and its legend entry). Changed alongside data-only ones, they are
// restyled after the traces are redrawn alone; any other attribute takes the whole update to
// Plotly.update / restyle.
const STYLE_ONLY = /^(name|showlegend|legendgroup|opacity|line\.(color|dash|width)|marker\.(color|symbol|line\.(color|width)))$/;

// plotly.js's private record of what it drew (traces and layout with defaults filled in): the
// one place this module reads it. A plotly.js upgrade that renames it breaks the cheap path,
// which the weekly newest-dependencies browser run catches.
const drawnData = (plot) => plot._fullData;
const drawnLayout = (plot) => plot._fullLayout;

const pointCount = (v) => (v == null ? 0 : (decode(v).length ?? 0));

function canRedrawAlone(plot, changes) {
  const full = drawnData(plot);
  const layout = drawnLayout(plot);
  if (!full || !layout || !full.every((t) => ANIMATABLE.has(t.type))) return false;
  // A trace emptied or filled again is added to or removed from the drawing, which plotly's
  // traces-alone redraw does not do (measured: lesson 07's receptor grid stayed blank).
  const emptied = ([i, props]) => ["x", "y"].some((k) => k in props
    && (pointCount(props[k]) === 0) !== ((full[i]._length ?? pointCount(plot.data[i][k])) === 0));
  if (changes.some(emptied)) return false;
  const axis = (id) => layout[id.replace(/^([xy])/, "$1axis")];
  return changes.every(([i, props]) => ["x", "y"].every((letter) => {
    const ax = axis(full[i][`${letter}axis`]);
    return ax && (ax.autorange === false || !Object.keys(props).some((attr) => movesAxis(attr, letter)));
  }));
}

// {"line.width": 3} -> {line: {width: 3}}: Plotly.animate takes trace objects, not attribute strings.
function unflatten(props) {
  const out = {};
  for (const [attr, value] of Object.entries(props)) {
    const keys = attr.split(".");
    let node = out;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)] = value;
  }
  return out;
}

const REDRAW_ALONE = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };

// Plotly.update / restyle / relayout for trace changes [[index, {attr: value}], ...] and layout
// edits; a resolved promise when there is nothing to do.
function restyleCall(Plotly, plot, changes, layout) {
  const hasLayout = Object.keys(layout).length > 0;
  if (changes.length === 0) return () => (hasLayout ? Plotly.relayout(plot, layout) : Promise.resolve());
  // One array per attribute, one entry per listed trace; an entry left undefined leaves that
  // trace's attribute as it is.
  const indices = changes.map(([i]) => i);
  const restyle = {};
  changes.forEach(([, props], n) => {
    for (const [attr, value] of Object.entries(props)) {
      (restyle[attr] ??= new Array(indices.length).fill(undefined))[n] = value;
    }
  });
  if (hasLayout) return () => Plotly.update(plot, restyle, layout, indices);
  return () => Plotly.restyle(plot, restyle, indices);
}

// Split each trace's changes into `keep(attr)` and the rest, dropping traces left with none.
function splitChanges(changes, keep) {
  const part = (want) => changes
    .map(([i, props]) => [i, Object.fromEntries(Object.entries(props).filter(([attr]) => keep(attr) === want))])
    .filter(([, props]) => Object.keys(props).length > 0);
  return [part(true), part(false)];
}

// The cheapest plotly calls that apply one update message to a drawn figure, as a function
// returning a promise; null when the update needs a full Plotly.react instead.
//  * data that only moves what is drawn (x, y, sizes...) on fixed axes: Plotly.animate(redraw:
//    false), which redraws those traces and nothing else (not axes, shapes, text or legend);
//  * everything else about traces (a name, a colour; or data on an autoranged axis): one
//    Plotly.update / restyle of just those traces and attributes, so plotly does only what
//    they need (a new name: styles and legend; new data on an autoranged axis: a full redraw);
//  * layout: the changed keys only (changed annotations only), in that same call.
function cheapCall(Plotly, plot, msg) {
  if (Object.values(msg.traces ?? {}).some((props) => "type" in props)) return null;
  // Only traces with a changed property, and only those properties.
  const changes = Object.entries(msg.traces ?? {})
    .map(([i, props]) => [Number(i), changedOnly(flatten(props), plot.data?.[Number(i)])])
    .filter(([, props]) => Object.keys(props).length > 0);
  const layout = msg.layout ? changedOnly(layoutEdits(msg.layout, plot.layout), plot.layout) : {};
  if (Object.keys(layout).some((k) => STRUCTURAL_LAYOUT.has(k.split(/[.[]/)[0]))) return null;
  const [data, other] = splitChanges(changes, (attr) => DATA_ONLY.test(attr));
  // (An axis made autoranged, or of another type, by this update: plotly must place the data.)
  const axisChanges = Object.keys(layout).some((k) => /^[xy]axis\d*(\.(autorange|type))?$/.test(k));
  const styleOnly = other.every(([, props]) => Object.keys(props).every((attr) => STYLE_ONLY.test(attr)));
  if (data.length === 0 || axisChanges || !styleOnly || !canRedrawAlone(plot, data)) {
    return restyleCall(Plotly, plot, changes, layout);
  }
  // Every trace is listed, the unchanged ones with no properties: plotly drops the drawing of
  // traces an animation leaves out (measured: listing traces 0 and 2 of a panel drew 1 under 0,
  // listing one trace of a panel removed its others -- lesson 06's forest points -- and a panel
  // with none listed lost its traces).
  const props = new Map(data);
  const listed = (drawnData(plot) ?? []).map((_, i) => i);
  const frame = { data: listed.map((i) => unflatten(props.get(i) ?? {})), traces: listed };
  // The traces first: a name or legend entry restyled after them is drawn with their new data
  // (restyled before, the legend left out a curve that was still empty).
  if (other.length === 0 && Object.keys(layout).length === 0) {
    return (drawn) => animateTraces(Plotly, plot, frame, drawn);
  }
  // The rest as soon as plotly has drawn the traces (its animation promise settles a timer and an
  // animation frame later); the next update waits until both calls have settled.
  const rest = restyleCall(Plotly, plot, other, layout);
  return (drawn) => {
    let restyled;
    const animated = animateTraces(Plotly, plot, frame, () => { restyled = rest().then(drawn); });
    return animated.then(() => restyled);
  };
}

// Plotly.animate draws the traces as soon as its transition starts (the 'plotly_transitioning'
// event, then the drawing in the same task), but settles its promise only a timer and an
// animation frame later. `drawn` is called once the traces are drawn; the returned promise
// settles with plotly's, so the next plotly call waits for the animation to be over.
function animateTraces(Plotly, plot, frame, drawn) {
  let called = false;
  const once = () => { if (!called) { called = true; drawn(); } };
  plot.once?.("plotly_transitioning", () => queueMicrotask(once));
  return Plotly.animate(plot, frame, REDRAW_ALONE).then(once);
}

// No cloud upload (classrooms work offline) and no selection tools these figures do not use.
const PLOT_CONFIG = {
  responsive: false,
  displaylogo: false,
  showSendToCloud: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"],
};

// -- the model's figure, kept current whether or not a view exists ------------------------
//
// Messages (kernel -> browser), one discriminator key `type`; arrays as binary buffers
// ({dtype, buffer: i}, see withBuffers):
//   {type: "update", revision, traces?: {index: props}, layout?: {...}, summary?: string}
//   {type: "full", revision, figure, summary}   the whole figure, answering a hello
//   {type: "current", revision}                 answering a hello from a model that is up to date
// Browser -> kernel: {type: "hello", revision}  (the revision this model holds)
// (widgets.display.figure_transport.LivePlot writes the same shapes.)

/** @typedef {{figure: {data: object[], layout: object}, summary: string, description?: string,
 *   revision: number, min_width?: number}} FigureState */
/** @typedef {{state: FigureState, views: Set<(msg: object) => void>, asked: number, askedAt: number,
 *   answered: boolean, silent: boolean}} Store */

// One store per model, found by the model's synced `_state` object (every view of a model gets
// the same object from model.get; a replaced one is registered again).
/** @type {WeakMap<object, Store>} */
const STORES = new WeakMap();

// Ask the kernel for the whole figure if this model is behind (it answers "full" or "current").
// An unanswered hello is asked again, at most every REASK_MS.
function ask(model, store) {
  const have = store.state.revision ?? 0;
  if (store.asked === have && performance.now() - store.askedAt < REASK_MS) return;
  store.asked = have;
  store.askedAt = performance.now();
  model.send({ type: "hello", revision: have });
}

// A message for this model: merged into its state here, once, whether or not a view exists
// (during Run All a figure is often updated before its view is shown); then every view redraws.
function receive(model, store, msg) {
  if (!msg || !["update", "full", "current"].includes(msg.type) || !Number.isInteger(msg.revision)) return;
  const state = store.state;
  const have = state.revision ?? 0;
  if (!store.answered) {
    store.answered = true;
    store.silent = false;
    for (const view of store.views) view({ type: "answered" });
  }
  if (msg.type === "current") {
    if (msg.revision > have) ask(model, store);  // the kernel moved on meanwhile
    return;
  }
  if (msg.type === "full") {
    if (msg.revision < have) return;
    state.figure = msg.figure;
    state.summary = msg.summary;
    state.revision = msg.revision;
  } else if (msg.revision === have + 1) {
    for (const [index, props] of Object.entries(msg.traces ?? {})) merge(state.figure.data[+index], props);
    if (msg.layout) merge(state.figure.layout, msg.layout);
    if (msg.summary !== undefined) state.summary = msg.summary;
    state.revision = msg.revision;
  } else if (msg.revision > have + 1) {
    // Updates this model missed (sent before its module had loaded): applying a later delta to
    // an older figure would draw half of each. Ask for the whole figure (again if deltas still
    // arrive out of order REASK_MS later: the answer was lost).
    ask(model, store);
    return;
  } else {
    return;  // already merged
  }
  for (const view of store.views) view(msg);
}

// anywidget calls this once per model, before any view: the store and its message handler.
function initialize({ model }) {
  const store = {
    state: model.get("_state"), views: new Set(), asked: -1, askedAt: 0, answered: false, silent: false,
  };
  STORES.set(store.state, store);
  model.on("msg:custom", (msg, buffers) => receive(model, store, withBuffers(msg, buffers)));
  // The kernel sends its current `_state` when the widget is displayed (LivePlot.sync_view_state).
  model.on("change:_state", () => {
    const next = model.get("_state");
    STORES.set(next, store);
    if ((next.revision ?? 0) > (store.state.revision ?? 0)) {
      store.state = next;
      for (const view of store.views) view({ type: "full", revision: next.revision });
    }
  });
  store.asked = store.state.revision ?? 0;
  store.askedAt = performance.now();
  model.send({ type: "hello", revision: store.asked });
  // No answer at all: the kernel has not heard this model (or is busy with a long cell). Ask
  // again after 2, 4, 8 and 16 s; still nothing, say so on the console and on each view's root
  // (cleared when an answer comes).
  let wait = REASK_MS;
  const check = () => {
    if (store.answered) return;
    if (wait > 8 * REASK_MS) {
      console.warn("LivePlot: the kernel has not answered this figure in 30 s; it may not update");
      store.silent = true;
      for (const view of store.views) view({ type: "silent" });
      return;
    }
    store.asked = -1;
    ask(model, store);
    wait *= 2;
    setTimeout(check, wait);
  };
  setTimeout(check, wait);
}

// The store of a model (made here if initialize did not run: a harness that only renders).
function storeOf(model) {
  const state = model.get("_state");
  if (!STORES.has(state)) initialize({ model });
  return STORES.get(model.get("_state"));
}

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

  // The model's store holds its current figure (initialize merges every update into it), shared
  // by every view of this model, so a view created later starts from the current figure.
  const store = storeOf(model);
  summary.textContent = store.state.summary;
  const announcer = a11yAnnouncer(announce);
  announcer.start(store.state.summary);
  // The drawing (not plotly's toolbar) is the image; label it whenever plotly (re)creates it.
  const label = store.state.description || "interactive plot";
  const describe = () => a11yDescribeFigure(plot, label, summary);
  const relabel = new MutationObserver(describe);
  relabel.observe(plot, { childList: true, subtree: false });
  let datarevision = 0;
  let Plotly;
  let drawing = Promise.resolve();
  let drawn = -1;  // the revision this view's figure shows (-1: not drawn yet)

  // Each finished redraw is marked on the root element: data-drawn-revision = the revision now
  // shown (tests and bench/run.py wait for it; the same contract as the .ol-diagram figures).
  const finished = (rev) => {
    drawn = rev;
    el.dataset.drawnRevision = String(rev);
  };

  // The whole figure from the shared state: first draw, resize, a "full" reply, or an update
  // this view cannot apply as a delta. Width follows the output area; height is always the
  // figure's own layout.height. (Plotly's `responsive`/autosize resize takes the height from the
  // container instead, which collapsed tall figures drawn off-screen or after a window resize to
  // the CSS minimum.)
  const draw = () => {
    const state = store.state;
    const fig = state.figure;
    const rev = state.revision ?? 0;
    fig.layout.datarevision = ++datarevision;
    // plotly gets its own copy: the shared state is merged as messages arrive, and cheapCall
    // compares an update with what plotly holds (what this view shows).
    const layout = plotlyCopy(fig.layout);
    if (layout.height) plot.dataset.figureHeight = layout.height;  // the height asked for (tests read it)
    if (state.min_width) plot.dataset.minWidth = state.min_width;
    const width = plot.clientWidth;
    if (width > 0) Object.assign(layout, { autosize: false, width: Math.max(width, state.min_width || 0) });
    return Plotly.react(plot, plotlyCopy(fig.data), layout, PLOT_CONFIG).then(() => finished(rev));
  };

  // One update message on this view's figure: as a delta with the cheapest call when the view
  // shows the revision just before it, skipped when a full draw already included it, else the
  // whole figure (the shared state already holds every merged update).
  const apply = (msg) => {
    if (msg.revision <= drawn) return undefined;
    const call = msg.revision === drawn + 1 ? cheapCall(Plotly, plot, msg) : null;
    if (!call) return draw();
    if (msg.layout?.height) plot.dataset.figureHeight = msg.layout.height;
    return call(() => finished(msg.revision)).then(() => finished(msg.revision), (err) => {
      console.warn("LivePlot: drawing the whole figure after", err);
      return draw();
    });
  };
  // Draws run one after another; one that fails is reported and does not block later ones.
  // Nor does one whose promise plotly never settles (plotly.js has had such promises, e.g.
  // plotly/plotly.js#4392): after STUCK_MS the queue goes on and draws the whole figure, so the
  // view still ends at the newest state and width.
  let stuck = false;
  const withinStuckTime = (step) => () => {
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => {
        console.warn(`LivePlot: a draw did not finish in ${STUCK_MS} ms; drawing the whole figure`);
        stuck = true;
        resolve();
      }, STUCK_MS);
    });
    return Promise.race([Promise.resolve().then(step), late]).finally(() => clearTimeout(timer));
  };
  const queue = (step) => {
    drawing = drawing
      .then(withinStuckTime(step))
      .then(() => {
        if (!stuck) return undefined;
        stuck = false;
        return withinStuckTime(draw)();
      })
      .catch((err) => console.error("LivePlot:", err));
  };

  // Called by the store after it merged a message: show the summary, redraw. The root's
  // data-state-revision is the newest revision this view knows (tests read it beside
  // data-drawn-revision); data-link="silent" when the kernel never answered this model.
  el.dataset.stateRevision = String(store.state.revision ?? 0);
  if (store.silent) el.dataset.link = "silent";  // a view made after the store gave up waiting
  const onStoreChange = (msg) => {
    if (msg.type === "silent" || msg.type === "answered") {
      if (msg.type === "silent") el.dataset.link = "silent";
      else delete el.dataset.link;
      return;
    }
    el.dataset.stateRevision = String(store.state.revision ?? 0);
    summary.textContent = store.state.summary;
    announcer.say(store.state.summary);
    if (!Plotly) return;  // the first draw, when plotly.js has loaded, shows the state
    queue(() => (msg.type === "full" ? draw() : apply(msg)));
  };
  store.views.add(onStoreChange);

  // A plot first drawn while its output area is still being laid out (or off-screen) gets
  // plotly's default 700 px width. Follow the element's own width, which also tracks window
  // resizes and Presentation Mode.
  let lastWidth = 0;
  const resizer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver((entries) => {
    const width = Math.round(entries[0].contentRect.width);
    if (Plotly && width > 0 && width !== lastWidth) {
      lastWidth = width;
      queue(draw);
    }
  });
  if (resizer) resizer.observe(plot);

  loadPlotly(model)
    .then((P) => {
      Plotly = P;
      loading.remove();
      lastWidth = plot.clientWidth;
      queue(draw);
    })
    .catch((err) => {
      loading.textContent = "The plot could not be drawn: " + err;
      console.error("LivePlot:", err);
    });

  return () => {
    store.views.delete(onStoreChange);
    relabel.disconnect();
    announcer.stop();
    if (resizer) resizer.disconnect();
    if (Plotly) Plotly.purge(plot);
  };
}

export default { initialize, render };
