"""The screenplay's CRDT document (Yjs-compatible, via pycrdt). No Django imports.

Browsers edit a Y.Text named "fountain" with Yjs; the server keeps the same document as a
snapshot plus a log of updates, and makes its own edits (import, restore, generated text) as
ordinary CRDT updates, so they merge with whatever people type at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable

from pycrdt import Doc, Text

TEXT_NAME = "fountain"


def load(snapshot: bytes, updates: Iterable[bytes] = ()) -> Doc:
    """A document from a snapshot and the updates after it (applying one twice is harmless)."""
    doc: Doc = Doc()
    doc.get(TEXT_NAME, type=Text)
    if snapshot:
        doc.apply_update(snapshot)
    for update in updates:
        doc.apply_update(update)
    return doc


def text_of(doc: Doc) -> str:
    return str(doc.get(TEXT_NAME, type=Text))


def snapshot_of(doc: Doc) -> bytes:
    return doc.get_update()


def _utf8_offset(text: str, index: int) -> int:
    # pycrdt's Text counts UTF-8 bytes, while Python (and people) count characters.
    return len(text[:index].encode("utf-8"))


# Texts are compared a block at a time (one C-level comparison each), then a character at a time
# inside the first block that differs: a 5 MB script took a second character by character.
_BLOCK = 4096


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    i = 0
    while i + _BLOCK <= limit and a[i : i + _BLOCK] == b[i : i + _BLOCK]:
        i += _BLOCK
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, start: int) -> int:
    """How many characters `a` and `b` share at their ends, leaving their first `start` alone."""
    limit = min(len(a), len(b)) - start
    n = 0
    while n + _BLOCK <= limit and a[len(a) - n - _BLOCK : len(a) - n] == b[len(b) - n - _BLOCK : len(b) - n]:
        n += _BLOCK
    while n < limit and a[len(a) - 1 - n] == b[len(b) - 1 - n]:
        n += 1
    return n


def replace_all(doc: Doc, new_text: str) -> bytes:
    """Make the document read `new_text` with the smallest edit; returns the update to share.

    Only the changed middle is deleted and inserted, so a concurrent edit elsewhere in the script
    survives the merge.
    """
    text = doc.get(TEXT_NAME, type=Text)
    old = str(text)
    if old == new_text:
        return b""
    start = _common_prefix(old, new_text)
    tail = _common_suffix(old, new_text, start)
    end_old, end_new = len(old) - tail, len(new_text) - tail
    before = doc.get_state()
    with doc.transaction():
        if end_old > start:
            del text[_utf8_offset(old, start) : _utf8_offset(old, end_old)]
        if end_new > start:
            text.insert(_utf8_offset(old, start), new_text[start:end_new])
    return doc.get_update(before)


def replace_spans(doc: Doc, edits: list[tuple[int, int, str]]) -> bytes:
    """Replace each (start, end) character span with its text, as one update (spans in order,
    not overlapping); text between the spans is never touched, so edits made there meanwhile merge."""
    if not edits:
        return b""
    text = doc.get(TEXT_NAME, type=Text)
    old = str(text)
    before = doc.get_state()
    with doc.transaction():
        for start, end, value in reversed(edits):  # from the end: earlier offsets stay valid
            if end > start:
                del text[_utf8_offset(old, start) : _utf8_offset(old, end)]
            if value:
                text.insert(_utf8_offset(old, start), value)
    return doc.get_update(before)


def insert(doc: Doc, index: int, value: str) -> bytes:
    """Insert `value` at character `index`; returns the update to share."""
    text = doc.get(TEXT_NAME, type=Text)
    before = doc.get_state()
    text.insert(_utf8_offset(str(text), index), value)
    return doc.get_update(before)


def append_sections(doc: Doc, headings: list[str]) -> tuple[bytes, list[bytes]]:
    """Append headings at the end, each followed by a blank line; returns the update and, per
    heading, an anchor where its body goes. Anchors follow concurrent edits (Yjs sticky indexes)."""
    from pycrdt import Assoc

    text = doc.get(TEXT_NAME, type=Text)
    old = str(text)
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    before = doc.get_state()
    position = len(old.encode("utf-8"))
    offsets: list[int] = []
    chunk = separator
    for heading in headings:
        chunk += f"{heading}\n"
        offsets.append(position + len(chunk.encode("utf-8")))
        chunk += "\n"
    text.insert(position, chunk)
    anchors = [text.sticky_index(offset, Assoc.AFTER).encode() for offset in offsets]
    return doc.get_update(before), anchors


def insert_at_anchor(doc: Doc, anchor: bytes, block: str) -> bytes:
    """Insert a block (as its own paragraph) where an anchor points now; returns the update."""
    from pycrdt import StickyIndex

    text = doc.get(TEXT_NAME, type=Text)
    index = StickyIndex.decode(anchor, text).get_index()
    before = doc.get_state()
    text.insert(index, f"\n{block}\n")
    return doc.get_update(before)


def utf16_to_index(text: str, offset: int) -> int:
    """A browser (UTF-16) offset as a Python character index."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def anchor_at(doc: Doc, index: int) -> bytes:
    """A sticky anchor at character `index`: text inserted there lands before what follows it."""
    from pycrdt import Assoc

    text = doc.get(TEXT_NAME, type=Text)
    return text.sticky_index(_utf8_offset(str(text), index), Assoc.AFTER).encode()


