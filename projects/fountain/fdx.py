"""Final Draft (.fdx) import and export. Parsing goes through defusedxml (no entity expansion)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from projects.fountain.emphasis import BOLD, ITALIC, UNDERLINE, fountain_of, plain_runs
from projects.fountain.errors import ScreenplayImportError
from projects.fountain.model import (
    ACTION,
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
from projects.fountain.parser import parse

# Characters XML 1.0 cannot carry; a screenplay never needs them.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TO_FDX = {
    SCENE_HEADING: "Scene Heading",
    ACTION: "Action",
    CHARACTER: "Character",
    PARENTHETICAL: "Parenthetical",
    DIALOGUE: "Dialogue",
    TRANSITION: "Transition",
    CENTERED: "Action",
}
FROM_FDX = {
    "Scene Heading": SCENE_HEADING,
    "Action": ACTION,
    "Character": CHARACTER,
    "Parenthetical": PARENTHETICAL,
    "Dialogue": DIALOGUE,
    "Transition": TRANSITION,
    "Shot": ACTION,
}
# Fountain-only elements travel through Final Draft as General paragraphs holding their Fountain
# source, so Fountain -> FDX -> Fountain keeps them; Final Draft shows them as plain text.
FOUNTAIN_ONLY = (LYRICS, SECTION, SYNOPSIS, NOTE, BONEYARD)


FDX_STYLES = {BOLD, ITALIC, UNDERLINE}


def _paragraph_text(paragraph: ET.Element) -> str:
    # Final Draft keeps emphasis as Style="Bold+Underline" on runs of text; Fountain as * ** _ marks.
    parts = [
        (node.text or "", frozenset(s for s in node.get("Style", "").split("+") if s in FDX_STYLES))
        for node in paragraph.findall("Text")
    ]
    return fountain_of(parts)


def _set_text(paragraph: ET.Element, text: str) -> None:
    parts = plain_runs(text) or [("", frozenset())]
    for run, styles in parts:
        node = ET.SubElement(paragraph, "Text")
        node.text = run
        if styles:
            node.set("Style", "+".join(sorted(styles)))


def read_fdx(data: bytes) -> Script:
    """Parse Final Draft XML into the model."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ScreenplayImportError(
            "The file declares XML entities, which screenplays never need; it was refused for safety."
        ) from exc
    except ET.ParseError as exc:
        raise ScreenplayImportError(f"The Final Draft file is not well-formed XML ({exc}).") from exc
    if root.tag != "FinalDraft":
        raise ScreenplayImportError("This XML file is not a Final Draft screenplay (no <FinalDraft> root).")
    script = Script(title_page=_title_page(root))
    content = root.find("Content")
    for paragraph in content.findall("Paragraph") if content is not None else []:
        if paragraph.get("StartsNewPage") == "Yes":
            script.elements.append(Element(PAGE_BREAK, ""))
        dual = paragraph.find("DualDialogue")
        if dual is not None:
            inner_elements = [e for e in (_element(p) for p in dual.findall("Paragraph")) if e is not None]
            cues = [e for e in inner_elements if e.kind == CHARACTER]
            # The second speaker carries Fountain's ^; a lone speaker in the pair (ours) keeps it too.
            if cues:
                cues[-1].dual = True
            script.elements.extend(inner_elements)
            continue
        element = _element(paragraph)
        if element is None:
            continue
        previous = script.elements[-1] if script.elements else None
        if element.kind == DIALOGUE and previous is not None and previous.kind == DIALOGUE:
            # Final Draft often keeps each line of a speech as its own paragraph; Fountain has one speech.
            previous.text += "\n" + element.text
        else:
            script.elements.append(element)
    return script


def _element(paragraph: ET.Element) -> Element | None:
    kind_name = paragraph.get("Type", "Action")
    text = _paragraph_text(paragraph).replace("\r", "").strip("\n")
    if kind_name == "General":
        special = parse(text).elements
        if len(special) == 1 and special[0].kind in FOUNTAIN_ONLY:
            return special[0]
        return Element(ACTION, text) if text.strip() else None
    kind = FROM_FDX.get(kind_name, ACTION)
    if kind == ACTION and paragraph.get("Alignment") == "Center":
        kind = CENTERED
    if not text.strip() and kind != ACTION:
        return None
    if kind in (SCENE_HEADING, CHARACTER, TRANSITION, PARENTHETICAL):
        text = text.replace("\n", " ").strip()  # one line each in Fountain
    element = Element(kind, text)
    if kind == SCENE_HEADING and paragraph.get("Number"):
        element.scene_number = paragraph.get("Number", "")
    return element if text.strip() else None


