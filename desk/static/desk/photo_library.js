// The photo library opened as the story form's picker: besides Django's own handler
// (which fills the field with the photo's number and closes this window), tell the story
// form which photo it was, so it can show it without another request.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("a[data-popup-opener]").forEach((link) => {
    link.addEventListener("click", () => {
      const form = window.opener;
      if (!form || typeof form.newsroomPhotoPicked !== "function") return;
      const img = link.querySelector("img");
      form.newsroomPhotoPicked({
        title: link.querySelector(".newsroom-library__caption")?.textContent.trim() || "",
        thumbnail: img ? img.src : "",
        alt: img ? img.alt : "",
      });
    });
  });
});
