// Fountain (https://fountain.io/syntax) for CodeMirror 6, without a Lezer grammar.
//
// Fountain is line-oriented but needs one line of look-ahead (a character cue is an all-caps
// line *followed* by dialogue; a transition is followed by a blank line), which CodeMirror's
// StreamLanguage cannot see. So the whole document is classified line by line in a StateField
// (a few milliseconds for a feature-length script), and a ViewPlugin decorates only the visible
// lines: a line class per element (scene heading, character, dialogue...) plus inline marks
// (notes, boneyard, emphasis, markup characters).

import { StateField } from "@codemirror/state";
import { Decoration, EditorView, ViewPlugin } from "@codemirror/view";
import { foldService, codeFolding, foldGutter, foldKeymap } from "@codemirror/language";
import { keymap } from "@codemirror/view";

export const T = Object.freeze({
  BLANK: 0,
  ACTION: 1,
  SCENE: 2,
  CHARACTER: 3,
  PARENTHETICAL: 4,
  DIALOGUE: 5,
  TRANSITION: 6,
  CENTERED: 7,
  SECTION: 8,
  SYNOPSIS: 9,
  PAGE_BREAK: 10,
  TITLE_KEY: 11,
  TITLE_VALUE: 12,
  LYRIC: 13,
  NOTE: 14,
  BONEYARD: 15,
});

// CSS class suffix per type: the line gets `fs-line fs-<name>`.
export const TYPE_NAMES = [
  "blank", "action", "scene-heading", "character", "parenthetical", "dialogue", "transition",
  "centered", "section", "synopsis", "page-break", "title-key", "title-value", "lyric", "note",
  "boneyard",
];

// Flags: the line starts inside a multi-line note / boneyard.
const IN_NOTE = 1;
const IN_BONEYARD = 2;

const SCENE_RE = /^(?:INT\.?\/EXT|INT\/EXT|I\/E|INT|EXT|EST)[.\s]/i;
const FORCED_SCENE_RE = /^\.[A-Za-z0-9]/;
const TITLE_KEY_RE = /^[A-Za-z][A-Za-z0-9 _-]*:/;
const TRANSITION_RE = /^[^a-z]*TO:$/;
const CENTERED_RE = /^>.*<$/;
const PAGE_BREAK_RE = /^={3,}$/;
const PARENTHETICAL_RE = /^\(.*\)$/;

// Removes notes and boneyard from one line, tracking the ones that run across lines.
// Returns [textWithoutComments, flagsAtEndOfLine].
function stripComments(line, flags) {
  let out = "";
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (flags & IN_BONEYARD) {
      const end = line.indexOf("*/", i);
      if (end < 0) return [out, flags];
      i = end + 2;
      flags &= ~IN_BONEYARD;
    } else if (flags & IN_NOTE) {
      const end = line.indexOf("]]", i);
      if (end < 0) return [out, flags];
      i = end + 2;
      flags &= ~IN_NOTE;
    } else {
      const b = line.indexOf("/*", i);
      const no = line.indexOf("[[", i);
      if (b < 0 && no < 0) {
        out += line.slice(i);
        break;
      }
      if (no < 0 || (b >= 0 && b < no)) {
        out += line.slice(i, b);
        i = b + 2;
        flags |= IN_BONEYARD;
      } else {
        out += line.slice(i, no);
        i = no + 2;
        flags |= IN_NOTE;
      }
    }
  }
  return [out, flags];
}

function isCharacterCue(text) {
  // "JOHN", "JOHN (V.O.)", "JOHN (cont'd) ^", "DR. NO": upper case before any extension.
  let name = text.replace(/\^\s*$/, "").trimEnd();
  const paren = name.indexOf("(");
  if (paren === 0) return false;
  if (paren > 0) name = name.slice(0, paren);
  return /[A-Z]/.test(name) && !/[a-z]/.test(name);
}

