/* Newsroom: small progressive enhancements for every public page. No framework, no
   third-party code. Without this script every page still works: times stay absolute, share
   links stay plain links. */
(function () {
  "use strict";

  // "2 hours ago" for recent times. Pages are cached for minutes, so the relative wording is
  // worked out here, in the reader's browser, from the absolute time in <time datetime>.
  // The words come translated on this script's own tag (data-just-now, data-minute…).
  var tag = document.currentScript;
  if (tag && tag.dataset.justNow) {
    var words = {
      now: tag.dataset.justNow,
      minute: [tag.dataset.minute, tag.dataset.minutes],
      hour: [tag.dataset.hour, tag.dataset.hours],
      day: [tag.dataset.day, tag.dataset.days],
    };
    var say = function (forms, n) {
      return (n === 1 ? forms[0] : forms[1]).replace("%(n)s", String(n));
    };
    var update = function () {
      var now = Date.now();
      document.querySelectorAll("time[data-relative]").forEach(function (el) {
        var then = Date.parse(el.getAttribute("datetime"));
        if (isNaN(then)) return;
        var minutes = Math.floor((now - then) / 60000);
        var text = el.getAttribute("title");
        if (minutes >= 0 && minutes < 1) text = words.now;
        else if (minutes >= 1 && minutes < 60) text = say(words.minute, minutes);
        else if (minutes >= 60 && minutes < 24 * 60) text = say(words.hour, Math.floor(minutes / 60));
        // A list in one style ("Latest"): days too, never a mix of "14 hours ago" and dates.
        else if (minutes >= 24 * 60 && el.dataset.relative === "always" && words.day[0])
          text = say(words.day, Math.floor(minutes / (24 * 60)));
        if (text && el.textContent !== text) el.textContent = text;
      });
    };
    update();
    window.setInterval(update, 60000);
  }

  // The section bar on phones scrolls sideways: a fade at the edge that has more (CSS, on
  // .site-nav[data-more]) says so, and the current section is scrolled into view.
  var bar = document.querySelector(".site-nav ul");
  if (bar) {
    var nav = bar.parentElement;
    var current = bar.querySelector("[aria-current]");
    if (current && current.offsetLeft + current.offsetWidth > bar.clientWidth) {
      bar.scrollLeft = current.offsetLeft - 16;
    }
    var mark = function () {
      var more = [];
      if (bar.scrollLeft > 1) more.push("start");
      if (bar.scrollLeft + bar.clientWidth < bar.scrollWidth - 1) more.push("end");
      nav.setAttribute("data-more", more.join(" "));
    };
    mark();
    bar.addEventListener("scroll", mark, { passive: true });
    window.addEventListener("resize", mark);
  }

  // Share: the device's share sheet (Web Share API) and "Copy link", where the browser has them.
  document.querySelectorAll("[data-share-url]").forEach(function (box) {
    var url = box.getAttribute("data-share-url");
    var title = box.getAttribute("data-share-title");
    var status = box.querySelector("[data-share-status]");
    var tell = function (selector) {
      var message = box.querySelector(selector);
      if (status && message) status.textContent = message.content.textContent;
    };
    var nativeButton = box.querySelector("[data-share-native]");
    if (nativeButton && typeof navigator.share === "function") {
      nativeButton.parentElement.hidden = false;
      nativeButton.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {});
      });
    }
    var copyButton = box.querySelector("[data-share-copy]");
    if (copyButton && navigator.clipboard && window.isSecureContext) {
      copyButton.parentElement.hidden = false;
      copyButton.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () { tell("[data-share-copied]"); },
          function () { tell("[data-share-failed]"); }
        );
      });
    }
  });
})();
