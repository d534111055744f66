"""The service rules between the database and the pure checker."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preceptor.letters.rules import (
    Coverage,
    RequestFacts,
    RuleSet,
    check,
    parse_requirements,
    resolve,
)

if TYPE_CHECKING:
    from preceptor.letters.models import Application, LetterRequest

FIXTURE = Path(__file__).parent / "fixtures" / "service_rules.json"


def fixture_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return rows


def install(model: Any, *, overwrite: bool = False) -> int:
    """Load the shipped rules into ``model`` (the real or the migration's historical one).

    Existing rows are kept unless ``overwrite``: an operator's edits in the admin win.
    """
    n = 0
    # A migration's historical model may predate some of the fixture's columns.
    columns = {f.name for f in model._meta.get_fields()}
    for row in fixture_rows():
        parse_requirements(row["requirements"])  # a broken fixture fails loudly here
        key = {"service": row["service"], "specialty": row["specialty"]}
        values = {k: v for k, v in row.items() if k not in key and k in columns}
        if overwrite:
            model.objects.update_or_create(**key, defaults=values)
            n += 1
        else:
            _, created = model.objects.get_or_create(**key, defaults=values)
            n += int(created)
    return n


def to_ruleset(row: Any) -> RuleSet:
    return RuleSet(
        service=row.service,
        specialty=row.specialty,
        name=row.name,
        min_letters=row.min_letters,
        max_letters=row.max_letters,
        usual_mix=row.usual_mix,
        requirements=parse_requirements(row.requirements),
        max_file_mb=float(row.max_file_mb) if row.max_file_mb is not None else None,
        file_notes=row.file_notes,
        notes=row.notes,
        source=row.source,
        portal_url=getattr(row, "portal_url", ""),
        how_to_submit=getattr(row, "how_to_submit", ""),
    )


def shipped_rules() -> list[RuleSet]:
    """The rules as shipped in the fixture, without the database."""
    from types import SimpleNamespace

    return [to_ruleset(SimpleNamespace(**row)) for row in fixture_rows()]


# The rules are the same for every user and change only in the admin, yet nearly every
# letters page needs them, several times. A process keeps them this many seconds; an edit
# in this process forgets them at once (``forget_rules``, on ServiceRule's signals), other
# processes see it within this time.
RULES_KEPT_SECONDS = 60.0
_rules_lock = threading.Lock()
_kept_rules: tuple[float, tuple[RuleSet, ...]] | None = None


def forget_rules(**_: Any) -> None:
    global _kept_rules
    with _rules_lock:
        _kept_rules = None


def rules_changed(**_: Any) -> None:
    """On a rule's save or delete: forget now, and again when its transaction commits, so
    that a request that read the old rules meanwhile does not keep them for a minute."""
    from django.db import transaction

    forget_rules()
    transaction.on_commit(forget_rules)


def all_rules() -> list[RuleSet]:
    """The rules in the database (as edited in the admin), or the shipped ones if it has none.

    An empty table happens when the database was flushed after the data migration ran
    (a test harness, an operator's ``flush``); letters must still be checked then.

    Kept for :data:`RULES_KEPT_SECONDS`, except inside a transaction: what it reads there
    may be its own uncommitted edit, or be rolled back, and must not reach other requests.
    """
    global _kept_rules
    from django.db import connection

    from preceptor.letters.models import ServiceRule

    shareable = not connection.in_atomic_block
    if shareable:
        with _rules_lock:
            kept = _kept_rules
        if kept is not None and time.monotonic() - kept[0] < RULES_KEPT_SECONDS:
            return list(kept[1])
    read_at = time.monotonic()
    rows = [to_ruleset(r) for r in ServiceRule.objects.all()] or shipped_rules()
    if shareable:
        with _rules_lock:
            _kept_rules = (read_at, tuple(rows))
    return rows


def rules_for(application: Application, rules: Sequence[RuleSet] | None = None) -> RuleSet:
    return resolve(
        rules if rules is not None else all_rules(), application.service, application.specialty
    )


def facts(requests: Sequence[LetterRequest]) -> list[RequestFacts]:
    return [RequestFacts(status=r.status, kind=r.kind, category=r.category) for r in requests]


def coverage(application: Application, rules: Sequence[RuleSet] | None = None) -> Coverage:
    """What the application's requests cover of its service's rules."""
    return check(
        rules_for(application, rules),
        facts(list(application.requests.all())),
        max_letters=application.max_letters_override,
    )


def submission(application: Application) -> tuple[str, str]:
    """(how writers submit, the portal's address): the applicant's own instructions first,
    else the service's as shipped (``fixtures/service_rules.json``) or edited in the admin."""
    rules = rules_for(application)
    return application.instructions.strip() or rules.how_to_submit, rules.portal_url
