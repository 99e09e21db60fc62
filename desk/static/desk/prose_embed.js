/* The body editor's video and audio embeds (articles/embeds.py has the list of hosts).

   An embed is an atom block holding the stored form exactly:
     <figure class="embed" data-embed-provider="…" data-embed-id="…"><a href="…">…</a></figure>
   Pasting a lone web address on an empty line asks the desk whether it is a video or audio
   of an allowed host (the server's parser is the only one; this file has no list of hosts),
   and inserts the embed if so, or the address as a link if not. Saving without this script
   works too: the server turns a paragraph holding only such an address into the embed. */
import { Node, Plugin } from "django-prose-editor/editor";

const ALONE = /^https?:\/\/[^\s"'<>]+$/i;
const MAX_ADDRESS = 2000;
const none = () => ({});

const lookUp = (lookupUrl, address) =>
  fetch(`${lookupUrl}?url=${encodeURIComponent(address)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then((response) => (response.ok ? response.json() : { embed: null }))
    .catch(() => ({ embed: null }));

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { lookupUrl: "" };
  },

  addAttributes() {
    return {
      provider: { default: null, parseHTML: (el) => el.getAttribute("data-embed-provider"), renderHTML: none },
      mediaId: { default: null, parseHTML: (el) => el.getAttribute("data-embed-id"), renderHTML: none },
      href: {
        default: null,
        parseHTML: (el) => {
          const link = el.querySelector("a[href]");
          return link ? link.getAttribute("href") : null;
        },
        renderHTML: none,
      },
      label: { default: "", parseHTML: (el) => el.textContent.trim(), renderHTML: none },
    };
  },

  parseHTML() {
    return [{ tag: "figure.embed[data-embed-provider][data-embed-id]" }];
  },

  renderHTML({ node }) {
    const { provider, mediaId, href, label } = node.attrs;
    return [
      "figure",
      { class: "embed", "data-embed-provider": provider, "data-embed-id": mediaId },
      ["a", { href, rel: "noopener noreferrer" }, label || href],
    ];
  },

  addProseMirrorPlugins() {
    const { lookupUrl } = this.options;
    const embedType = this.type;
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const data = event.clipboardData;
            const address = ((data && data.getData("text/plain")) || "").trim();
            if (!lookupUrl || address.length > MAX_ADDRESS || !ALONE.test(address)) return false;
            const { $from, empty } = view.state.selection;
            if (!empty || $from.parent.type.name !== "paragraph" || $from.parent.content.size) {
              return false; // an address inside a sentence stays text
            }
            event.preventDefault();
            const before = view.state.doc;
            const start = $from.before();
            const end = $from.after();
            lookUp(lookupUrl, address).then(({ embed }) => {
              const { state } = view;
              const { schema } = state;
              let tr = state.tr;
              if (embed) {
                const node = embedType.create({
                  provider: embed.provider,
                  mediaId: embed.id,
                  href: embed.href,
                  label: embed.label,
                });
                if (state.doc.eq(before)) {
                  // The empty line becomes the embed, and the writer goes on below it.
                  const after = schema.nodes.paragraph.create();
                  tr = tr.replaceWith(start, end, [node, after]);
                  tr = tr.setSelection(state.selection.constructor.near(tr.doc.resolve(start + node.nodeSize + 1)));
                } else {
                  tr = tr.replaceSelectionWith(node);
                }
              } else {
                const link = schema.marks.link ? [schema.marks.link.create({ href: address })] : [];
                tr = tr.replaceSelectionWith(schema.text(address, link), false);
              }
              view.dispatch(tr.scrollIntoView());
            });
            return true;
          },
        },
      }),
    ];
  },
});
