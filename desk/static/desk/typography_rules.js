/* The desk's typographic rules, shared by the body editor (prose_typography.js) and the
   headline and standfirst fields (typography.js). See prose_typography.js for the rules. */
const NNBSP = "\u202f"; // narrow no-break space
const NBSP = "\u00a0";
const OPENING = /^$|[\s([{\u2014\u2013\u00ab\u201c\u2018/-]$/; // a quote after these opens

export function storyLanguage() {
  const field = document.getElementById("id_language");
  if (field && field.value) return field.value.startsWith("fr") ? "fr" : "en";
  const saved = document.querySelector("[data-story-language]");
  return saved && saved.dataset.storyLanguage === "fr" ? "fr" : "en";
}

/* What to put in place of ``typed`` (the text an input rule matched, ending with the key
   just pressed), given the character ``before`` it: {text, eat} (eat: how many characters
   before the match to replace too), or null to leave it. */
export function replacementFor(typed, before, language) {
  const opens = OPENING.test(before);
  if (typed === '"') {
    if (language === "fr") return { text: opens ? `«${NNBSP}` : `${before === " " ? "" : NNBSP}»`, eat: 0 };
    return { text: opens ? "\u201c" : "\u201d", eat: 0 };
  }
  if (typed === "'") {
    if (language === "fr") return { text: "\u2019", eat: 0 };
    return { text: opens ? "\u2018" : "\u2019", eat: 0 };
  }
  if (typed === "--") return { text: "\u2014", eat: 0 };
  if (language === "fr" && typed.length === 2 && typed[0] === " ") {
    const mark = typed[1];
    return { text: `${mark === ":" ? NBSP : NNBSP}${mark}`, eat: 0 };
  }
  return null;
}