/**
 * Classifies every line of a Fountain document.
 * @param {string[]} lines
 * @returns {{types: Uint8Array, flags: Uint8Array}} per line: its element type (T) and whether
 *   it starts inside a note or boneyard (for inline decoration).
 */
export function classifyLines(lines) {
  const n = lines.length;
  const types = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const texts = new Array(n);
  const onlyComment = new Uint8Array(n); // 1: note only, 2: boneyard only
  let f = 0;
  for (let i = 0; i < n; i++) {
    flags[i] = f;
    const raw = lines[i];
    const [text, after] = stripComments(raw, f);
    texts[i] = text;
    if (text.trim() === "" && raw.trim() !== "") {
      onlyComment[i] = (f & IN_BONEYARD) || raw.trimStart().startsWith("/*") ? 2 : 1;
    }
    f = after;
  }

  const blankAt = (i) => i >= n || (texts[i].trim() === "" && !onlyComment[i]);

  let prevBlank = true;
  let dialogue = false;
  let titlePage = n > 0 && TITLE_KEY_RE.test(texts[0]) && !onlyComment[0];
  for (let i = 0; i < n; i++) {
    const raw = lines[i];
    const text = texts[i].trimEnd();
    const t = text.trimStart();

    if (onlyComment[i]) {
      // Notes and boneyard are invisible to the surrounding structure.
      types[i] = onlyComment[i] === 2 ? T.BONEYARD : T.NOTE;
      continue;
    }
    if (t === "") {
      if (dialogue && /^ {2,}$/.test(raw)) {
        types[i] = T.DIALOGUE; // "  " keeps a dialogue block going
        continue;
      }
      types[i] = T.BLANK;
      prevBlank = true;
      dialogue = false;
      titlePage = false;
      continue;
    }
    if (titlePage) {
      types[i] = TITLE_KEY_RE.test(t) && !/^\s/.test(text) ? T.TITLE_KEY : T.TITLE_VALUE;
      prevBlank = false;
      continue;
    }

    const nextBlank = blankAt(i + 1);
    let type;
    if (dialogue) {
      type = PARENTHETICAL_RE.test(t) ? T.PARENTHETICAL : t.startsWith("~") ? T.LYRIC : T.DIALOGUE;
    } else if (PAGE_BREAK_RE.test(t)) type = T.PAGE_BREAK;
    else if (t.startsWith("#")) type = T.SECTION;
    else if (t.startsWith("=")) type = T.SYNOPSIS;
    else if (t.startsWith("!")) type = T.ACTION;
    else if (CENTERED_RE.test(t)) type = T.CENTERED;
    else if (t.startsWith(">")) type = T.TRANSITION;
    else if (t.startsWith("~")) type = T.LYRIC;
    else if (t.startsWith("@")) {
      type = T.CHARACTER;
      dialogue = true;
    } else if (prevBlank && (FORCED_SCENE_RE.test(t) || SCENE_RE.test(t))) type = T.SCENE;
    else if (prevBlank && nextBlank && TRANSITION_RE.test(t)) type = T.TRANSITION;
    else if (prevBlank && !nextBlank && isCharacterCue(t)) {
      type = T.CHARACTER;
      dialogue = true;
    } else type = T.ACTION;
    types[i] = type;
    prevBlank = false;
  }
  return { types, flags };
}

function docLines(doc) {
  const lines = new Array(doc.lines);
  let i = 0;
  for (const iter = doc.iterLines(); !iter.next().done; ) lines[i++] = iter.value;
  return lines;
}

