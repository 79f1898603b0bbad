// Browser side of widgets.lesson_widgets.quiz.AnswerBox: a labelled text box whose Enter sends the text with it.
// (ipywidgets' Text sends Enter's "submit" as a custom message, which can overtake the typed text
// still queued behind an unacknowledged state update, so the kernel checked an older answer.)
function render({ model, el }) {
  const id = "ol-answer-" + Math.random().toString(36).slice(2);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = model.get("description");
  const input = document.createElement("input");
  input.type = "text";
  input.id = id;
  input.className = "ol-answer-input";
  input.placeholder = model.get("placeholder");
  input.value = model.get("value");
  input.addEventListener("input", () => {
    model.set("value", input.value);
    model.save_changes();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    model.send({ type: "submit", value: input.value });
  });
  const onValue = () => { if (input.value !== model.get("value")) input.value = model.get("value"); };
  model.on("change:value", onValue);
  el.classList.add("ol-answer");
  el.append(label, input);
  return () => model.off("change:value", onValue);
}
export default { render };