def _title_page(root: ET.Element) -> list[tuple[str, str]]:
    page = root.find("TitlePage")
    if page is None:
        return []
    keyed = [(p.get("Key", ""), _paragraph_text(p).strip("\n")) for p in page.iter("Paragraph")]
    if keyed and all(key for key, _ in keyed):
        return keyed
    texts = [_paragraph_text(p).strip() for p in page.iter("Paragraph")]
    texts = [t for t in texts if t]
    if not texts:
        return []
    fields = [("Title", texts[0])]
    rest = texts[1:]
    if rest and rest[0].lower() in ("by", "written by", "screenplay by"):
        fields.append(("Credit", rest.pop(0)))
        if rest:
            fields.append(("Author", rest.pop(0)))
    if rest:
        fields.append(("Contact", "\n".join(rest)))
    return fields


def write_fdx(script: Script) -> bytes:
    """Final Draft XML for a script."""
    root = ET.Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    content = ET.SubElement(root, "Content")
    pending_break = False
    elements = script.elements
    i = 0
    while i < len(elements):
        element = elements[i]
        if element.kind == PAGE_BREAK:
            if pending_break:  # two breaks in a row: the first goes on an empty paragraph
                _paragraph(content, Element(ACTION, "")).set("StartsNewPage", "Yes")
            pending_break = True
            i += 1
            continue
        # A cue marked ^ pairs with the speech before it: wrap both in DualDialogue.
        lone_dual = element.kind == CHARACTER and element.dual
        if element.kind == CHARACTER and (_starts_dual(elements, i) or lone_dual):
            end = _speech_end(elements, i if lone_dual else _speech_end(elements, i))
            wrapper = ET.SubElement(content, "Paragraph")
            if pending_break:
                wrapper.set("StartsNewPage", "Yes")
                pending_break = False
            dual = ET.SubElement(wrapper, "DualDialogue")
            for inner in elements[i:end]:
                _paragraph(dual, inner)
            i = end
            continue
        paragraph = _paragraph(content, element)
        if pending_break:
            paragraph.set("StartsNewPage", "Yes")
            pending_break = False
        i += 1
    if pending_break:
        _paragraph(content, Element(ACTION, "")).set("StartsNewPage", "Yes")
    if script.title_page:
        title = ET.SubElement(root, "TitlePage")
        title_content = ET.SubElement(title, "Content")
        for key, value in script.title_page:
            # Key is ours: Final Draft ignores it, and it brings the Fountain key back on import.
            paragraph = ET.SubElement(title_content, "Paragraph", Alignment="Center", Type="Action", Key=key)
            _set_text(paragraph, value)
    for node in root.iter("Text"):
        if node.text:
            node.text = XML_INVALID.sub("", node.text)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' + ET.tostring(root, encoding="utf-8")


def _speech_end(elements: list[Element], start: int) -> int:
    i = start + 1
    while i < len(elements) and elements[i].kind in (PARENTHETICAL, DIALOGUE):
        i += 1
    return i


def _starts_dual(elements: list[Element], i: int) -> bool:
    second = _speech_end(elements, i)
    return second < len(elements) and elements[second].kind == CHARACTER and elements[second].dual


def _paragraph(parent: ET.Element, element: Element) -> ET.Element:
    from projects.fountain.writer import _element as fountain_source

    if element.kind in FOUNTAIN_ONLY:
        paragraph = ET.SubElement(parent, "Paragraph", Type="General")
        ET.SubElement(paragraph, "Text").text = fountain_source(element)
        return paragraph
    paragraph = ET.SubElement(parent, "Paragraph", Type=TO_FDX.get(element.kind, "Action"))
    if element.kind == CENTERED:
        paragraph.set("Alignment", "Center")
    if element.kind == SCENE_HEADING and element.scene_number:
        paragraph.set("Number", element.scene_number)
    _set_text(paragraph, element.text)
    return paragraph
