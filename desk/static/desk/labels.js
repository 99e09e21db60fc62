// Names for the fields the admin labels only visually, on every desk page, so screen
// readers announce them like the fields they stand for: the body's editor, autocomplete
// boxes, the date and time halves of a date-and-time field, and the fields in a table's
// cells (inline rows, editable list columns), named after their column and row. Re-run as
// widgets appear (they are built after this script runs, and again for each new row).
// The words come translated from <template id="newsroom-labels"> (admin/base_site.html).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const content = document.getElementById("content");
  const texts = document.getElementById("newsroom-labels")?.dataset;
  if (!content || !texts) return;
  const fill = (template, values) =>
    (template || "").replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));
  const labelText = (id) => {
    const label = id && document.getElementById(id)?.labels?.[0];
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  };
  const named = (el) => el.getAttribute("aria-label") || el.labels?.length;

  const nameWidgets = () => {
    content.querySelectorAll(".ProseMirror[contenteditable=true]:not([aria-label])").forEach((el) => {
      const textarea = el.closest(".prose-editor")?.querySelector("textarea");
      const text = labelText(textarea?.id);
      if (text) el.setAttribute("aria-label", text);
    });
    content.querySelectorAll("span.select2").forEach((box) => {
      const text = labelText(box.previousElementSibling?.id);
      if (!text) return;
      box.querySelectorAll("[role=combobox]:not([aria-label]), [role=textbox]:not([aria-label])").forEach(
        (el) => el.setAttribute("aria-label", text),
      );
    });
    // The date and time halves of a date-and-time field share one label in the admin.
    content.querySelectorAll("p.datetime").forEach((holder) => {
      const [date, time] = holder.querySelectorAll("input:not([type=hidden])");
      const caption = holder.closest(".form-row, .fieldBox")?.querySelector("label, legend");
      const field = labelText(date?.id) || (caption ? caption.textContent.replace(/:\s*$/, "").trim() : "");
      if (!field) return;
      if (date && !date.getAttribute("aria-label")) date.setAttribute("aria-label", fill(texts.date, { field }));
      if (time && !time.getAttribute("aria-label")) time.setAttribute("aria-label", fill(texts.time, { field }));
    });
  };

  const nameCells = () => {
    // Tables label their columns once, in the header: name each cell's field.
    content.querySelectorAll("table").forEach((table) => {
      const headers = [...table.querySelectorAll("thead th")];
      table.querySelectorAll("thead th:empty").forEach((th) => {
        if (!th.classList.contains("original")) {
          // A column without a heading (a read-only inline's delete column): a plain cell.
          const cell = document.createElement("td");
          cell.className = th.className;
          th.replaceWith(cell);
          return;
        }
        const span = document.createElement("span");
        span.className = "newsroom-sr";
        span.textContent = texts.original || "";
        th.append(span);
      });
      table.querySelectorAll("tbody tr").forEach((row, index) => {
        row.querySelectorAll("td").forEach((cell) => {
          const column = headers[[...row.children].indexOf(cell)]?.textContent.trim();
          if (!column) return;
          const text = fill(texts.row, { column, row: index + 1 });
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((input) => {
            if (!named(input)) input.setAttribute("aria-label", text);
          });
          cell.querySelectorAll("span.select2 [role=combobox], span.select2 [role=textbox]").forEach(
            (el) => el.getAttribute("aria-label") || el.setAttribute("aria-label", text),
          );
        });
      });
    });
  };
  const all = () => {
    nameCells();
    nameWidgets();
  };
  all();
  new MutationObserver(all).observe(content, { childList: true, subtree: true });
});
