"""Importing files: .fountain, .txt and .fdx become Fountain text; anything else gets a clear message."""

from __future__ import annotations

import pytest

from projects import fountain
from projects.fountain import MAX_IMPORT_BYTES, ScreenplayImportError, import_screenplay

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    b"<FinalDraft><Content><Paragraph><Text>&lol2;</Text></Paragraph></Content></FinalDraft>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<FinalDraft><Content><Paragraph><Text>&x;</Text></Paragraph></Content></FinalDraft>"
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.fountain", "is empty"),
        (b"  \n\n\t", "blank.txt", "is empty"),
        (b"INT. A - B\n" + b"x" * MAX_IMPORT_BYTES, "big.fountain", "larger than 5 MB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.fountain", "binary file"),
        (b"<FinalDraft>\x00</FinalDraft>", "nul.fdx", "binary file"),
        ("Scène".encode("latin-1"), "latin.fountain", "not UTF-8"),
        (b"<FinalDraft><Content><Paragraph>", "broken.fdx", "not well-formed XML"),
        (b"INT. A - B", "plain-text.fdx", "not well-formed XML"),
        (BOMB, "bomb.fdx", "refused for safety"),
        (EXTERNAL, "external.fdx", "refused for safety"),
        (b"<html><body/></html>", "page.fdx", "not a Final Draft screenplay"),
        (b"INT. A - B", "script.docx", "not a screenplay file"),
        (b"INT. A - B", "no-extension", "not a screenplay file"),
    ],
)
def test_bad_files_get_a_clear_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ScreenplayImportError, match=message) as caught:
        import_screenplay(data, name)
    assert name in str(caught.value)  # the person sees which file it was


def test_good_files_of_each_kind_import() -> None:
    text = "INT. HOUSE - DAY\r\n\r\nBOB\r\nHi.\r\n"
    expected = "INT. HOUSE - DAY\n\nBOB\nHi.\n"
    assert import_screenplay(text.encode(), "a.fountain") == expected
    assert import_screenplay(b"\xef\xbb\xbf" + text.encode(), "A.TXT") == expected  # a BOM is dropped
    fdx = fountain.export_fdx(fountain.parse(expected))
    assert import_screenplay(fdx, "a.fdx") == expected
    assert import_screenplay(b"x" * (MAX_IMPORT_BYTES - 1) + b"\n", "exactly-under.fountain").startswith("xxx")
