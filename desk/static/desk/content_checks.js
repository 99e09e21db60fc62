// Content checks while writing: the story form's headline, body and lead photo are sent to
// the desk after each pause in typing, and its warnings listed in the "Checks" panel
// (desk/checks.py is the one implementation; the server runs it again at submission).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("newsroom-checks");
  const form = document.getElementById("article_form");
  if (!panel || !form) return;
  panel.hidden = false;
  const list = panel.querySelector("[data-list]");
  const none = panel.querySelector("[data-none]");
  const reading = panel.querySelector("[data-reading]");
  const FIELDS = ["csrfmiddlewaretoken", "headline", "body", "language", "lead_photo", "photo_alt_text"];
  let pending = null;
  let asked = 0;

  const check = async () => {
    const data = new FormData();
    for (const name of FIELDS) {
      const field = form.elements.namedItem(name);
      if (field) data.append(name, field.value ?? "");
    }
    const upload = form.elements.namedItem("photo_upload");
    if (upload && upload.files && upload.files.length) data.append("photo_upload", "1");
    const mine = ++asked;
    let answer;
    try {
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return; // offline for a moment: the next pause asks again
    }
    if (mine !== asked) return; // a newer answer is on its way
    list.replaceChildren(
      ...answer.warnings.map((warning) => {
        const item = document.createElement("li");
        item.className = `newsroom-check newsroom-check--${warning.code}`;
        item.dataset.code = warning.code;
        item.textContent = warning.message;
        return item;
      }),
    );
    none.hidden = answer.warnings.length > 0;
    reading.textContent = answer.reading ? answer.reading.message : "";
    panel.dataset.checked = String(mine);
  };
  const later = () => {
    clearTimeout(pending);
    pending = setTimeout(check, 700);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  document.addEventListener("prose-editor:ready", later);
  check();
});
