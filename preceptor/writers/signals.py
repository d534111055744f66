"""Signals other apps listen to.

``letter_received`` — sender ``VaultLetter``; kwargs ``letter`` (the new or replaced
version) and ``request`` (its ``LetterRequest``). Sent after the upload's transaction
commits, once per upload. It carries metadata only; the letter's bytes are never passed on.
"""

from __future__ import annotations

from django.dispatch import Signal

letter_received = Signal()
