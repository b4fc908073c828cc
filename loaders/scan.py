"""Small scanning helpers shared by the extractors (plain string searches, quicker than regexes
that do not open with a literal)."""

from __future__ import annotations


def char_positions(text: str, chars: str) -> list[int]:
    """Every index of any of ``chars`` in ``text``, in order."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    return sorted(out)
