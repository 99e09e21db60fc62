// The preview beside the story form: the form's current, unsaved text as readers would see
// it, in a frame at phone, tablet or desktop width. The frame is filled by posting the
// form's text to the desk (a named target, so no script or HTML is built from the answer),
// again after each pause in typing while the panel is open.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("newsroom-side-preview");
  const form = document.getElementById("article_form");
  const open = document.getElementById("newsroom-side-preview-open");
  if (!panel || !form || !open) return;
  open.closest("[hidden]")?.removeAttribute("hidden");
  const frame = panel.querySelector("iframe");
  const viewport = panel.querySelector(".newsroom-side-preview__viewport");
  const status = panel.querySelector("[role=status]");
  const FIELDS = ["csrfmiddlewaretoken", "headline", "standfirst", "body", "lead_photo"];
  let width = 1280;
  let pending = null;

  const fit = () => {
    // The page is laid out at the chosen width, then scaled to fit the panel.
    const room = viewport.clientWidth || width;
    const scale = Math.min(1, room / width);
    frame.width = String(width);
    frame.style.transform = `scale(${scale})`;
    viewport.style.height = `${Math.round(frame.height * scale)}px`;
  };

  const refresh = () => {
    if (panel.hidden) return;
    const sender = document.createElement("form");
    sender.method = "post";
    sender.action = panel.dataset.url;
    sender.target = frame.name;
    sender.hidden = true;
    for (const name of FIELDS) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = field.value ?? "";
      sender.append(input);
    }
    document.body.append(sender);
    status.textContent = status.dataset.updating;
    sender.submit();
    sender.remove();
  };

  frame.addEventListener("load", () => {
    if (!panel.hidden) status.textContent = status.dataset.updated;
    panel.dataset.loaded = String(Number(panel.dataset.loaded || 0) + 1);
  });

  const show = (visible) => {
    panel.hidden = !visible;
    open.setAttribute("aria-expanded", String(visible));
    document.body.classList.toggle("newsroom-with-side-preview", visible);
    if (visible) {
      fit();
      refresh();
      panel.querySelector("[data-close]").focus();
    } else {
      open.focus();
    }
  };

  open.addEventListener("click", () => show(panel.hidden));
  panel.querySelector("[data-close]").addEventListener("click", () => show(false));
  panel.querySelector("[data-refresh]").addEventListener("click", refresh);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") show(false);
  });
  panel.querySelectorAll("[data-width]").forEach((button) => {
    button.addEventListener("click", () => {
      width = Number(button.dataset.width);
      panel.querySelectorAll("[data-width]").forEach((other) => {
        other.setAttribute("aria-pressed", String(other === button));
      });
      panel.dataset.width = String(width);
      fit();
    });
  });
  window.addEventListener("resize", () => panel.hidden || fit());
  // The body's editor writes its HTML back to its textarea as the journalist types.
  const later = () => {
    if (panel.hidden) return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 800);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  document.addEventListener("newsroom:preview", () => show(true));
});
