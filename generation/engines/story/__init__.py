# SPDX-License-Identifier: GPL-3.0-or-later
"""The story a logline tells, owned by code: its people, places and premise nouns, and the beat outline."""

from __future__ import annotations

from generation.engines.story.beats import TIMES, Beat, Plan, mention_of, plan, valid_heading
from generation.engines.story.extract import Person, Place, Story, extract, noun_pattern

__all__ = [
    "TIMES",
    "Beat",
    "Person",
    "Place",
    "Plan",
    "Story",
    "extract",
    "mention_of",
    "noun_pattern",
    "plan",
    "valid_heading",
]
