/* Typographic quotes and dashes as journalists type, in the body editor (an extension of
   django-prose-editor, loaded by desk.editor.BodyEditorWidget) and in the headline and
   standfirst fields (desk/static/desk/typography.js uses the same rules).

   English (Canadian Press): “double” and ‘single’ quotes, ’ for apostrophes, -- → —.
   French: « guillemets » with narrow no-break spaces inside, ’ for apostrophes, -- → —,
   and a no-break space before : and a narrow one before ; ! ?.
   The story's language is read from the form as the journalist types, so a French story
   gets French rules whatever the desk's language. Undo (Ctrl/⌘+Z) right after a
   replacement gives back the straight character. */
import { Extension, InputRule } from "django-prose-editor/editor";
import { storyLanguage, replacementFor } from "./typography_rules.js";

export const SmartTypography = Extension.create({
  name: "smartTypography",

  addInputRules() {
    // Each rule matches the character just typed (and what precedes it, for context).
    const rule = (find) =>
      new InputRule({
        find,
        handler: ({ state, range, match }) => {
          const before = state.doc.textBetween(Math.max(0, range.from - 1), range.from, "\n", "\n");
          const replacement = replacementFor(match[0], before, storyLanguage());
          if (replacement === null) return null;
          state.tr.insertText(replacement.text, range.from - replacement.eat, range.to);
        },
      });
    return [rule(/"$/), rule(/'$/), rule(/--$/), rule(/ [:;!?]$/)];
  },
});
