"""The background task queues, and which work goes where.

Two queues, each served by its own worker so that neither can hold up the other:

- ``default``: what a person is waiting for right now (email: password resets, writer
  links, notices). Email goes first within it (:data:`EMAIL_PRIORITY`).
- ``simulations``: SmartPick's Match simulations, CPU-heavy and many per user; their own
  worker runs them one at a time, and each user may have only a few waiting or running
  (``preceptor.smartpick.services``).

``settings.TASKS`` lists both queues; ``manage.py serve`` starts one worker per queue; in
production run ``manage.py worker`` (the ``default`` queue) and
``manage.py worker --queue-name simulations`` side by side.
"""

from __future__ import annotations

URGENT = "default"
SIMULATIONS = "simulations"
ALL = (URGENT, SIMULATIONS)

# django-tasks orders waiting tasks by priority (-100 … 100, higher first), then by age.
EMAIL_PRIORITY = 50
