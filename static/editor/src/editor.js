// The screenplay editor: CodeMirror 6 bound to a shared Yjs document (Y.Text "fountain"),
// synced over the y-websocket protocol (sync step 1/2 + update + awareness).
// Built into static/build/editor.js as the global `FilmstudioEditor` (see README.md).
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import { EditorState } from "@codemirror/state";
import {
  EditorView,
  keymap,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightSpecialChars,
  lineNumbers,
  placeholder as placeholderText,
} from "@codemirror/view";
import { defaultKeymap, indentWithTab } from "@codemirror/commands";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import {
  fountain,
  fountainLines,
  fountainTheme,
  classifyLines,
  scenesOf,
  scenesOfState,
  T,
  TYPE_NAMES,
} from "./fountain-language.js";
import { notesController, notesExtensions } from "./notes.js";

const STATUSES = new Set(["connecting", "connected", "disconnected", "synced"]);

function lighten(color) {
  // "#rrggbb" -> translucent selection background; anything else is left to y-codemirror.
  return /^#[0-9a-f]{6}$/i.test(color) ? color + "33" : undefined;
}

/**
 * Mounts a co-editing screenplay editor into `element`.
 *
 * @param {HTMLElement} element
 * @param {{
 *   wsUrl: string,              // ws:// or wss:// base; the socket opens at `${wsUrl}/${room}`
 *   room: string,
 *   readOnly?: boolean,
 *   user?: { name: string, color: string },
 *   onStatus?: (status: "connecting"|"connected"|"disconnected"|"synced") => void,
 *   onScenes?: (scenes: {line: number, heading: string}[]) => void,
 *   params?: Record<string, string>,   // extra query parameters on the socket URL
 *   lineNumbers?: boolean,
 *   placeholder?: string,
 *   onNoteClick?: (id: string) => void,   // a margin mark was clicked
 * }} options
 */
export function mount(element, options) {
  if (!element) throw new Error("FilmstudioEditor.mount: no element");
  if (!options || !options.wsUrl || options.room == null) throw new Error("FilmstudioEditor.mount: wsUrl and room are required");
  const readOnly = !!options.readOnly;
  const user = options.user || { name: "anonymous", color: "#6b7280" };

  const ydoc = new Y.Doc();
  const ytext = ydoc.getText("fountain");
  // connect: true and the default reconnect: whatever was typed offline is in the local doc and
  // goes out in the sync step 2 that answers the server's step 1 on reconnect.
  // disableBc: the server is the only path between tabs, so a viewer tab never takes edits
  // from another tab of the same browser, and tests with two pages exercise the real socket.
  const provider = new WebsocketProvider(options.wsUrl, String(options.room), ydoc, {
    connect: true,
    disableBc: true,
    params: options.params || {},
  });
  provider.awareness.setLocalStateField("user", {
    name: user.name,
    color: user.color,
    colorLight: lighten(user.color),
  });

  let lastStatus = null;
  const emitStatus = (s) => {
    if (!STATUSES.has(s) || s === lastStatus) return;
    lastStatus = s;
    if (options.onStatus) {
      try {
        options.onStatus(s);
      } catch (e) {
        console.error(e);
      }
    }
  };
  // After a drop, y-websocket retries with "connecting" events every few seconds; the page keeps
  // showing "disconnected" until a socket is open again.
  const onProviderStatus = (e) => {
    if (e.status === "connecting" && lastStatus === "disconnected") return;
    emitStatus(e.status);
  };
  const onProviderSync = (synced) => emitStatus(synced ? "synced" : provider.wsconnected ? "connected" : "disconnected");
  provider.on("status", onProviderStatus);
  provider.on("sync", onProviderSync);
  emitStatus(provider.wsconnected ? "connected" : "connecting");

  let lastScenes = null;
  const reportScenes = (state) => {
    if (!options.onScenes) return;
    const scenes = scenesOfState(state);
    const key = JSON.stringify(scenes);
    if (key === lastScenes) return;
    lastScenes = key;
    try {
      options.onScenes(scenes);
    } catch (e) {
      console.error(e);
    }
  };

  const undoManager = new Y.UndoManager(ytext);
  const extensions = [
    highlightSpecialChars(),
    drawSelection(),
    dropCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    EditorView.lineWrapping,
    fountain(),
    keymap.of([...yUndoManagerKeymap, ...searchKeymap, ...defaultKeymap, indentWithTab]),
    yCollab(ytext, provider.awareness, { undoManager }),
    EditorView.contentAttributes.of({ "aria-label": "Screenplay", spellcheck: "true", autocorrect: "off" }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) reportScenes(update.state);
    }),
    notesExtensions((id) => {
      if (options.onNoteClick) options.onNoteClick(id);
    }),
  ];
  if (options.lineNumbers) extensions.unshift(lineNumbers());
  if (options.placeholder) extensions.push(placeholderText(options.placeholder));
  if (readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));

  const view = new EditorView({
    state: EditorState.create({ doc: ytext.toString(), extensions }),
    parent: element,
  });
  element.dataset.readOnly = readOnly ? "1" : "0";
  const notes = notesController(view, ydoc, ytext);
  reportScenes(view.state);

  let destroyed = false;
  return {
    view,
    ydoc,
    ytext,
    provider,
    awareness: provider.awareness,
    undoManager,
    readOnly,
    getText: () => ytext.toString(),
    /** Puts the cursor at the start of 1-based line `lineNumber` and scrolls it to the top. */
    scrollToLine(lineNumber) {
      const doc = view.state.doc;
      const n = Math.max(1, Math.min(Math.floor(Number(lineNumber)) || 1, doc.lines));
      const line = doc.line(n);
      view.dispatch({
        selection: { anchor: line.from },
        effects: EditorView.scrollIntoView(line.from, { y: "start", yMargin: 8 }),
        scrollIntoView: false,
      });
      view.focus();
      return n;
    },
    /** Inserts text at a character index of the shared text (no-op on a read-only editor). */
    insertAt(index, text) {
      if (readOnly) return false;
      const at = Math.max(0, Math.min(Number(index) || 0, ytext.length));
      ytext.insert(at, String(text));
      return true;
    },
    /** Shows notes: [{ id, start, end, resolved }], anchors as base64 Yjs relative positions. */
    setNotes: (list) => notes.set(list),
    /** Where each note's words are now: { id: [from, to] } (editor positions). */
    noteRanges: () => notes.ranges(),
    /** Anchors of the selected words ({ start, end, quote }), or null when nothing is selected. */
    selectionAnchors: () => notes.selectionAnchors(),
    /** Selects a note's words and scrolls to them. */
    revealNote: (id) => notes.reveal(id),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      notes.destroy();
      provider.off("status", onProviderStatus);
      provider.off("sync", onProviderSync);
      view.destroy();
      undoManager.destroy();
      provider.destroy();
      ydoc.destroy();
    },
  };
}

export { Y, classifyLines, scenesOf, fountain, fountainLines, fountainTheme, T as lineTypes, TYPE_NAMES as lineTypeNames };
export const version = "1.2.0";
