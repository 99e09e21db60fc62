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
