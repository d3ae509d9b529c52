"""The national figures every signed-in viewer sees, whatever their scope: one explicit list.

The agency publishes the number of certified villages and the national target in its press
releases; nothing else national (villages proposed or verified, revoked, enrolled officials,
participants) is shown to a viewer whose scope is a region or a branch. The data layer builds
the only national views a scoped query can read (`nasional`, `target_nasional`) from these
lists, so a query file cannot return more even by mistake.
"""
from __future__ import annotations

# Columns of the national headline (view `nasional`).
NATIONAL_FIGURES: tuple[str, ...] = ("certified",)
# Columns of the national target rows (view `target_nasional`): the target and where it comes from.
NATIONAL_TARGET: tuple[str, ...] = ("year", "period_end", "target_villages", "source", "is_demo")
