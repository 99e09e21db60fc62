// The story form's lead photo chooser. Django's lookup popup (the photo library in
// picker mode) fills the photo's number into the field; the library page tells this
// window what it picked (newsroomPhotoPicked, called from photo_library.js) so the form
// shows the chosen photo at once. Without JavaScript the number is typed in.
"use strict";
window.newsroomPhotoPicked = (picked) => {
  const chosen = document.querySelector("[data-photo-chosen]");
  if (chosen) chosen.textContent = picked.title;
  const preview = document.querySelector("[data-photo-preview]");
  if (preview && picked.thumbnail) {
    const img = document.createElement("img");
    img.src = picked.thumbnail;
    img.alt = picked.alt || "";
    img.width = 320;
    preview.replaceChildren(img);
  }
};
