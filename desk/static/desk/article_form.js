// Story form helpers: a preview of a chosen photo before upload, and tag suggestions.
// Both are conveniences: the form works the same without JavaScript.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const upload = document.getElementById("id_photo_upload");
  const preview = document.querySelector("[data-photo-preview]");
  if (upload && preview) {
    upload.addEventListener("change", () => {
      const file = upload.files && upload.files[0];
      if (!file) return;
      const img = document.createElement("img");
      img.src = URL.createObjectURL(file);
      img.width = 320;
      img.alt = "";
      preview.replaceChildren(img);
    });
  }

  const tags = document.getElementById("id_tags");
  const list = document.getElementById("newsroom-tag-suggestions");
  if (!tags || !list) return;
  tags.setAttribute("list", list.id);
  tags.setAttribute("autocomplete", "off");
  let pending = null;
  tags.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      const parts = tags.value.split(",");
      const term = parts.pop().trim();
      if (term.length < 2) return;
      const before = parts.map((p) => p.trim()).filter(Boolean);
      const response = await fetch(`${list.dataset.url}?q=${encodeURIComponent(term)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return;
      const { tags: names } = await response.json();
      // Each option is the whole field value, so picking one completes the last tag only.
      list.replaceChildren(
        ...names.map((name) => {
          const option = document.createElement("option");
          option.value = [...before, name].join(", ");
          return option;
        }),
      );
    }, 150);
  });
});

// Counters under the headline (characters, against what fits on the home page) and the
// body (words and reading time at about 230 words a minute). Sentences come translated
// from the page's <template id="newsroom-counts">.
document.addEventListener("DOMContentLoaded", () => {
  const texts = document.getElementById("newsroom-counts");
  if (!texts) return;
  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  const counter = (after, id) => {
    const line = document.createElement("p");
    line.className = "newsroom-count";
    line.id = id;
    line.setAttribute("aria-live", "polite");
    after.insertAdjacentElement("afterend", line);
    return line;
  };

  const headline = document.getElementById("id_headline");
  if (headline) {
    const limit = Number(texts.dataset.headlineLimit) || 70;
    const line = counter(headline, "newsroom-headline-count");
    const update = () => {
      const count = [...headline.value].length;
      line.textContent = fill(texts.dataset.headline, { count, limit });
      line.classList.toggle("newsroom-count--over", count > limit);
    };
    headline.addEventListener("input", update);
    update();
  }

  // Search and social fields: counted against what results and cards show, and the
  // field's own maximum (the browser stops typing there; the server checks it again).
  document.querySelectorAll("#article_form [data-count-limit]").forEach((field) => {
    const limit = Number(field.dataset.countLimit);
    const max = Number(field.getAttribute("maxlength")) || "";
    const line = counter(field, `newsroom-${field.name}-count`);
    const update = () => {
      const count = [...field.value].length;
      line.textContent = fill(texts.dataset.limited, { count, limit, max });
      line.classList.toggle("newsroom-count--over", count > limit);
    };
    field.addEventListener("input", update);
    update();
  });

  const body = document.querySelector("textarea[name=body]");
  if (body) {
    const holder = body.closest(".prose-editor") || body;
    const line = counter(holder, "newsroom-body-count");
    const update = () => {
      const html = body.value || "";
      const text = new DOMParser().parseFromString(html, "text/html").body.textContent || "";
      const words = text.split(/\s+/).filter(Boolean).length;
      const minutes = Math.max(1, Math.round(words / 230));
      line.textContent = fill(texts.dataset.body, { words, minutes });
    };
    update();
    // The editor writes its HTML back to the textarea; re-count after each pause in typing.
    let pending = null;
    document.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(update, 300);
    });
    document.addEventListener("prose-editor:ready", update);
  }
});
