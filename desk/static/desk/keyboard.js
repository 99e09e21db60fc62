// The story form's keyboard: Ctrl/⌘+S saves, Ctrl/⌘+K links (finding other stories by
// headline), "?" lists the shortcuts. The link dialog of the body's editor gets a search
// of published stories (the desk's staff-only endpoint); with nothing selected, Ctrl/⌘+K
// opens the same search to insert a story's headline as a link.
"use strict";
(() => {
  const isMac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  const fill = (template, values) =>
    (template || "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  let lastEditor = null;
  document.addEventListener("prose-editor:ready", (event) => {
    if (event.detail?.textarea?.name === "body") lastEditor = event.detail.editor;
  });
  const bodyEditor = () =>
    lastEditor || document.querySelector("#article_form .ProseMirror")?.editor || null;
  const typing = (element) =>
    element &&
    (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

  // A search box and its results, placed in a dialog; choosing a story calls choose(story).
  const storySearch = (strings, url, choose) => {
    const id = `newsroom-story-search-${Math.random().toString(36).slice(2)}`;
    const wrap = document.createElement("div");
    wrap.className = "newsroom-story-search";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = strings.searchLabel;
    const input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    const status = document.createElement("p");
    status.className = "newsroom-story-search__status";
    status.setAttribute("role", "status");
    const list = document.createElement("ul");
    list.className = "newsroom-story-search__results";
    wrap.append(label, input, status, list);
    let pending = null;
    let asked = 0;
    input.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const words = input.value.trim();
        const mine = ++asked;
        if (words.length < 2) {
          list.replaceChildren();
          status.textContent = "";
          return;
        }
        let stories = [];
        try {
          const response = await fetch(`${url}?q=${encodeURIComponent(words)}`, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          });
          if (response.ok) stories = (await response.json()).stories;
        } catch {
          return;
        }
        if (mine !== asked) return;
        status.textContent = stories.length
          ? fill(strings.searchFound, { count: stories.length })
          : strings.searchNone;
        list.replaceChildren(
          ...stories.map((story) => {
            const item = document.createElement("li");
            const button = document.createElement("button");
            button.type = "button";
            button.className = "newsroom-story-search__choice";
            button.textContent = story.headline;
            button.dataset.url = story.url;
            button.addEventListener("click", () => choose(story));
            item.append(button);
            return item;
          }),
        );
      }, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // never submits the dialog half-done
    });
    return { element: wrap, input };
  };

  document.addEventListener("DOMContentLoaded", () => {
    const config = document.getElementById("newsroom-keyboard");
    const form = document.getElementById("article_form");
    if (!config || !form) return;
    const strings = config.dataset;
    const shortcuts = document.getElementById("newsroom-shortcuts");
    const openShortcuts = () => shortcuts && !shortcuts.open && shortcuts.showModal();
    document.querySelectorAll(".newsroom-shortcuts-open").forEach((button) => {
      button.addEventListener("click", openShortcuts);
    });

    // The editor's own link dialog ("Edit Link"): a story search above its address field.
    new MutationObserver(() => {
      document.querySelectorAll("dialog.prose-editor-dialog").forEach((dialog) => {
        const href = dialog.querySelector("input[name=href]");
        if (!href || dialog.querySelector(".newsroom-story-search")) return;
        const title = dialog.querySelector("input[name=title]");
        const search = storySearch(strings, strings.linkSearch, (story) => {
          href.value = story.url;
          if (title && !title.value) title.value = story.headline;
          href.focus();
        });
        href.closest(".prose-editor-dialog-field").before(search.element);
        search.input.focus();
      });
    }).observe(document.body, { childList: true, subtree: true });

    // Ctrl/⌘+K with nothing selected: insert a story's headline (or an address) as a link.
    const insertDialog = () => {
      const editor = bodyEditor();
      if (!editor) return;
      const dialog = document.createElement("dialog");
      dialog.className = "newsroom-link-dialog";
      dialog.setAttribute("aria-label", strings.insertTitle);
      const heading = document.createElement("h2");
      heading.textContent = strings.insertTitle;
      const insert = (href, text) => {
        dialog.close();
        if (!href) return;
        editor
          .chain()
          .focus()
          .insertContent({ type: "text", text: text || href, marks: [{ type: "link", attrs: { href } }] })
          .run();
      };
      const search = storySearch(strings, strings.linkSearch, (story) => insert(story.url, story.headline));
      const addressForm = document.createElement("form");
      addressForm.method = "dialog";
      const addressId = "newsroom-link-address";
      const addressLabel = document.createElement("label");
      addressLabel.htmlFor = addressId;
      addressLabel.textContent = strings.addressLabel;
      const address = document.createElement("input");
      address.type = "url";
      address.id = addressId;
      const ok = document.createElement("button");
      ok.type = "submit";
      ok.className = "button";
      ok.textContent = strings.insert;
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "button";
      cancel.textContent = strings.cancel;
      cancel.addEventListener("click", () => dialog.close());
      addressForm.append(addressLabel, address, ok, cancel);
      addressForm.addEventListener("submit", (event) => {
        event.preventDefault();
        insert(address.value.trim());
      });
      dialog.append(heading, search.element, addressForm);
      dialog.addEventListener("close", () => dialog.remove());
      document.body.append(dialog);
      dialog.showModal();
      search.input.focus();
    };

    document.addEventListener(
      "keydown",
      (event) => {
        const mod = isMac ? event.metaKey : event.ctrlKey;
        const key = event.key.toLowerCase();
        if (mod && !event.altKey && key === "s") {
          event.preventDefault();
          const save = form.querySelector(".newsroom-save, [name=_continue]");
          if (save) form.requestSubmit(save);
          return;
        }
        if (mod && !event.altKey && key === "k") {
          const editor = bodyEditor();
          const inBody = editor && editor.view.dom.contains(document.activeElement);
          // With words selected in the body, the editor's own dialog (with the search) opens.
          if (inBody && !editor.state.selection.empty) return;
          event.preventDefault();
          event.stopPropagation();
          insertDialog();
          return;
        }
        if (event.key === "?" && !mod && !typing(event.target) && !document.querySelector("dialog[open]")) {
          event.preventDefault();
          openShortcuts();
        }
      },
      true,
    );
  });
})();
