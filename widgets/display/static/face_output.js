// Still pictures of the lessons' widgets (widgets/display/figure_transport.py: the static face).
// A plain script, inlined in front of every face and run once per page (window.olFace): it
// runs in JupyterLab's and Notebook 7's HTML outputs, in nbconvert's HTML and on the site.
//
// A widget holding figures is shown as two outputs: its live view, then its face output
// (<div class="ol-face" data-face-of="MODEL_ID">). Inside Jupyter (the page carries
// #jupyter-config-data) the face output stays hidden while the view before it is live or still
// loading, and shows (with its hint to re-run the cell) when that view says its model is gone or
// holds nothing: a reopened lesson or a restarted kernel. Elsewhere (an export, the site) it
// removes the view, which would need the widget manager from a CDN, and shows at once.
window.olFace = (() => {
  const VIEW = "application/vnd.jupyter.widget-view+json";
  const CONFIG = { displaylogo: false, responsive: true, showSendToCloud: false };
  const PLOTLY_VERSION = "__PLOTLY_VERSION__"; // the plotly.js of the kernel's plotly package
  const jupyterConfig = () => document.getElementById("jupyter-config-data");

  // plotly.js: the page's own, the copy an exported page embeds (window.olPlotlyReady), or,
  // inside Jupyter, the one the package's server extension serves (widgets/classroom_tools/server_settings.py).
  let loading;
  function plotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (window.olPlotlyReady) return window.olPlotlyReady;
    if (!loading) {
      const config = jupyterConfig();
      loading = config
        ? (async () => {
            const base = JSON.parse(config.textContent).baseUrl || "/";
            const response = await fetch(`${base.replace(/\/?$/, "/")}opioid-lessons/plotly.min.js`);
            if (!response.ok) throw new Error(`plotly.js: HTTP ${response.status}`);
            const text = await response.text();
            // plotly.min.js is UMD: with no `module`/`define` in scope it sets window.Plotly.
            if (!window.Plotly) new Function("module", "exports", "define", text).call(window);
            return window.Plotly;
          })()
        : new Promise((resolve) => {
            // A page that loads plotly.js itself (the site) has it once the page has loaded;
            // a page with none (a saved lesson exported without --execute) gets it from plotly's CDN.
            const done = () => {
              if (window.Plotly || window.olPlotlyReady) return resolve(window.Plotly || window.olPlotlyReady);
              const script = document.createElement("script");
              const amd = window.define;
              window.define = undefined; // plotly.min.js is UMD: without AMD it sets window.Plotly
              script.src = `https://cdn.plot.ly/plotly-${PLOTLY_VERSION}.min.js`;
              script.onload = script.onerror = () => {
                window.define = amd;
                resolve(window.Plotly);
              };
              document.head.appendChild(script);
            };
            if (document.readyState === "complete") done();
            else window.addEventListener("load", done);
          });
      loading.catch(() => { loading = undefined; });
    }
    return loading;
  }

  // Draw now, or (inside Jupyter, in a face output not shown yet) when the output shows.
  function whenShown(root, draw) {
    const output = root.closest(".ol-face");
    if (output && jupyterConfig() && output.dataset.shown !== "true") root.olDraw = draw;
    else draw();
  }

  function figure(id, fig) {
    const root = document.getElementById(id);
    if (!root) return;
    whenShown(root, async () => {
      const Plotly = await plotly();
      if (!Plotly) return;
      await Plotly.newPlot(root.querySelector(".ol-static-plot"), fig.data, fig.layout, CONFIG);
      root.setAttribute("data-drawn", "true");
    });
  }

  // A drawing made by a widget's own ES module from the values it would have live.
  function module(id, source, values) {
    const root = document.getElementById(id);
    if (!root) return;
    whenShown(root, async () => {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      const mod = await import(url);
      URL.revokeObjectURL(url);
      const model = { get: (key) => values[key], on() {}, off() {}, send() {} };
      mod.default.render({ model, el: root.querySelector(".ol-static-drawing") });
      root.setAttribute("data-drawn", "true");
    });
  }

  // The output just before the face output: the widget's live view.
  function viewOutput(child) {
    const before = child && child.previousElementSibling;
    return before && before.classList.contains("jp-OutputArea-child") ? before : null;
  }

  // An empty view output is still being drawn for this long; after it, it is gone (a view
  // JupyterLab hid, or one a restarted kernel's widget manager emptied).
  const EMPTY_GRACE_MS = 3000;

  // "live" | "loading" | "gone" for the widget view output inside Jupyter.
  function viewState(view, since) {
    if (!view || !view.isConnected) return "gone";
    const text = view.textContent.trim();
    if (text.startsWith("Error displaying widget")) return "gone"; // its model is not in the kernel
    if (text.startsWith("Loading widget")) return "loading";
    const shown = view.querySelector(".jp-OutputArea-output");
    if (shown && shown.querySelector("*")) return "live";
    return performance.now() - since < EMPTY_GRACE_MS ? "loading" : "gone";
  }

  function drawPending(root) {
    for (const fig of root.querySelectorAll(".ol-static-figure")) {
      if (fig.olDraw) {
        const draw = fig.olDraw;
        delete fig.olDraw;
        draw();
      }
    }
  }

  // Inside Jupyter: the newest picture the kernel wrote (the page may hold an older one, e.g.
  // after a restart without a reload), from the package's server extension; else the one here.
  async function newest(root) {
    const config = jupyterConfig();
    const id = root.dataset.faceOf;
    if (!config || !/^[0-9a-f]{32}$/.test(id || "")) return false;
    const base = JSON.parse(config.textContent).baseUrl || "/";
    const response = await fetch(`${base.replace(/\/?$/, "/")}opioid-lessons/face/${id}`, { cache: "no-store" });
    if (!response.ok) return false;
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const fresh = template.content.querySelector(".ol-face");
    if (!fresh) return false;
    for (const old of root.querySelectorAll(":scope > .ol-static-figure, :scope > .ol-static-quiz")) old.remove();
    const tail = root.querySelector(":scope > script:last-of-type");
    for (const node of [...fresh.children]) {
      if (node.matches(".ol-static-hint, script")) continue; // keep this output's hint and script
      // scripts set by innerHTML do not run: make live copies
      for (const dead of node.querySelectorAll("script")) {
        const live = document.createElement("script");
        live.textContent = dead.textContent;
        dead.replaceWith(live);
      }
      root.insertBefore(node, tail);
    }
    return true;
  }

  function show(root, inJupyter) {
    const first = root.dataset.shown !== "true" && !root.dataset.refreshed;
    root.dataset.shown = "true";
    root.hidden = false;
    root.querySelector(".ol-static-hint").hidden = !inJupyter;
    if (inJupyter && first) {
      root.dataset.refreshed = "pending";
      newest(root)
        .catch(() => false)
        .then((fresh) => {
          root.dataset.refreshed = fresh ? "newest" : "saved";
          drawPending(root);
        });
    } else if (root.dataset.refreshed !== "pending") {
      drawPending(root);
    }
  }

  function output(id) {
    const root = document.getElementById(id);
    if (!root) return;
    const child = root.closest(".jp-OutputArea-child");
    const view = viewOutput(child);
    if (!jupyterConfig()) {
      // An exported page or the site: nothing can run the widget, so its view goes (an empty
      // text, or a widget-view script for a widget manager from a CDN) and the picture shows.
      if (view) {
        const script = view.querySelector(`script[type="${VIEW}"]`);
        let ours = !view.textContent.trim();
        try {
          ours = ours || (script && JSON.parse(script.textContent).model_id === root.dataset.faceOf);
        } catch (_) {}
        if (ours) view.remove();
      }
      show(root, false);
      return;
    }
    const since = performance.now();
    const check = () => {
      const state = viewState(view, since);
      if (state === "gone") {
        if (view) view.style.display = "none"; // "Error displaying widget: model not found"
        if (child) child.style.display = "";
        show(root, true);
      } else {
        if (view) view.style.display = "";
        if (child) child.style.display = "none";
        root.dataset.shown = "false";
      }
      root.dataset.view = state;
    };
    check();
    if (view) {
      new MutationObserver(check).observe(view, { childList: true, subtree: true, characterData: true });
      setTimeout(check, EMPTY_GRACE_MS + 50);
    }
  }

  return { figure, module, output, plotly };
})();
