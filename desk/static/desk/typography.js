// Typographic quotes and dashes in the headline and standfirst, as journalists type: the
// body editor's rules (typography_rules.js) applied to the character just typed.
import { storyLanguage, replacementFor } from "./typography_rules.js";

const FIELDS = ["id_headline", "id_standfirst", "id_social_headline", "id_social_description"];

function onInput(event) {
  const field = event.target;
  if (event.inputType !== "insertText" || !event.data) return;
  const end = field.selectionStart;
  if (end !== field.selectionEnd) return;
  const value = field.value;
  const last = value.slice(end - 1, end);
  let typed = last;
  if (last === "-" && value.slice(end - 2, end) === "--") typed = "--";
  else if ([":", ";", "!", "?"].includes(last) && value.slice(end - 2, end - 1) === " ") typed = ` ${last}`;
  else if (last !== '"' && last !== "'") return;
  const start = end - typed.length;
  const before = value.slice(Math.max(0, start - 1), start);
  const replacement = replacementFor(typed, before, storyLanguage());
  if (replacement === null) return;
  field.setRangeText(replacement.text, start, end, "end");
}

for (const id of FIELDS) {
  const field = document.getElementById(id);
  if (field) field.addEventListener("input", onInput);
}
