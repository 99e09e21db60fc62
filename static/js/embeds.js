/* Newsroom: click-to-load video and audio players (articles/embed_facade.py).
   Until the reader presses "Play", nothing of the host is requested: the page holds a
   button and a link. On press, the host's privacy-enhanced player (its address is on the
   button, written by the server from the validated embed) replaces the button. Without
   this script the button stays hidden and the link to the host remains. */
(function () {
  "use strict";

  var play = function (button) {
    var box = button.closest(".embed__frame");
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-embed-player");
    frame.title = button.getAttribute("data-embed-frame-title") || button.textContent;
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.setAttribute("allowfullscreen", "");
    // YouTube refuses to play when the embedding page sends no referrer.
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    // The player may run its own scripts and open its site in a new tab; it may not
    // navigate this page.
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
    );
    frame.className = "embed__player";
    box.replaceChildren(frame);
    box.classList.add("embed__frame--playing");
    frame.focus();
  };

  var SELECTOR = ".embed__play[data-embed-player]";
  var usable = function (button) {
    return button.getAttribute("data-embed-player").indexOf("https://") === 0;
  };
  var show = function (root) {
    root.querySelectorAll(SELECTOR).forEach(function (button) {
      if (usable(button)) button.hidden = false;
    });
  };

  // One listener for the page: players that arrive later (a live story's new updates,
  // inserted by live.js) play like the ones present at load.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(SELECTOR);
    if (button && usable(button)) play(button);
  });
  show(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches(SELECTOR) && usable(node)) node.hidden = false;
        show(node);
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
