// Autosave: after a few seconds without typing, the headline, standfirst and body go to
// the server as this writer's private autosave of the story (never a revision, never the
// story itself). The page offers it back after a reload. Without JavaScript nothing changes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("newsroom-autosave");
  const form = document.getElementById("article_form");
  if (!status || !form) return;
  const delay = Number(status.dataset.delay) || 3000;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const token = field("csrfmiddlewaretoken");
  const version = field("loaded_version");
  let timer = null;
  let last = null;
  let submitting = false;

  const snapshot = () => ({
    headline: field("headline") ? field("headline").value : "",
    standfirst: field("standfirst") ? field("standfirst").value : "",
    body: field("body") ? field("body").value : "",
    loaded_version: Number(version && version.value),
  });
  last = JSON.stringify(snapshot());

  async function save() {
    if (submitting) return;
    const current = snapshot();
    const text = JSON.stringify(current);
    if (text === last || !current.loaded_version) return;
    try {
      const response = await fetch(status.dataset.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        credentials: "same-origin",
        body: text,
      });
      const data = await response.json();
      if (response.ok) {
        last = text;
        if (data.message) status.textContent = data.message;
      } else {
        status.textContent = data.error || "";
      }
    } catch (error) {
      // Offline or the server is away: the next pause in typing tries again.
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  };
  // The body's editor updates its hidden textarea as it changes; its input and key events
  // bubble to the form like those of the plain fields.
  form.addEventListener("input", schedule);
  form.addEventListener("keyup", schedule);
  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(timer);
  });
});
