"""Values the template components (``templates/components/``) take, built in
Python where a template cannot build them."""

from __future__ import annotations

from collections.abc import Sequence


def steps(labels: Sequence[str], current: int) -> list[dict]:
    """The step indicator's steps: those before *current* (counted from 0)
    are done, *current* is where the user is, the rest are to do."""
    return [
        {"label": label, "state": "done" if i < current else "current" if i == current else "todo"}
        for i, label in enumerate(labels)
    ]
