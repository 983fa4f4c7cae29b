"""Final Draft files: what we write is what Final Draft reads, and what Final Draft writes reads back."""

from __future__ import annotations

import defusedxml.ElementTree as SafeET

from projects import fountain
from tests.fountain.support import described

SCRIPT = """Title: **The Test**
Author: Someone
Contact:
    1 Main Street
    Springfield

INT. HOUSE - DAY #7#

Mary enters, _very_ *quietly*.

MARY
(softly)
Hello.

JOHN ^
Hi.

CUT TO:

> THE END <

# Act Two

[[a note]]
"""


def test_export_has_final_drafts_structure() -> None:
    root = SafeET.fromstring(fountain.export_fdx(SCRIPT))  # text or a parsed Script
    assert root.tag == "FinalDraft" and root.get("DocumentType") == "Script"
    paragraphs = root.find("Content").findall("Paragraph")
    types = [p.get("Type") for p in paragraphs]
    assert types[:3] == ["Scene Heading", "Action", None]  # the dual dialogue wrapper has no type
    assert paragraphs[0].get("Number") == "7"
    dual = paragraphs[2].find("DualDialogue")
    assert [p.get("Type") for p in dual.findall("Paragraph")] == [
        "Character",
        "Parenthetical",
        "Dialogue",
        "Character",
        "Dialogue",
    ]
    assert types[3:] == ["Transition", "Action", "General", "General"]
    assert paragraphs[4].get("Alignment") == "Center"
    # Emphasis becomes Final Draft's own Style runs rather than literal marks.
    runs = [(t.text, t.get("Style")) for t in paragraphs[1].findall("Text")]
    assert runs == [("Mary enters, ", None), ("very", "Underline"), (" ", None), ("quietly", "Italic"), (".", None)]
    title = root.find("TitlePage").find("Content").findall("Paragraph")
    assert [(p.get("Key"), "".join(t.text or "" for t in p.findall("Text"))) for p in title] == [
        ("Title", "The Test"),
        ("Author", "Someone"),
        ("Contact", "1 Main Street\nSpringfield"),
    ]
    assert title[0].find("Text").get("Style") == "Bold"


def test_export_round_trips_with_title_page() -> None:
    script = fountain.parse(SCRIPT)
    back = fountain.read_fdx(fountain.export_fdx(script))
    assert described(back.elements) == described(script.elements) and back.title_page == script.title_page


def test_a_final_draft_file_imports_with_its_title_page_dual_dialogue_and_page_breaks() -> None:
    # Shaped like Final Draft 12's own output: unkeyed title page, styled runs, one line per Dialogue.
    data = b"""<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Type="Scene Heading" Number="1"><Text>INT. DINER - NIGHT</Text></Paragraph>
    <Paragraph Type="Action"><Text>The </Text><Text Style="Bold+Underline">door</Text><Text> opens.</Text></Paragraph>
    <Paragraph Type="Character"><Text>EDWARD</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text>First line.</Text></Paragraph>
    <Paragraph Type="Dialogue"><Text>Second line.</Text></Paragraph>
    <Paragraph><DualDialogue>
      <Paragraph Type="Character"><Text>A</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text>Yes.</Text></Paragraph>
      <Paragraph Type="Character"><Text>B</Text></Paragraph>
      <Paragraph Type="Dialogue"><Text>No.</Text></Paragraph>
    </DualDialogue></Paragraph>
    <Paragraph Type="Shot" StartsNewPage="Yes"><Text>CLOSE ON THE DOOR</Text></Paragraph>
    <Paragraph Type="Action"><Text></Text></Paragraph>
  </Content>
  <TitlePage><Content>
    <Paragraph Alignment="Center" Type="Action"><Text>Big Night</Text></Paragraph>
    <Paragraph Alignment="Center" Type="Action"><Text>written by</Text></Paragraph>
    <Paragraph Alignment="Center" Type="Action"><Text>A. Writer</Text></Paragraph>
    <Paragraph Alignment="Left" Type="Action"><Text>agent@example.com</Text></Paragraph>
  </Content></TitlePage>
</FinalDraft>"""
    text = fountain.import_screenplay(data, "night.fdx")
    script = fountain.parse(text)
    assert script.title_page == [
        ("Title", "Big Night"),
        ("Credit", "written by"),
        ("Author", "A. Writer"),
        ("Contact", "agent@example.com"),
    ]
    assert described(script.elements) == [
        ("scene_heading", "INT. DINER - NIGHT", "1", False, 0),
        ("action", "The _**door**_ opens.", "", False, 0),
        ("character", "EDWARD", "", False, 0),
        ("dialogue", "First line.\nSecond line.", "", False, 0),
        ("character", "A", "", False, 0),
        ("dialogue", "Yes.", "", False, 0),
        ("character", "B", "", True, 0),
        ("dialogue", "No.", "", False, 0),
        ("page_break", "", "", False, 0),
        ("action", "CLOSE ON THE DOOR", "", False, 0),
    ]
    assert fountain.breakdown(script).dual_pairs == [("A", "B")]
