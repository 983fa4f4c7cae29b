"""The screenplay model: Fountain elements with the source lines they came from."""

from __future__ import annotations

from dataclasses import dataclass, field

SCENE_HEADING = "scene_heading"
ACTION = "action"
CHARACTER = "character"
PARENTHETICAL = "parenthetical"
DIALOGUE = "dialogue"
TRANSITION = "transition"
CENTERED = "centered"
LYRICS = "lyrics"
PAGE_BREAK = "page_break"
SECTION = "section"
SYNOPSIS = "synopsis"
NOTE = "note"
BONEYARD = "boneyard"

KINDS = (
    SCENE_HEADING,
    ACTION,
    CHARACTER,
    PARENTHETICAL,
    DIALOGUE,
    TRANSITION,
    CENTERED,
    LYRICS,
    PAGE_BREAK,
    SECTION,
    SYNOPSIS,
    NOTE,
    BONEYARD,
)


@dataclass
class Element:
    """One Fountain element. Dual dialogue has no element of its own: Fountain marks it with "^" on
    the second speaker's cue, so that cue carries dual=True and pairs with the speech before it."""

    kind: str
    text: str
    start_line: int = 0  # 1-based source lines; 0 for elements made in code
    end_line: int = 0
    scene_number: str = ""  # forced scene number, "#12A#"
    dual: bool = False  # a character cue marked ^ (the second speaker of dual dialogue)
    depth: int = 0  # section depth (# = 1)
    forced: bool = False  # written with a forcing mark (., @, !, >)

    def same_as(self, other: Element) -> bool:
        """Equal in content (ignoring where in the source it was)."""
        return (self.kind, self.text, self.scene_number, self.dual, self.depth) == (
            other.kind,
            other.text,
            other.scene_number,
            other.dual,
            other.depth,
        )


@dataclass
class Script:
    """A parsed screenplay: title page fields in source order, then the body's elements."""

    title_page: list[tuple[str, str]] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)

    def title(self) -> str:
        for key, value in self.title_page:
            if key.lower() == "title":
                return value.replace("\n", " ").strip("_* ")
        return ""
