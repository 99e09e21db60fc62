/* Live coverage on a reader's open page: new updates without a reload.
 *
 * Every LIVE_POLL_SECONDS (data-interval), with a little jitter so a crowd that opened the
 * page together does not ask together, the page fetches the update endpoint (data-updates:
 * the same answer for everyone, kept by the page cache, nginx and any CDN for seconds). New
 * entries are not put on the page at once: a button says "3 new updates" (in a polite live
 * region, so a screen reader hears it without losing its place; focus is not moved and the
 * page does not jump). Clicking it shows them, newest first, above the ones already shown.
 * Edited entries are replaced in place (they show "Updated 10:32 a.m."); deleted ones go.
 * Polling pauses while the tab is hidden and stops when the coverage has ended.
 * Without JavaScript, a reload shows everything.
 */
(function () {
  "use strict";

  var block = document.getElementById("live");
  if (!block || !window.fetch) return;
  var list = document.getElementById("live-entries");
  var keyPoints = document.getElementById("live-key-points");
  var button = block.querySelector(".live__new");
  var ended = block.querySelector(".live__ended");
  var interval = Math.max(2, parseFloat(block.dataset.interval) || 12) * 1000;
  var pending = []; // [{id, html}], newest first
  var timer = null;
  var busy = false;
  var lastKeyPoints = keyPoints.innerHTML.trim();

  function shown() {
    var found = {};
    list.querySelectorAll(".live-entry").forEach(function (node) {
      found[node.dataset.id] = node;
    });
    return found;
  }

  function highestShown(nodes) {
    var highest = 0;
    Object.keys(nodes).forEach(function (id) {
      highest = Math.max(highest, parseInt(id, 10));
    });
    pending.forEach(function (entry) {
      highest = Math.max(highest, entry.id);
    });
    return highest;
  }

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function announce() {
    if (!pending.length) {
      button.hidden = true;
      button.textContent = "";
      return;
    }
    var words = pending.length === 1 ? block.dataset.one : block.dataset.many;
    button.textContent = words.replace("%(n)s", pending.length);
    button.hidden = false;
  }

  function apply(data) {
    var nodes = shown();
    var highest = highestShown(nodes);
    var listed = {};
    var lowest = Infinity;
    data.entries.forEach(function (entry) {
      listed[entry.id] = entry;
      if (!entry.pinned) lowest = Math.min(lowest, entry.id);
    });
    // Edited or deleted: in place. The answer lists the first page's entries, so an entry
    // shown here and missing from it is gone, unless it has only moved to an older page.
    Object.keys(nodes).forEach(function (id) {
      var node = nodes[id];
      var entry = listed[id];
      if (entry) {
        if (entry.version !== node.dataset.version) node.replaceWith(fromHtml(entry.html));
      } else if (!data.full || parseInt(id, 10) > lowest) {
        node.remove();
      }
    });
    pending = pending.filter(function (entry) {
      return listed[entry.id];
    });
    pending.forEach(function (entry) {
      entry.html = listed[entry.id].html;
    });
    // New: kept aside and announced, newest first.
    var fresh = data.entries.filter(function (entry) {
      return entry.id > highest && !nodes[entry.id];
    });
    fresh.sort(function (a, b) { return b.id - a.id; });
    pending = fresh.concat(pending);
    announce();
    var points = data.key_points.trim();
    if (points !== lastKeyPoints) keyPoints.innerHTML = points;
    lastKeyPoints = points;
    if (data.ended) {
      ended.hidden = false;
      block.setAttribute("data-ended", "");
    }
  }

  function showPending() {
    var empty = list.querySelector(".live__empty");
    if (empty) empty.remove();
    // After the pinned entries, newest first: in order, as the page lists them.
    var anchor = list.querySelector(".live-entry:not(.live-entry--pinned)");
    var first = null;
    pending.forEach(function (entry) {
      var node = fromHtml(entry.html);
      list.insertBefore(node, anchor);
      if (!first) first = node;
    });
    pending = [];
    announce();
    // The button is gone: focus goes to the newest update, so keyboard users continue there.
    if (first) first.focus({ preventScroll: false });
  }

  function poll() {
    timer = null;
    if (document.hidden || busy) return schedule();
    busy = true;
    fetch(block.dataset.updates, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(apply)
      .catch(function () { /* the next poll tries again */ })
      .then(function () {
        busy = false;
        if (!block.hasAttribute("data-ended")) schedule();
      });
  }

  function schedule() {
    if (timer !== null) return;
    // Between 80 % and 120 % of the interval: a crowd's polls spread out.
    timer = window.setTimeout(poll, interval * (0.8 + Math.random() * 0.4));
  }

  button.addEventListener("click", showPending);
  // Back on the tab: ask at once rather than at the end of the current wait.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden || block.hasAttribute("data-ended") || busy) return;
    if (timer !== null) window.clearTimeout(timer);
    poll();
  });
  if (!block.hasAttribute("data-ended")) schedule();
})();
