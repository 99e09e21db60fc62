/* The live composer on a story's admin page (live/templates/admin/live/composer.html).
 *
 * Posting an update, deleting one: sent with fetch() so the journalist stays where they are
 * (the story form beside it keeps whatever they were typing); the answer's HTML goes to the
 * top of the list. Ctrl+Enter (Cmd+Enter on a Mac) posts from anywhere in the composer.
 * Without JavaScript the same forms post normally and the server comes back to this page.
 */
(function () {
  "use strict";

  // Loaded in the page's <head> (the admin's form media): the editor may be ready before the
  // composer is parsed, so its "ready" event is caught here and the rest waits for the DOM.
  var editor = null; // the composer's rich-text editor, once django-prose-editor says so
  document.addEventListener("prose-editor:ready", function (event) {
    var textarea = event.detail.textarea;
    if (!textarea.closest("#live-composer, #live-edit")) return;
    if (textarea.closest("#live-composer")) editor = event.detail.editor;
    // The editor's text box is named after the field's label, as the story form's body is.
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var box = textarea.closest(".prose-editor");
    box = box && box.querySelector("[contenteditable=true]");
    if (label && box) box.setAttribute("aria-label", label.textContent.trim());
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }

  function setUp() {
    var composer = document.getElementById("live-composer");
    var list = document.getElementById("live-desk-entries");

    function send(form) {
      return fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().catch(function () {
          return { ok: false, message: response.statusText || String(response.status) };
        });
      });
    }

    function fromHtml(html) {
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      return holder.firstElementChild;
    }

    if (composer) {
      var status = document.getElementById("live-status");
      var button = composer.querySelector("button[type=submit]");
      var sending = false;

      composer.addEventListener("submit", function (event) {
        if (!window.fetch) return;
        event.preventDefault();
        if (sending) return;
        sending = true;
        button.disabled = true;
        status.textContent = composer.dataset.posting;
        var body = editor && composer.querySelector("textarea[name='live-body']");
        if (body) body.value = editor.getHTML(); // the editor's text, whether or not it synced yet
        send(composer)
          .then(function (data) {
            status.textContent = data.message || "";
            if (!data.ok) return;
            var empty = list.querySelector(".live-desk__empty");
            if (empty) empty.remove();
            list.insertBefore(fromHtml(data.html), list.firstElementChild);
            if (editor) editor.commands.clearContent(true);
            composer.querySelectorAll("textarea, input[type=text], input[type=url]").forEach(
              function (field) { field.value = ""; }
            );
            composer.querySelectorAll("input[type=checkbox]").forEach(function (box) {
              box.checked = false;
            });
            if (editor) editor.commands.focus();
          })
          .catch(function () {
            status.textContent = "⚠";
          })
          .then(function () {
            sending = false;
            button.disabled = false;
          });
      });

      // Captured before the editor sees it (its own Ctrl+Enter is a line break).
      composer.addEventListener(
        "keydown",
        function (event) {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            event.stopPropagation();
            composer.requestSubmit();
          }
        },
        true
      );
    }

    if (list) {
      list.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.classList.contains("live-desk__remove") || !window.fetch) return;
        event.preventDefault();
        if (!window.confirm(list.dataset.confirm)) return;
        send(form).then(function (data) {
          if (data.ok) form.closest(".live-desk__entry").remove();
          var status = document.getElementById("live-status");
          if (status) status.textContent = data.message || "";
        });
      });
    }
  }
})();
