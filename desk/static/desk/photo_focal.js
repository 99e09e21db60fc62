// The focal point picker on a photo's page: a click on the image fills the two number
// fields (fractions of the width and height) and moves the marker. The fields are the
// real input; without JavaScript they are typed in.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector("[data-focal-picker]");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!picker || !x || !y) return; // read-only to this user: nothing to set
  const image = picker.querySelector("img");
  const marker = picker.querySelector(".newsroom-focal__marker");
  const show = () => {
    const fx = parseFloat(x.value);
    const fy = parseFloat(y.value);
    const valid = [fx, fy].every((v) => Number.isFinite(v) && v >= 0 && v <= 1);
    marker.hidden = !valid;
    if (valid) {
      marker.style.left = `${fx * image.clientWidth}px`;
      marker.style.top = `${fy * image.clientHeight}px`;
    }
  };
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const round = (v) => Math.min(1, Math.max(0, Math.round(v * 100) / 100)).toFixed(2);
    x.value = round((event.clientX - box.left) / box.width);
    y.value = round((event.clientY - box.top) / box.height);
    show();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  window.addEventListener("resize", show);
  if (image.complete) show();
  else image.addEventListener("load", show);
});
