// The story form's lead photo chooser (PhotoChooserWidget). "Choose"/"Change" opens the
// photo library's grid in a <dialog> inside the page: the library page in picker mode is
// fetched and its tiles are read, so search and pages are the library's own (same
// queries, same permissions). Choosing fills the photo's number into the form field and
// its own caption, credit and alt text (in the story's language) into the form's photo
// fields, so the journalist sees what the photo says and what is missing; "Remove" empties
// the number. A photo file dropped on the chooser goes into the form's upload
// field, so it takes the same checks and storage as one picked with "Choose file".
// Without JavaScript the number is typed in.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-photo-chooser]").forEach(setUp);
});

function setUp(chooser) {
  const input = chooser.querySelector("input");
  const card = chooser.querySelector("[data-photo-card]");
  const preview = chooser.querySelector("[data-photo-preview]");
  const chosen = chooser.querySelector("[data-photo-chosen]");
  const credit = chooser.querySelector("[data-photo-credit]");
  const none = chooser.querySelector("[data-photo-none]");
  const openButton = chooser.querySelector("[data-photo-open]");
  const removeButton = chooser.querySelector("[data-photo-remove]");
  const drop = chooser.querySelector("[data-photo-drop]");
  const dialog = chooser.querySelector("[data-photo-dialog]");
  const grid = chooser.querySelector("[data-photo-grid]");
  const search = chooser.querySelector("[data-photo-search]");
  const status = chooser.querySelector("[data-photo-status]");
  const more = chooser.querySelector("[data-photo-more]");
  const upload = document.getElementById("id_photo_upload");
  const wordFields = ["caption", "credit", "alt_text"]
    .map((key) => [key, document.getElementById(`id_photo_${key}`)])
    .filter(([, field]) => field && !field.disabled);
  let filledIn = {}; // the chosen photo's words as put in the fields, until someone edits them
  chooser.classList.add("newsroom-chooser--enhanced");
  chooser.querySelector("[data-photo-buttons]").hidden = false;
  if (upload) drop.hidden = false;
  let page = 1;
  let term = "";
  let generation = 0; // only the latest request fills the grid (a search typed during the first load)

  function storyLanguage() {
    // A new story's language is a field; a saved one's is fixed (change_form.html says it).
    const field = document.getElementById("id_language");
    const language = (field && field.value) || document.querySelector("[data-story-language]")?.dataset.storyLanguage || "";
    return language.startsWith("fr") ? "fr" : "en";
  }

  function fillWords(all) {
    const words = all[storyLanguage()] || {};
    filledIn = {};
    for (const [key, field] of wordFields) {
      field.value = words[key] || "";
      filledIn[key] = field.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function show(photo) {
    card.hidden = !photo;
    none.hidden = Boolean(photo);
    removeButton.hidden = !photo;
    openButton.textContent = photo ? chooser.dataset.change : chooser.dataset.choose;
    if (!photo) return;
    chosen.textContent = photo.title;
    credit.textContent = photo.credit || "";
    if (photo.thumbnail) {
      const img = document.createElement("img");
      img.src = photo.thumbnail;
      img.alt = photo.alt || "";
      img.width = 320;
      preview.replaceChildren(img);
    } else {
      preview.replaceChildren();
    }
  }

  async function load(reset) {
    const mine = ++generation;
    if (reset) page = 1;
    const url = new URL(chooser.dataset.library, window.location.href);
    if (term) url.searchParams.set("q", term);
    if (page > 1) url.searchParams.set("p", String(page));
    status.textContent = "";
    more.hidden = true;
    let doc;
    try {
      const response = await fetch(url, { credentials: "same-origin", signal: AbortSignal.timeout(15000) });
      if (!response.ok) throw new Error(String(response.status));
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      if (mine === generation) status.textContent = chooser.dataset.error;
      return;
    }
    if (mine !== generation) return;
    if (reset) grid.replaceChildren();
    const tiles = [...doc.querySelectorAll(".newsroom-library__tile")];
    for (const tile of tiles) {
      const link = tile.querySelector("a[data-popup-opener]");
      if (!link) continue;
      const img = tile.querySelector("img");
      const photo = {
        id: link.dataset.popupOpener,
        title: tile.querySelector(".newsroom-library__caption")?.textContent.trim() || "",
        credit: tile.querySelector(".newsroom-library__meta")?.textContent.split("·")[0].trim() || "",
        thumbnail: img ? img.getAttribute("src") : "",
        alt: img ? img.getAttribute("alt") : "",
      };
      const item = document.createElement("li");
      item.className = "newsroom-library__tile";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "newsroom-library__link newsroom-chooser__pick";
      button.dataset.photoId = photo.id;
      if (img) {
        const thumb = img.cloneNode();
        thumb.alt = "";
        button.append(thumb);
      }
      const caption = document.createElement("span");
      caption.className = "newsroom-library__caption";
      caption.textContent = photo.title;
      button.append(caption);
      button.addEventListener("click", () => {
        input.value = photo.id;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        if (upload) upload.value = "";
        fillWords(JSON.parse(link.dataset.words || "{}"));
        show(photo);
        dialog.close();
        openButton.focus();
      });
      item.append(button);
      const meta = tile.querySelector(".newsroom-library__meta");
      if (meta) item.append(document.importNode(meta, true));
      grid.append(item);
    }
    if (!grid.children.length) status.textContent = chooser.dataset.empty;
    more.hidden = !doc.querySelector(`.paginator a[href*="p=${page + 1}"]`);
  }

  openButton.addEventListener("click", () => {
    dialog.showModal();
    if (!grid.children.length) load(true);
    search.focus();
  });
  chooser.querySelector("[data-photo-close]").addEventListener("click", () => dialog.close());
  const runSearch = () => {
    term = search.value.trim();
    load(true);
  };
  chooser.querySelector("[data-photo-search-go]").addEventListener("click", runSearch);
  search.addEventListener("keydown", (event) => {
    // Enter searches the library; it must not submit the story form around the dialog.
    if (event.key === "Enter") {
      event.preventDefault();
      runSearch();
    }
  });
  more.addEventListener("click", () => {
    page += 1;
    load(false);
  });
  removeButton.addEventListener("click", () => {
    input.value = "";
    if (upload) upload.value = "";
    show(null);
    openButton.focus();
  });

  if (!upload) return;
  // A new photo dropped on the chooser: into the upload field, whose own preview
  // (article_form.js) shows it; the server checks it like any upload.
  upload.addEventListener("change", () => {
    const file = upload.files && upload.files[0];
    if (!file) return;
    input.value = "";
    // A new picture: the words of the photo chosen before it do not describe it.
    for (const [key, field] of wordFields) {
      if (key in filledIn && field.value === filledIn[key]) field.value = "";
    }
    filledIn = {};
    show({ title: file.name, credit: "", thumbnail: URL.createObjectURL(file) });
  });
  for (const type of ["dragenter", "dragover"]) {
    chooser.addEventListener(type, (event) => {
      if (![...event.dataTransfer.types].includes("Files")) return;
      event.preventDefault();
      chooser.classList.add("newsroom-chooser--dropping");
    });
  }
  chooser.addEventListener("dragleave", (event) => {
    if (!chooser.contains(event.relatedTarget)) chooser.classList.remove("newsroom-chooser--dropping");
  });
  chooser.addEventListener("drop", (event) => {
    chooser.classList.remove("newsroom-chooser--dropping");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    event.preventDefault();
    const picked = new DataTransfer();
    picked.items.add(files[0]);
    upload.files = picked.files;
    upload.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
