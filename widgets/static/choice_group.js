// Browser side of widgets.quiz.ChoiceGroup: one radio group for a multiple-choice question.
// A <fieldset> with a <legend>, radio inputs sharing one name: one Tab stop, the arrow keys
// move between the options (native browser behaviour), and screen readers announce the group.
// data-lm-suppress-shortcuts keeps JupyterLab's notebook shortcuts (arrow keys move between
// cells) from taking the keys while the focus is inside the group.

let groups = 0;

function render({ model, el }) {
  const name = `ol-choice-${++groups}`;
  const fieldset = document.createElement("fieldset");
  fieldset.className = "ol-choice";
  fieldset.setAttribute("data-lm-suppress-shortcuts", "true");
  el.appendChild(fieldset);

  function draw() {
    fieldset.replaceChildren();
    const legend = document.createElement("legend");
    legend.textContent = model.get("description");
    fieldset.appendChild(legend);
    model.get("options").forEach((text, i) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      // Lumino checks the focused element itself first (selectors end in ":focus"), so the
      // attribute must sit on each input, not only on the fieldset.
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.value = String(i);
      input.checked = model.get("value") === text;
      input.addEventListener("change", () => {
        if (input.checked) {
          model.set("value", text);
          model.save_changes();
        }
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + text));
      fieldset.appendChild(label);
    });
  }

  function check() {
    const value = model.get("value");
    const options = model.get("options");
    fieldset.querySelectorAll("input").forEach((input) => {
      input.checked = options[Number(input.value)] === value;
    });
  }

  draw();
  model.on("change:options", draw);
  model.on("change:description", draw);
  model.on("change:value", check);
  return () => {
    model.off("change:options", draw);
    model.off("change:description", draw);
    model.off("change:value", check);
  };
}

export default { render };
