// Notes on the script: ranges anchored by Yjs relative positions, shown as marked words and margin marks.
// The page gives the notes (id, start, end as base64 Y.encodeRelativePosition bytes); the ranges are
// resolved against the shared document after every change, so they follow edits made before or inside them.
import * as Y from "yjs";
import { RangeSet, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, GutterMarker, gutter } from "@codemirror/view";

const setNoteRanges = StateEffect.define();

class NoteMark extends GutterMarker {
  constructor(ids, resolved) {
    super();
    this.ids = ids;
    this.resolved = resolved;
  }
  eq(other) {
    return other.ids.join() === this.ids.join() && other.resolved === this.resolved;
  }
  toDOM() {
    const el = document.createElement("span");
    el.className = "fs-note-mark" + (this.resolved ? " fs-note-mark--resolved" : "");
    el.dataset.note = this.ids.join(" ");
    el.title = this.ids.length === 1 ? "A note on this line" : `${this.ids.length} notes on this line`;
    return el;
  }
}

// ranges: [{ id, from, to, resolved }], sorted by from.
function build(doc, ranges) {
  const marks = new RangeSetBuilder();
  const gutterMarks = new RangeSetBuilder();
  const byLine = new Map();
  for (const r of ranges) {
    const line = doc.lineAt(r.from).from;
    const entry = byLine.get(line) || { ids: [], resolved: true };
    entry.ids.push(r.id);
    entry.resolved = entry.resolved && r.resolved;
    byLine.set(line, entry);
  }
  const decorated = [];
  for (const r of ranges) {
    if (r.to > r.from) {
      const deco = Decoration.mark({
        class: "fs-note" + (r.resolved ? " fs-note--resolved" : ""),
        attributes: { "data-note": r.id },
      });
      decorated.push(deco.range(r.from, r.to));
    }
  }
  decorated.sort((a, b) => a.from - b.from || a.to - b.to);
  for (const d of decorated) marks.add(d.from, d.to, d.value);
  for (const [line, entry] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
    gutterMarks.add(line, line, new NoteMark(entry.ids, entry.resolved));
  }
  return { marks: marks.finish(), gutter: gutterMarks.finish() };
}

const notesField = StateField.define({
  create: () => ({ marks: Decoration.none, gutter: RangeSet.empty }),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setNoteRanges)) return build(tr.state.doc, e.value);
    if (!tr.docChanged) return value;
    // Until the ranges are read again from the shared document, they move with the change.
    return { marks: value.marks.map(tr.changes), gutter: value.gutter.map(tr.changes) };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.marks),
});

export function notesExtensions(onMarkClick) {
  return [
    notesField,
    gutter({
      class: "fs-note-gutter",
      markers: (view) => view.state.field(notesField).gutter,
      domEventHandlers: {
        mousedown(view, line, event) {
          const mark = event.target.closest && event.target.closest(".fs-note-mark");
          if (mark && onMarkClick) onMarkClick(mark.dataset.note.split(" ")[0]);
          return !!mark;
        },
      },
    }),
  ];
}

export function toBase64(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text) {
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** The notes controller of one editor: keeps the page's notes and redraws their ranges after every change. */
export function notesController(view, ydoc, ytext) {
  let notes = []; // [{ id, start: RelativePosition, end: RelativePosition, resolved }]
  let scheduled = false;

  const resolve = (rpos) => {
    const abs = Y.createAbsolutePositionFromRelativePosition(rpos, ydoc);
    return abs && abs.type === ytext ? abs.index : null;
  };
  const ranges = () => {
    const out = [];
    for (const n of notes) {
      const from = resolve(n.start);
      const to = resolve(n.end);
      if (from === null || to === null) continue;
      out.push({ id: n.id, from, to: Math.max(from, to), resolved: n.resolved });
    }
    return out.sort((a, b) => a.from - b.from || a.to - b.to);
  };
  const redraw = () => {
    scheduled = false;
    const length = view.state.doc.length;
    // The editor shows the shared text; a range past its end waits for the next change.
    const rs = ranges().filter((r) => r.to <= length);
    view.dispatch({ effects: setNoteRanges.of(rs) });
  };
  // Observers run inside the editor's own updates: the redraw waits for them to finish.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(redraw);
  };
  ytext.observe(schedule);

  return {
    set(list) {
      notes = [];
      for (const n of list || []) {
        try {
          notes.push({
            id: String(n.id),
            start: Y.decodeRelativePosition(fromBase64(n.start)),
            end: Y.decodeRelativePosition(fromBase64(n.end)),
            resolved: !!n.resolved,
          });
        } catch (e) {
          console.error("a note's anchors could not be read", n.id, e);
        }
      }
      schedule();
    },
    ranges() {
      const out = {};
      for (const r of ranges()) out[r.id] = [r.from, r.to];
      return out;
    },
    /** The selection's anchors: the start sticks to its first character, the end to its last. */
    selectionAnchors() {
      const { from, to } = view.state.selection.main;
      if (to <= from) return null;
      return {
        start: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(ytext, from, 0))),
        end: toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(ytext, to, -1))),
        quote: view.state.sliceDoc(from, to),
      };
    },
    reveal(id) {
      const r = ranges().find((x) => x.id === id);
      if (!r) return false;
      view.dispatch({ selection: { anchor: r.from, head: r.to }, effects: EditorView.scrollIntoView(r.from, { y: "center" }) });
      return true;
    },
    destroy() {
      ytext.unobserve(schedule);
    },
  };
}
