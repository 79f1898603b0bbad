// Browser side of widgets.lesson_widgets.quiz.ChoiceGroup: a radio group or a drop-down list that the keyboard
// can work inside JupyterLab.
//  * radio: a <fieldset> with a <legend> and radio inputs sharing one name, so the group is one
//    Tab stop and the arrow keys move between options (native browser behaviour); Enter on an
//    option sends {type: "submit", value} (the quiz checks the answer);
//  * select: a native <select> with a <label>.
// JupyterLab's notebook shortcuts take the arrow keys from any focused element that is not a text
// box (they move between cells). Lumino skips shortcuts for an element carrying
// data-lm-suppress-shortcuts; its selectors end in ":focus", so the attribute must be on the
// focused control itself, not only on a container.

// One counter per page: anywidget may load this module afresh for each widget, and two radio
// groups sharing a name would behave as one group across quizzes.
globalThis.__olChoiceCount ??= 0;

// Keyboard and screen-reader support for every widget on the page (a11y.js, composed in front).
a11yInstallPageGuard();

function render({ model, el }) {
  const id = `ol-choice-${++globalThis.__olChoiceCount}`;
  const root = document.createElement(model.get("kind") === "select" ? "div" : "fieldset");
  root.className = model.get("kind") === "select" ? "ol-choice ol-choice-select" : "ol-choice";
  el.appendChild(root);

  const keys = () => (model.get("option_keys").length ? model.get("option_keys") : model.get("options"));

  function drawRadio() {
    const legend = document.createElement("legend");
    legend.textContent = model.get("description");
    root.appendChild(legend);
    model.get("options").forEach((text, i) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = id;
      input.value = String(i);
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.checked = keys()[i] === model.get("value");
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("value", keys()[i]);
          model.save_changes();
        }
      });
      // Enter on an option chooses it and submits it, as the Check button would (a text answer
      // is checked with Enter too). The message carries the option, so it cannot overtake it.
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        input.checked = true;
        model.send({ type: "submit", value: keys()[i] });
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + text));
      root.appendChild(label);
    });
  }

  function drawSelect() {
    const label = document.createElement("label");
    label.textContent = model.get("description");
    label.htmlFor = id;
    const select = document.createElement("select");
    select.id = id;
    select.setAttribute("data-lm-suppress-shortcuts", "true");
    model.get("options").forEach((text, i) => {
      const option = document.createElement("option");
      option.value = String(i);
      option.textContent = text;
      option.selected = keys()[i] === model.get("value");
      select.appendChild(option);
    });
    select.addEventListener("change", () => {
      model.set("value", keys()[Number(select.value)]);
      model.save_changes();
    });
    root.appendChild(label);
    root.appendChild(select);
  }

  function draw() {
    root.replaceChildren();
    (model.get("kind") === "select" ? drawSelect : drawRadio)();
  }

  function show() {
    const index = keys().indexOf(model.get("value"));
    root.querySelectorAll("input").forEach((input) => { input.checked = Number(input.value) === index; });
    const select = root.querySelector("select");
    if (select) select.value = String(index);
  }

  draw();
  const events = ["change:options", "change:option_keys", "change:description"];
  events.forEach((e) => model.on(e, draw));
  model.on("change:value", show);
  return () => {
    events.forEach((e) => model.off(e, draw));
    model.off("change:value", show);
  };
}

export default { render };
