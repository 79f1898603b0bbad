// Browser side of widgets.display.circuit_diagram.CircuitDiagram: an SVG node-and-link diagram.
// The SVG is built once from the model's geometry. The model holds every frame (values per
// time step) and the time shown; a change of either sets the few attributes that differ (node
// fill, size, value text, accessible names; link width and opacity), then records what it
// drew in data-drawn-revision on the root (<svg class="ol-diagram">): "<revision>@<time>".

// The live widget's module carries a11y.js in front (widgets.display.figure_transport.compose_static):
// keyboard and screen-reader support for the page. A still picture imports this file alone.
if (typeof a11yInstallPageGuard === "function") a11yInstallPageGuard();

const NS = "http://www.w3.org/2000/svg";
const LINE_HEIGHT = 17;
const counter = (globalThis.__opioidLessonsDiagrams ??= { n: 0 });

function svgEl(tag, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// Node outlines at unit size; a node's radius scales them (the stroke does not scale).
function unitShape(shape, parent) {
  if (shape === "square") return svgEl("rect", { x: -0.86, y: -0.86, width: 1.72, height: 1.72 }, parent);
  if (shape === "diamond") return svgEl("path", { d: "M0,-1.15L1.15,0L0,1.15L-1.15,0Z" }, parent);
  return svgEl("circle", { r: 1 }, parent);
}

// Link ends, drawn in user units so they keep their size when a link gets wider.
function addMarker(defs, id, end, colour) {
  const m = svgEl("marker", { id, markerUnits: "userSpaceOnUse", orient: "auto", overflow: "visible" }, defs);
  if (end === "arrow") {
    Object.entries({ viewBox: "0 0 14 14", refX: 13, refY: 7, markerWidth: 14, markerHeight: 14 })
      .forEach(([k, v]) => m.setAttribute(k, v));
    svgEl("path", { d: "M0,0L14,7L0,14Z", fill: colour }, m);
  } else if (end === "bar") {
    Object.entries({ viewBox: "0 0 6 24", refX: 5, refY: 12, markerWidth: 6, markerHeight: 24 })
      .forEach(([k, v]) => m.setAttribute(k, v));
    svgEl("rect", { x: 1, y: 0, width: 4, height: 24, fill: colour }, m);
  } else {  // a cross stays upright (×): turned with a diagonal link it would read as a plus
    m.setAttribute("orient", "0");
    Object.entries({ viewBox: "0 0 14 14", refX: 7, refY: 7, markerWidth: 14, markerHeight: 14 })
      .forEach(([k, v]) => m.setAttribute(k, v));
    svgEl("path", { d: "M1,1L13,13M1,13L13,1", stroke: colour, "stroke-width": 3, fill: "none" }, m);
  }
}

// A small swatch of a link kind for the key under the diagram.
function keySwatch(style) {
  const s = svgEl("svg", { width: 40, height: 16, viewBox: "0 0 40 16", "aria-hidden": "true" });
  svgEl("line", { x1: 2, y1: 8, x2: 31, y2: 8, stroke: style.colour, "stroke-width": 3,
                  "stroke-dasharray": style.dash || "none" }, s);
  if (style.end === "arrow") svgEl("path", { d: "M28,2L38,8L28,14Z", fill: style.colour }, s);
  else if (style.end === "bar") svgEl("rect", { x: 32, y: 0, width: 4, height: 16, fill: style.colour }, s);
  else svgEl("path", { d: "M29,3L39,13M29,13L39,3", stroke: style.colour, "stroke-width": 2.5 }, s);
  return s;
}

// Where a node's name and value go, relative to its centre.
function labelPlacement(node, nLines) {
  const gap = node.label_gap ?? 40;
  const block = (nLines - 1) * LINE_HEIGHT;
  switch (node.label) {
    case "above": return { x: node.x, y: node.y - gap - block, anchor: "middle" };
    case "left": return { x: node.x - gap, y: node.y - block / 2 + 5, anchor: "end" };
    case "above-left": return { x: node.x - gap * 0.7, y: node.y - gap * 0.7 - block, anchor: "end" };
    default: return { x: node.x + gap, y: node.y - block / 2 + 5, anchor: "start" };
  }
}

function render({ model, el }) {
  el.classList.add("ol-circuit");
  const state = model.get("_state");
  const uid = `ol-diagram-${++counter.n}`;
  const [width, height] = state.view_box;
  const svg = svgEl("svg", {
    class: "ol-diagram", viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "xMidYMid meet",
    role: "graphics-document", "aria-roledescription": "diagram",
    "aria-labelledby": `${uid}-title`, "aria-describedby": `${uid}-desc`,
  });
  svgEl("title", { id: `${uid}-title` }, svg, state.title);
  svgEl("desc", { id: `${uid}-desc` }, svg, state.description);
  const defs = svgEl("defs", {}, svg);
  for (const [kind, style] of Object.entries(state.link_styles)) {
    addMarker(defs, `${uid}-end-${kind}`, style.end, style.colour);
  }

  const links = new Map();
  const linkLayer = svgEl("g", { class: "ol-links" }, svg);
  const labelLayer = svgEl("g", { class: "ol-link-labels", "aria-hidden": "true" }, svg);
  for (const link of state.links) {
    const style = state.link_styles[link.kind];
    const g = svgEl("g", { class: `ol-link ol-link-${link.kind}`, role: "img", "data-id": link.id }, linkLayer);
    const title = svgEl("title", {}, g);
    const d = link.points.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join("");
    const path = svgEl("path", {
      d, fill: "none", stroke: style.colour, "stroke-dasharray": style.dash || "none",
      "marker-end": `url(#${uid}-end-${link.kind})`,
    }, g);
    if (link.label) {
      const [x, y, anchor] = link.label_at;
      const text = svgEl("text", { x, y, "text-anchor": anchor, class: "ol-link-label" }, labelLayer);
      link.label.split("\n").forEach((line, i) =>
        svgEl("tspan", { x, dy: i ? LINE_HEIGHT - 2 : 0 }, text, line));
    }
    links.set(link.id, { link, g, title, path });
  }

  const nodes = new Map();
  const nodeLayer = svgEl("g", { class: "ol-nodes" }, svg);
  for (const node of state.nodes) {
    const g = svgEl("g", { class: `ol-node ol-node-${node.shape}`, role: "img", "data-id": node.id }, nodeLayer);
    const title = svgEl("title", {}, g);
    const shape = unitShape(node.shape, g);
    shape.setAttribute("class", "ol-node-shape");
    const lines = node.name.length + 1;
    const at = labelPlacement(node, lines);
    const text = svgEl("text", { x: at.x, y: at.y, "text-anchor": at.anchor, class: "ol-node-label",
                                 "aria-hidden": "true" }, g);
    node.name.forEach((line, i) =>
      svgEl("tspan", { x: at.x, dy: i ? LINE_HEIGHT : 0, class: "ol-node-name" }, text, line));
    const value = svgEl("tspan", { x: at.x, dy: LINE_HEIGHT, class: "ol-node-value" }, text);
    nodes.set(node.id, { node, g, title, shape, value });
  }

  const key = document.createElement("div");
  key.className = "ol-diagram-key";
  for (const style of Object.values(state.link_styles)) {
    const item = document.createElement("span");
    item.append(keySwatch(style), document.createTextNode(style.legend));
    key.append(item);
  }
  for (const [fill, text] of state.node_key) {
    const item = document.createElement("span");
    const dot = svgEl("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" });
    svgEl("circle", { cx: 8, cy: 8, r: 6.5, fill, stroke: "#333", "stroke-width": 1.5 }, dot);
    item.append(dot, document.createTextNode(text));
    key.append(item);
  }
  el.append(svg, key);

  // Drawing a frame sets only the attributes whose values differ from what is drawn.
  const drawn = new Map();  // element -> {attribute or "text": value}
  const put = (element, attribute, value) => {
    let had = drawn.get(element);
    if (!had) drawn.set(element, (had = {}));
    if (value === undefined || had[attribute] === value) return;
    had[attribute] = value;
    if (attribute === "text") element.textContent = value;
    else element.setAttribute(attribute, value);
  };
  const named = (item, name, words) => {
    if (words === undefined) return;
    put(item.g, "aria-label", `${name}: ${words}`);
    put(item.title, "text", `${name}: ${words}`);
  };
  const applyNode = (id, v) => {
    const n = nodes.get(id);
    if (!n) return;
    put(n.shape, "fill", v.fill);
    if (v.radius !== undefined) put(n.shape, "transform", `translate(${n.node.x} ${n.node.y}) scale(${v.radius})`);
    put(n.value, "text", v.value);
    named(n, n.node.name.join(" "), v.words);
  };
  const applyLink = (id, v) => {
    const k = links.get(id);
    if (!k) return;
    put(k.path, "stroke-width", v.width);
    put(k.g, "opacity", v.opacity);
    named(k, k.link.aria_name ?? k.link.id, v.words);
  };

  // The frame nearest the model's time (the earlier one on a tie, as the kernel picks it).
  const frameIndex = (times, t) => {
    let lo = 0, hi = times.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
    if (lo === times.length || (lo > 0 && t - times[lo - 1] <= times[lo] - t)) lo -= 1;
    return lo;
  };
  const at = (columns, i) => {
    const v = {};
    for (const [name, column] of Object.entries(columns)) v[name] = Array.isArray(column) ? column[i] : column;
    return v;
  };
  const draw = () => {
    const start = performance.now();
    const frames = model.get("frames") ?? {};
    const time = model.get("time") ?? 0;
    if (frames.times?.length) {
      const i = frameIndex(frames.times, time);
      for (const [id, columns] of Object.entries(frames.nodes ?? {})) applyNode(id, at(columns, i));
      for (const [id, columns] of Object.entries(frames.links ?? {})) applyLink(id, at(columns, i));
    }
    svg.setAttribute("data-drawn-revision", `${frames.revision ?? 0}@${time}`);
    performance.measure("ol-diagram-update", { start });  // the browser's share (DevTools, bench)
  };
  draw();
  // A key on a time slider linked in the browser changes "time": the frame is drawn here,
  // with no round trip through the kernel.
  model.on("change:time", draw);
  model.on("change:frames", draw);
  return () => { model.off("change:time", draw); model.off("change:frames", draw); };
}

export default { render };
