// The screenplay editor: CodeMirror 6 bound to a shared Yjs document over the project's socket.
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { yCollab, yUndoManagerKeymap } from "y-codemirror.next";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { fountainLanguage, fountainHighlight, scenesOf } from "./fountain.js";

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "15px", backgroundColor: "#fff" },
  ".cm-content": { fontFamily: "'Courier Prime', 'Courier New', Courier, monospace", padding: "1rem 0", caretColor: "#111" },
  ".cm-scroller": { overflow: "auto" },
  ".cm-gutters": { backgroundColor: "#fafaf9", color: "#9ca3af", border: "none" },
  ".cm-ySelectionInfo": { fontFamily: "system-ui, sans-serif", fontSize: "11px", opacity: 1, padding: "1px 4px" },
});

export function mount(element, options) {
  const ydoc = new Y.Doc();
  const ytext = ydoc.getText("fountain");
  const provider = new WebsocketProvider(options.wsUrl, options.room, ydoc, { connect: true });
  provider.awareness.setLocalStateField("user", {
    name: options.user.name,
    color: options.user.color,
    colorLight: options.user.color + "33",
  });
  const status = (s) => options.onStatus && options.onStatus(s);
  provider.on("status", (e) => status(e.status));
  provider.on("sync", (synced) => synced && status("synced"));

  const undoManager = new Y.UndoManager(ytext);
  const extensions = [
    lineNumbers(),
    drawSelection(),
    highlightActiveLine(),
    EditorView.lineWrapping,
    fountainLanguage,
    fountainHighlight,
    theme,
    keymap.of([...yUndoManagerKeymap, ...defaultKeymap, ...historyKeymap]),
    yCollab(ytext, provider.awareness, { undoManager }),
  ];
  if (options.readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false));
  const view = new EditorView({ state: EditorState.create({ doc: ytext.toString(), extensions }), parent: element });

  let lastScenes = "";
  const reportScenes = () => {
    if (!options.onScenes) return;
    const scenes = scenesOf(ytext.toString());
    const key = JSON.stringify(scenes);
    if (key !== lastScenes) { lastScenes = key; options.onScenes(scenes); }
  };
  ytext.observe(reportScenes);
  reportScenes();

  return {
    view, ydoc, provider, ytext,
    getText: () => ytext.toString(),
    scrollToLine(lineNumber) {
      const line = view.state.doc.line(Math.max(1, Math.min(lineNumber, view.state.doc.lines)));
      view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: "start" }) });
      view.focus();
    },
    insertAt(index, text) { ytext.insert(index, text); },
    destroy() { view.destroy(); provider.destroy(); ydoc.destroy(); },
  };
}

export { Y };
