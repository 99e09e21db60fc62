// The newsroom shows and takes times in its own zone (America/Toronto). When the
// browser's clock runs on another offset, say so once, with both offsets, so nobody
// schedules a story for 9:00 their time by mistake. Nothing is shown otherwise.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const note = document.getElementById("newsroom-tz-note");
  if (!note || !window.Intl) return;
  const newsroom = note.dataset.zone;
  const yours = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  if (!newsroom || !yours || yours === newsroom) return;
  const offset = (zone, when) => {
    try {
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        timeZoneName: "shortOffset",
      }).formatToParts(when);
      const name = parts.find((part) => part.type === "timeZoneName")?.value || "";
      return name.replace(/^GMT/, "UTC").replace(/^UTC$/, "UTC+0");
    } catch {
      return "";
    }
  };
  // A zone with the same offsets all year (Toronto and New York) reads the same clock.
  const now = new Date();
  const later = new Date(now.getTime() + 182 * 24 * 3600 * 1000);
  if ([now, later].every((when) => offset(yours, when) === offset(newsroom, when))) return;
  const values = { newsroom: offset(newsroom, now), zone: yours, yours: offset(yours, now) };
  note.textContent = (note.dataset.text || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  note.hidden = false;
  // Django's own "you are N hours ahead of server time" says the same less clearly.
  document.documentElement.classList.add("newsroom-tz-differs");
});
