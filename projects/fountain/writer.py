"""Fountain text from the model, written so that it parses back to the same elements."""

from __future__ import annotations

from projects.fountain.model import (
    BONEYARD,
    CENTERED,
    CHARACTER,
    DIALOGUE,
    LYRICS,
    NOTE,
    PAGE_BREAK,
    PARENTHETICAL,
    SCENE_HEADING,
    SECTION,
    SYNOPSIS,
    TRANSITION,
    Element,
    Script,
)
from projects.fountain.parser import HEADING, TITLE_KEY, TRANSITION_RE, _is_character

SPEECH = (PARENTHETICAL, DIALOGUE)


def write(script: Script) -> str:
    """Fountain source for a script."""
    blocks: list[str] = []
    if script.title_page:
        lines = []
        for key, value in script.title_page:
            parts = value.split("\n") if value else []
            if len(parts) == 1:
                lines.append(f"{key}: {parts[0]}")
            else:
                lines.append(f"{key}:")
                lines += [f"    {p}" for p in parts]
        blocks.append("\n".join(lines))
    current: list[str] = []
    for element in script.elements:
        if element.kind in SPEECH and current:
            current.append(_speech(element))
            continue
        if current:
            blocks.append("\n".join(current))
            current = []
        if element.kind == CHARACTER:
            current = [_cue(element)]
        else:
            blocks.append(_element(element))
    if current:
        blocks.append("\n".join(current))
    return "\n\n".join(blocks) + "\n"


def _speech(element: Element) -> str:
    if element.kind == PARENTHETICAL:
        return element.text
    # Blank lines inside a speech are written as two spaces, which keeps the speech together.
    return "\n".join(line if line.strip() else "  " for line in element.text.split("\n"))


def _cue(element: Element) -> str:
    text = element.text + (" ^" if element.dual else "")
    # "@" also keeps a cue that starts like another element (a section, a note, "TITLE:" at the top
    # of the script) from reading as that element.
    plain = (
        _is_character(text)
        and not text.startswith(("@", "!", "/*", "[[", "#", "=", ">", "~"))
        and TITLE_KEY.match(text) is None
        and text == text.strip()
    )
    return text if plain else "@" + text


def _element(element: Element) -> str:
    kind, text = element.kind, element.text
    if kind == SCENE_HEADING:
        number = f" #{element.scene_number}#" if element.scene_number else ""
        if HEADING.match(text):
            return text + number
        return (". " if text.startswith(".") else ".") + text + number  # ".." would not force a heading
    if kind == TRANSITION:
        return text if TRANSITION_RE.match(text) else "> " + text
    if kind == CENTERED:
        return "\n".join(f"> {line} <" for line in text.split("\n"))
    if kind == LYRICS:
        return "\n".join(f"~{line}" for line in text.split("\n"))
    if kind == PAGE_BREAK:
        return "==="
    if kind == SECTION:
        return "#" * max(1, element.depth) + " " + text
    if kind == SYNOPSIS:
        return "= " + text
    if kind == NOTE:
        return f"[[{text}]]"
    if kind == BONEYARD:
        return f"/*{text}*/"
    if kind in SPEECH:  # a speech with no cue before it: keep its words as action
        return _action(text)
    return _action(text)


def _action(text: str) -> str:
    lines = text.split("\n")
    first = lines[0].strip()
    # Force with "!" whenever the first line would read back as anything but action.
    needs_force = (
        not first
        or HEADING.match(first) is not None
        or first.startswith((".", "!", "@", "#", "=", ">", "~", "[[", "/*"))
        or TRANSITION_RE.match(first) is not None
        or (len(lines) > 1 and _is_character(first))
        or TITLE_KEY.match(first) is not None
    )
    body = "\n".join(line if line.strip() else "  " for line in lines)
    return "!" + body if needs_force else body