def range_text(doc: Doc, start: bytes, end: bytes) -> tuple[int, int, str]:
    """Where two anchors point now (UTF-8 offsets) and the text between them."""
    from pycrdt import StickyIndex

    text = doc.get(TEXT_NAME, type=Text)
    a = StickyIndex.decode(start, text).get_index()
    b = StickyIndex.decode(end, text).get_index()
    return a, b, str(text).encode("utf-8")[a:b].decode("utf-8", "replace")


def replace_range(doc: Doc, start: bytes, end: bytes, new: str) -> bytes:
    """Replace the text between two anchors; returns the update."""
    text = doc.get(TEXT_NAME, type=Text)
    a, b, _ = range_text(doc, start, end)
    before = doc.get_state()
    with doc.transaction():
        if b > a:
            del text[a:b]
        text.insert(a, new)
    return doc.get_update(before)


# --- notes: ranges anchored by Yjs relative positions -------------------------------------------------
# A relative position encodes as Y.encodeRelativePosition writes it (and pycrdt's StickyIndex.encode):
# varuint 0, client, clock (an item) or varuint 1, varstring name (the text's start or end), then
# varint assoc. pycrdt panics on bytes it can't decode or an item it lacks, so anchors from browsers
# are checked here first.


def _varuint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated number")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise ValueError("truncated number")
    byte = data[pos]
    value, negative, pos = byte & 0x3F, bool(byte & 0x40), pos + 1
    if byte & 0x80:
        rest, pos = _varuint(data, pos)
        value |= rest << 6
    return (-value if negative else value), pos


def _state(doc: Doc) -> dict[int, int]:
    """The document's state vector: per client, how many of its items the document has."""
    data = doc.get_state()
    count, pos = _varuint(data, 0)
    state: dict[int, int] = {}
    for _ in range(count):
        client, pos = _varuint(data, pos)
        state[client], pos = _varuint(data, pos)
    return state


def anchor_problem(doc: Doc, anchor: bytes) -> str | None:
    """Why an anchor can't be used on this document (None when it can)."""
    if not anchor or len(anchor) > 64:
        return "it is not an encoded relative position"
    try:
        kind, pos = _varuint(anchor, 0)
        if kind == 0:
            client, pos = _varuint(anchor, pos)
            clock, pos = _varuint(anchor, pos)
            if clock >= _state(doc).get(client, 0):
                return "it points at text the server has not received yet"
        elif kind == 1:
            length, pos = _varuint(anchor, pos)
            name = anchor[pos : pos + length].decode("utf-8")
            pos += length
            if name != TEXT_NAME:
                return "it points into another document"
        else:
            return "it is not a position in the script's text"
        _, pos = _varint(anchor, pos)
    except (ValueError, UnicodeDecodeError):
        return "it is not an encoded relative position"
    return None if pos == len(anchor) else "it has bytes after the position"


def note_anchors(doc: Doc, start: int, end: int) -> tuple[bytes, bytes]:
    """Anchors for the characters [start, end): the start sticks to the range's first character and
    the end to its last, so typing before the range moves it and typing inside it grows it."""
    from pycrdt import Assoc

    text = doc.get(TEXT_NAME, type=Text)
    value = str(text)
    start = max(0, min(start, len(value)))
    end = max(start, min(end, len(value)))
    # pycrdt can't stick "after" the very end of the text: an empty range there sticks to what is before it.
    head = Assoc.AFTER if start < len(value) else Assoc.BEFORE
    return (
        text.sticky_index(_utf8_offset(value, start), head).encode(),
        text.sticky_index(_utf8_offset(value, end), Assoc.BEFORE).encode(),
    )


def note_ranges(doc: Doc, anchors: Iterable[tuple[bytes, bytes]]) -> list[tuple[int, int] | None]:
    """Where each (start, end) pair points now, as character indices; None for a pair it can't read."""
    from pycrdt import StickyIndex

    text = doc.get(TEXT_NAME, type=Text)
    encoded = str(text).encode("utf-8")
    ranges: list[tuple[int, int] | None] = []
    for start, end in anchors:
        if anchor_problem(doc, start) or anchor_problem(doc, end):
            ranges.append(None)
            continue
        a, b = (StickyIndex.decode(x, text).get_index() for x in (start, end))
        a_chars = len(encoded[:a].decode("utf-8", "replace"))
        b_chars = len(encoded[:b].decode("utf-8", "replace"))
        ranges.append((a_chars, max(a_chars, b_chars)))
    return ranges