/** The heading text shown for a scene-heading line (no forcing dot, no scene number). */
export function sceneHeadingText(line) {
  return stripComments(line, 0)[0]
    .trim()
    .replace(/^\.(?=[A-Za-z0-9])/, "")
    .replace(/\s*#[^#\s]+#\s*$/, "")
    .trim();
}

/** Scene headings with their 1-based line numbers, for a scene navigator. */
export function scenesOf(textOrLines, classified) {
  const lines = Array.isArray(textOrLines) ? textOrLines : textOrLines.split("\n");
  const { types } = classified || classifyLines(lines);
  const scenes = [];
  for (let i = 0; i < lines.length; i++) {
    if (types[i] === T.SCENE) scenes.push({ line: i + 1, heading: sceneHeadingText(lines[i]) });
  }
  return scenes;
}

/** The classification of the current document, recomputed when it changes. */
export const fountainLines = StateField.define({
  create(state) {
    return classifyLines(docLines(state.doc));
  },
  update(value, tr) {
    return tr.docChanged ? classifyLines(docLines(tr.state.doc)) : value;
  },
});

/** Scene headings of an EditorState, from the shared classification. */
export function scenesOfState(state) {
  const { types } = state.field(fountainLines);
  const scenes = [];
  for (let i = 0; i < types.length; i++) {
    if (types[i] === T.SCENE) scenes.push({ line: i + 1, heading: sceneHeadingText(state.doc.line(i + 1).text) });
  }
  return scenes;
}

// ---- inline marks -------------------------------------------------------------------------

const lineDecos = TYPE_NAMES.map((name) => Decoration.line({ class: `fs-line fs-${name}` }));
const mark = (cls) => Decoration.mark({ class: cls });
const M = {
  note: mark("fs-note"),
  boneyard: mark("fs-boneyard"),
  markup: mark("fs-markup"),
  italic: mark("fs-italic"),
  bold: mark("fs-bold"),
  boldItalic: mark("fs-bold fs-italic"),
  underline: mark("fs-underline"),
  sceneNumber: mark("fs-scene-number"),
  extension: mark("fs-extension"),
  titleKey: mark("fs-title-key-name"),
};

// Emphasis inside one stretch of plain text. Backslash escapes * and _.
const STAR_RE = /(\\[*_])|(\*{1,3})(?=\S)(.+?)(?<=[^\s\\])\2(?!\*)/g;
const UNDERLINE_RE = /(\\[*_])|_(?=\S)(.+?)(?<=[^\s\\])_/g;

function emphasis(text, offset, out) {
  let m;
  STAR_RE.lastIndex = 0;
  while ((m = STAR_RE.exec(text))) {
    if (m[1]) continue;
    const from = offset + m.index;
    const len = m[2].length;
    const to = from + m[0].length;
    out.push(M.markup.range(from, from + len), M.markup.range(to - len, to));
    out.push((len === 3 ? M.boldItalic : len === 2 ? M.bold : M.italic).range(from + len, to - len));
  }
  UNDERLINE_RE.lastIndex = 0;
  while ((m = UNDERLINE_RE.exec(text))) {
    if (m[1]) continue;
    const from = offset + m.index;
    const to = from + m[0].length;
    out.push(M.markup.range(from, from + 1), M.markup.range(to - 1, to));
    out.push(M.underline.range(from + 1, to - 1));
  }
}

// Decorations for one line: comments first, then markup and emphasis in the plain stretches.
function lineMarks(text, from, type, flags, out) {
  const plain = []; // [start, end) stretches outside notes/boneyard
  let i = 0;
  let f = flags;
  const n = text.length;
  while (i < n) {
    if (f & (IN_BONEYARD | IN_NOTE)) {
      const close = f & IN_BONEYARD ? "*/" : "]]";
      const end = text.indexOf(close, i);
      const stop = end < 0 ? n : end + 2;
      if (stop > i) out.push((f & IN_BONEYARD ? M.boneyard : M.note).range(from + i, from + stop));
      if (end < 0) return plain;
      f = 0;
      i = stop;
    } else {
      const b = text.indexOf("/*", i);
      const no = text.indexOf("[[", i);
      let at = n;
      if (b >= 0) at = b;
      if (no >= 0 && no < at) at = no;
      if (at > i) plain.push([i, at]);
      if (at === n) break;
      f = at === b ? IN_BONEYARD : IN_NOTE;
      i = at;
      // the opener is part of the comment mark; skip it so "/*/" isn't read as open+close
      const close = f & IN_BONEYARD ? "*/" : "]]";
      const end = text.indexOf(close, i + 2);
      const stop = end < 0 ? n : end + 2;
      out.push((f & IN_BONEYARD ? M.boneyard : M.note).range(from + i, from + stop));
      if (end < 0) return plain;
      f = 0;
      i = stop;
    }
  }

  if (!plain.length) return plain;
  const [s0] = plain[0];
  const lead = text.slice(s0).match(/^\s*/)[0].length + s0;
  const first = text[lead];
  const markAt = (pos, len = 1) => out.push(M.markup.range(from + pos, from + pos + len));

  switch (type) {
    case T.SCENE: {
      if (first === ".") markAt(lead);
      const num = /#[^#\s]+#\s*$/.exec(text);
      if (num) out.push(M.sceneNumber.range(from + num.index, from + num.index + num[0].trimEnd().length));
      break;
    }
    case T.CHARACTER: {
      if (first === "@") markAt(lead);
      const ext = text.indexOf("(", lead);
      if (ext > 0) {
        const close = text.indexOf(")", ext);
        out.push(M.extension.range(from + ext, from + (close < 0 ? text.length : close + 1)));
      }
      const caret = /\^\s*$/.exec(text);
      if (caret) markAt(caret.index);
      break;
    }
    case T.CENTERED: {
      markAt(lead);
      const close = text.lastIndexOf("<");
      if (close > lead) markAt(close);
      break;
    }
    case T.TRANSITION:
      if (first === ">") markAt(lead);
      break;
    case T.SECTION: {
      const hashes = /^#+/.exec(text.slice(lead))[0].length;
      markAt(lead, hashes);
      break;
    }
    case T.SYNOPSIS:
    case T.LYRIC:
      markAt(lead);
      break;
    case T.ACTION:
      if (first === "!") markAt(lead);
      break;
    case T.TITLE_KEY: {
      const colon = text.indexOf(":", lead);
      if (colon > 0) out.push(M.titleKey.range(from + lead, from + colon + 1));
      break;
    }
    default:
      break;
  }
  if (type !== T.PAGE_BREAK && type !== T.SECTION) {
    for (const [s, e] of plain) emphasis(text.slice(s, e), from + s, out);
  }
  return plain;
}

function buildDecorations(view) {
  const { state } = view;
  const { types, flags } = state.field(fountainLines);
  const out = [];
  for (const { from, to } of view.visibleRanges) {
    let pos = from;
    while (pos <= to) {
      const line = state.doc.lineAt(pos);
      const idx = line.number - 1;
      const type = types[idx];
      if (type !== T.BLANK) {
        out.push(lineDecos[type].range(line.from));
        if (line.length) lineMarks(line.text, line.from, type, flags[idx], out);
      }
      if (line.to >= state.doc.length) break;
      pos = line.to + 1;
    }
  }
  return Decoration.set(out, true);
}

const fountainHighlighter = ViewPlugin.fromClass(
  class {
    constructor(view) {
      this.decorations = buildDecorations(view);
    }
    update(update) {
      if (update.docChanged || update.viewportChanged) this.decorations = buildDecorations(update.view);
    }
  },
  { decorations: (v) => v.decorations },
);

// Fold a scene (heading to the line before the next heading or section) or a section.
const sceneFolding = foldService.of((state, lineStart) => {
  const { types } = state.field(fountainLines);
  const line = state.doc.lineAt(lineStart);
  const type = types[line.number - 1];
  if (type !== T.SCENE && type !== T.SECTION) return null;
  const depth = type === T.SECTION ? /^\s*(#+)/.exec(line.text)[1].length : 0;
  let last = line.number;
  for (let i = line.number; i < types.length; i++) {
    const ti = types[i];
    if (ti === T.SECTION) {
      if (type === T.SCENE || /^\s*(#+)/.exec(state.doc.line(i + 1).text)[1].length <= depth) break;
    } else if (ti === T.SCENE && type === T.SCENE) break;
    if (ti !== T.BLANK) last = i + 1;
  }
  if (last === line.number) return null;
  return { from: line.to, to: state.doc.line(last).to };
});

const screenplayFont = "'Courier Prime', 'Courier Final Draft', 'Courier New', Courier, 'Nimbus Mono PS', 'Liberation Mono', monospace";

/** A light theme that reads like a screenplay page. */
export const fountainTheme = EditorView.theme({
  "&": { backgroundColor: "#fff", color: "#111", fontSize: "15px", height: "100%" },
  ".cm-scroller": { fontFamily: screenplayFont, lineHeight: "1.45", overflow: "auto" },
  // 60 characters of action per line, as on a Courier 12pt page; the lines keep 1.5ch padding.
  ".cm-content": { fontFamily: screenplayFont, padding: "1.5rem 0 40vh", maxWidth: "63ch", caretColor: "#111" },
  ".cm-line": { padding: "0 1.5ch" },
  ".cm-gutters": { backgroundColor: "#fff", color: "#b6b6b6", border: "none" },
  ".cm-activeLine": { backgroundColor: "#f7f7f4" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "#cfe3ff" },
  ".cm-ySelectionInfo": { fontFamily: "system-ui, sans-serif", fontSize: "11px", opacity: 1, padding: "1px 4px" },

  ".fs-scene-heading": { fontWeight: "bold", backgroundColor: "#f3f4f6" },
  ".fs-scene-number": { color: "#6b7280", fontWeight: "normal" },
  // Indents from the action margin as on the page: character 22ch, parenthetical 16ch, dialogue 10ch (35 wide).
  ".fs-character": { paddingLeft: "calc(1.5ch + 22ch)", fontWeight: "bold" },
  ".fs-extension": { fontWeight: "normal" },
  ".fs-parenthetical": { paddingLeft: "calc(1.5ch + 16ch)", paddingRight: "calc(1.5ch + 20ch)", color: "#4b5563" },
  ".fs-dialogue": { paddingLeft: "calc(1.5ch + 10ch)", paddingRight: "calc(1.5ch + 15ch)" },
  ".fs-lyric": { paddingLeft: "calc(1.5ch + 10ch)", fontStyle: "italic" },
  ".fs-transition": { textAlign: "right", fontWeight: "bold" },
  ".fs-centered": { textAlign: "center" },
  ".fs-section": { color: "#9a3412", fontWeight: "bold", fontFamily: "system-ui, sans-serif" },
  ".fs-synopsis": { color: "#6b7280", fontStyle: "italic", fontFamily: "system-ui, sans-serif" },
  ".fs-page-break": { color: "#9ca3af", textAlign: "center", letterSpacing: "0.3em" },
  ".fs-title-key, .fs-title-value": { color: "#374151" },
  ".fs-title-key-name": { fontWeight: "bold", color: "#0f766e" },
  ".fs-note": { color: "#166534", backgroundColor: "#ecfdf5", fontFamily: "system-ui, sans-serif", fontSize: "0.9em" },
  ".fs-boneyard": { color: "#9ca3af", textDecoration: "line-through" },
  ".fs-markup": { color: "#9ca3af", fontWeight: "normal" },
  ".fs-italic": { fontStyle: "italic" },
  ".fs-bold": { fontWeight: "bold" },
  ".fs-underline": { textDecoration: "underline" },
});

/**
 * Everything Fountain: classification, line/inline decorations, theme, and scene folding.
 * @param {{ theme?: boolean, folding?: boolean }} [options]
 */
export function fountain({ theme = true, folding = true } = {}) {
  const ext = [fountainLines, fountainHighlighter];
  if (theme) ext.push(fountainTheme);
  if (folding) ext.push(sceneFolding, codeFolding(), foldGutter(), keymap.of(foldKeymap));
  return ext;
}
