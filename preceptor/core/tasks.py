"""The email task's former home.

Tasks queued before it moved to :mod:`preceptor.lib.emails` (where ``send`` queues it, so
that ``lib`` never imports ``core``) name this path; the worker still finds it here.
"""

from __future__ import annotations

from preceptor.lib.emails import send_email

__all__ = ["send_email"]
