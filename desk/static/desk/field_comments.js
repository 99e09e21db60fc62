// Comments on a field: the words selected in the headline, standfirst or body go into the
// comment form's "Words commented on" (the form also works by typing them), and open
// comments' words are marked in the body while it is edited.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("newsroom-comment-form");
  const button = document.getElementById("newsroom-comment-selection");
  if (!form || !button) return;
  let chosen = null;
  const fieldOf = (node) => {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    if (!element) return null;
    if (element.closest(".ProseMirror")) return "body";
    const input = element.closest("#id_headline, #id_standfirst");
    return input ? input.name : null;
  };
  const remember = () => {
    const active = document.activeElement;
    if (active && (active.id === "id_headline" || active.id === "id_standfirst")) {
      const words = active.value.slice(active.selectionStart, active.selectionEnd).trim();
      chosen = words ? { field: active.name, words } : chosen;
    } else {
      const selection = document.getSelection();
      const words = selection ? selection.toString().trim() : "";
      const field = selection && selection.rangeCount ? fieldOf(selection.anchorNode) : null;
      if (words && field) chosen = { field, words };
    }
    button.hidden = !chosen;
  };
  document.addEventListener("selectionchange", remember);
  document.addEventListener("keyup", remember);
  document.addEventListener("mouseup", remember);
  button.addEventListener("click", () => {
    if (!chosen) return;
    const details = form.closest("details");
    if (details) details.open = true;
    form.elements.field.value = chosen.field;
    form.elements.quote.value = chosen.words.replace(/\s+/g, " ").slice(0, 500);
    form.elements.text.focus();
  });
});
