from __future__ import annotations


class ScreenplayImportError(ValueError):
    """A file that can't become a screenplay; the message says why, for a person."""


class ScreenplayFontMissing(RuntimeError):
    """A font the PDF needs is not installed; the message names the package that installs it."""
