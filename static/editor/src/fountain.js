// Fountain highlighting for CodeMirror 6: a line-based StreamLanguage (Fountain is line-oriented).
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const HEADING = /^(\.(?!\.)|(INT|EXT|EST|INT\.?\/EXT|INT\/EXT|I\/E)[.\s])/i;
const TRANSITION = /^(>(?!.*<\s*$)|[A-Z\s]+TO:\s*$)/;
const CENTERED = /^>.*<\s*$/;
const CHARACTER = /^(@.+|[^a-z]*[A-Z][^a-z]*(\(.*\))?\s*\^?)$/;
const TITLE_KEY = /^(Title|Credit|Author|Authors|Source|Draft date|Date|Contact|Copyright|Notes|Revision):/i;

export const fountainLanguage = StreamLanguage.define({
  name: "fountain",
  startState: () => ({ prevBlank: true, inDialogue: false, inBoneyard: false, inNote: false, line: 0 }),
  copyState: (s) => ({ ...s }),
  blankLine: (s) => { s.prevBlank = true; s.inDialogue = false; s.line += 1; },
  token(stream, state) {
    if (state.inBoneyard) {
      if (stream.skipTo("*/")) { stream.pos += 2; state.inBoneyard = false; } else stream.skipToEnd();
      return "comment";
    }
    if (state.inNote) {
      if (stream.skipTo("]]")) { stream.pos += 2; state.inNote = false; } else stream.skipToEnd();
      return "comment";
    }
    if (stream.match("/*")) { state.inBoneyard = true; return "comment"; }
    if (stream.match("[[")) { state.inNote = true; return "comment"; }
    if (!stream.sol()) {
      stream.next();
      return state.inDialogue ? "string" : null;
    }
    const line = stream.string;
    const wasBlank = state.prevBlank;
    state.prevBlank = false;
    state.line += 1;
    let style = null;
    if (state.line <= 12 && TITLE_KEY.test(line) && !state.inDialogue) style = "meta";
    else if (/^={3,}\s*$/.test(line)) style = "contentSeparator";
    else if (/^#/.test(line)) style = "heading";
    else if (/^=(?!=)/.test(line)) style = "quote";
    else if (wasBlank && HEADING.test(line)) style = "keyword";
    else if (CENTERED.test(line)) style = "emphasis";
    else if (wasBlank && TRANSITION.test(line)) style = "operator";
    else if (/^~/.test(line)) style = "emphasis";
    else if (/^!/.test(line)) style = null;
    else if (wasBlank && CHARACTER.test(line) && /[A-Z]/.test(line)) { style = "typeName"; state.inDialogue = true; }
    else if (state.inDialogue && /^\s*\(.*\)\s*$/.test(line)) style = "attributeName";
    else if (state.inDialogue) style = "string";
    if (line.includes("[[") || line.includes("/*")) {
      // Let the note/boneyard branches see their openers on this line.
      const at = Math.min(...["[[", "/*"].map((m) => (line.indexOf(m) >= 0 ? line.indexOf(m) : Infinity)));
      if (at > 0) { stream.pos = at; return style; }
      stream.pos = 0;
      if (stream.match("[[")) { state.inNote = true; return "comment"; }
      if (stream.match("/*")) { state.inBoneyard = true; return "comment"; }
    }
    stream.skipToEnd();
    return style;
  },
});

export const fountainHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.keyword, fontWeight: "bold", textDecoration: "underline", color: "#1d1f23" },
    { tag: t.typeName, fontWeight: "bold", color: "#7c2d12" },
    { tag: t.string, color: "#1e3a8a" },
    { tag: t.attributeName, color: "#4b5563", fontStyle: "italic" },
    { tag: t.operator, color: "#6b21a8", fontWeight: "bold" },
    { tag: t.comment, color: "#15803d", fontStyle: "italic" },
    { tag: t.heading, color: "#b4451f", fontWeight: "bold" },
    { tag: t.quote, color: "#6b7280", fontStyle: "italic" },
    { tag: t.meta, color: "#0f766e" },
    { tag: t.emphasis, fontStyle: "italic" },
    { tag: t.contentSeparator, color: "#9ca3af" },
  ])
);

// Scene headings with their 1-based line numbers, for the scene navigator.
export function scenesOf(text) {
  const scenes = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const prevBlank = i === 0 || lines[i - 1].trim() === "";
    if (prevBlank && HEADING.test(lines[i])) scenes.push({ line: i + 1, heading: lines[i].replace(/^\./, "").trim() });
  }
  return scenes;
}
