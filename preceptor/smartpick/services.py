"""Every change to SmartPick's data goes through these functions."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_tasks import task

from preceptor.accounts.models import User
from preceptor.lib import queues

from . import figures
from .catalogue import (
    SHIPPED_PREFIX,
    SYNTHETIC_SOURCE,
    ProgramRow,
    competitiveness,
    read_catalogue,
    shipped_source,
    synthetic_catalogue,
)
from .importer import ImportReport, read_program_results
from .interview import Applicant
from .models import ApplicantProfile, Program, SimulationRun
from .recommend import Catalogue, Recommendation, Request, recommend

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------- catalogue

_lock = threading.Lock()
_cache: dict[str, tuple[Any, Any]] = {}


def ensure_catalogue() -> None:
    """Load the shipped real catalogue (package data, ``manage.py build_catalogue``) the
    first time programs are needed, and again when the database holds the synthetic
    catalogue or an older shipped build. A catalogue imported with ``import_programs``
    is never touched."""
    if Program.objects.exists() and not _replaceable():
        return
    source = shipped_source()
    with transaction.atomic():
        if Program.objects.exists() and not _replaceable():
            return  # another request got there first
        rows = read_catalogue()
        Program.objects.exclude(nrmp_code__in={r.nrmp_code for r in rows}).delete()
        store_rows(rows, source=source)


def _replaceable() -> bool:
    """The stored catalogue is synthetic or an older shipped build."""
    return (
        Program.objects.filter(synthetic=True).exists()
        or Program.objects.filter(source__startswith=SHIPPED_PREFIX)
        .exclude(source=shipped_source())
        .exists()
    )


def store_synthetic_catalogue() -> None:
    """Replace the catalogue with the synthetic one (tests and the national simulation)."""
    with transaction.atomic():
        Program.objects.all().delete()
        store_rows(synthetic_catalogue(), source=SYNTHETIC_SOURCE)


def store_rows(rows: list[ProgramRow], *, source: str) -> tuple[int, int]:
    """Create or update programs by NRMP code; returns (created, updated)."""
    # This process reads the new catalogue on its next request, after the commit too.
    forget_catalogue()
    transaction.on_commit(forget_catalogue)
    sizes = {s.name: s.program_size for s in figures.SPECIALTIES}
    existing = {p.nrmp_code: p for p in Program.objects.all()}
    create, update = [], []
    for r in rows:
        values = {
            "institution_code": r.institution_code,
            "institution": r.institution[:200],
            "name": (r.name or r.specialty)[:200],
            "specialty": r.specialty,
            "specialty_code": r.specialty_code,
            "track": r.track,
            "city": r.city[:100],
            "state": r.state,
            "latitude": r.latitude,
            "longitude": r.longitude,
            "quota": r.quota,
            "fill_history": r.fill_history,
            "competitiveness": competitiveness(
                r.quota, sizes.get(r.specialty, 5.0), r.fill_history
            ),
            "setting": r.setting,
            "visa_sponsor": r.visa_sponsor,
            "img_share": r.img_share,
            "synthetic": r.synthetic,
            "source": source[:300],
            "positions_year": r.positions_year,
            "positions_basis": r.positions_basis,
            "location_basis": r.location_basis,
        }
        p = existing.get(r.nrmp_code)
        if p is None:
            create.append(Program(nrmp_code=r.nrmp_code, **values))
        elif any(getattr(p, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(p, k, v)
            update.append(p)
    _insert(create)
    if update:
        Program.objects.bulk_update(update, [*values], batch_size=500)
    return len(create), len(update)


def _insert(programs: list[Program]) -> None:
    """bulk_create without the ORM's per-value preparation (10x faster for 5,500 rows):
    only the UUID, JSON and datetime columns need the backend's conversion."""
    if not programs:
        return
    fields = [f for f in Program._meta.concrete_fields if f.name != "id"]
    special = {"public_id", "fill_history", "imported"}
    now = timezone.now()
    rows = []
    for p in programs:
        p.imported = now
        rows.append(
            [
                f.get_db_prep_save(getattr(p, f.attname), connection)
                if f.name in special
                else getattr(p, f.attname)
                for f in fields
            ]
        )
    table = connection.ops.quote_name(Program._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


# How long a process trusts the catalogue it read before asking whether the table changed
# (an import in another process shows within this time; one in this process at once).
CATALOGUE_CHECK_SECONDS = 60.0
_checked: dict[str, Any] = {"at": None, "key": None}


def forget_catalogue() -> None:
    """Make the next request ask whether the programs table changed (after an import)."""
    with _lock:
        _checked["at"] = None


def _catalogue_key() -> tuple[Any, ...]:
    """What changes whenever the programs table does: one query over the whole table,
    asked at most once a minute (never trusted inside a transaction: what it reads there
    may be rolled back)."""
    shareable = not connection.in_atomic_block
    now = time.monotonic()
    with _lock:
        at, key = _checked["at"], _checked["key"]
    if shareable and at is not None and now - at < CATALOGUE_CHECK_SECONDS:
        return cast(tuple[Any, ...], key)
    agg = Program.objects.aggregate(c=Count("id"), n=Max("id"), t=Max("imported"))
    key = (agg["c"], agg["n"], agg["t"])
    if shareable:
        with _lock:
            _checked["at"], _checked["key"] = now, key
    return key


def _memo(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s value, kept in the process until the programs table changes.

    The catalogue is the same for every user and changes only on an import, so the pages
    ask one cheap question per request (:func:`_catalogue_key`) instead of reading it. A
    key already seen was computed after :func:`ensure_catalogue`, which has nothing to do
    while the table stays as it was.
    """
    key = _catalogue_key()
    with _lock:
        hit = _cache.get(name)
        if hit is not None and hit[0] == key:
            return hit[1]
    ensure_catalogue()
    key = _catalogue_key()
    value = compute()
    with _lock:
        _cache[name] = (key, value)
    return value


def load_catalogue() -> Catalogue:
    """The catalogue as arrays, cached in the process until the table changes."""
    return cast(Catalogue, _memo("catalogue", _read_catalogue))


def _read_catalogue() -> Catalogue:
    fields = [
        "id",
        "nrmp_code",
        "name",
        "institution",
        "specialty",
        "city",
        "state",
        "latitude",
        "longitude",
        "quota",
        "competitiveness",
        "setting",
        "visa_sponsor",
        "fill_history",
        "synthetic",
        "positions_year",
        "positions_basis",
        "location_basis",
    ]
    values = list(Program.objects.order_by("id").values_list(*fields))
    rows = [
        ProgramRow(
            nrmp_code=v[1],
            institution_code=v[1][:4],
            institution=v[3],
            specialty=v[4],
            specialty_code=v[1][4:7],
            track=v[1][7],
            city=v[5],
            state=v[6],
            latitude=v[7],
            longitude=v[8],
            quota=v[9],
            setting=v[11],
            visa_sponsor=v[12],
            fill_history=v[13],
            synthetic=v[14],
            name=v[2],
            positions_year=v[15],
            positions_basis=v[16],
            location_basis=v[17],
        )
        for v in values
    ]
    return Catalogue.from_rows(rows, pks=[v[0] for v in values])


def catalogue_specialties() -> list[str]:
    return list(
        _memo(
            "specialties",
            lambda: tuple(
                Program.objects.order_by("specialty").values_list("specialty", flat=True).distinct()
            ),
        )
    )


def catalogue_codes() -> set[str]:
    """Every program code in the catalogue (to check the codes a profile names)."""
    return set(
        _memo("codes", lambda: frozenset(Program.objects.values_list("nrmp_code", flat=True)))
    )


def catalogue_sources() -> list[str]:
    """The ``source`` of the stored catalogue's rows (one for the shipped build)."""
    return list(
        _memo(
            "sources",
            lambda: tuple(
                Program.objects.order_by("source").values_list("source", flat=True).distinct()
            ),
        )
    )


def catalogue_is_synthetic() -> bool:
    return bool(_memo("synthetic", lambda: Program.objects.filter(synthetic=True).exists()))


# ----------------------------------------------------------------------- profile


def get_profile(user: User) -> ApplicantProfile | None:
    return ApplicantProfile.objects.filter(user=user).first()


PROFILE_FIELDS = [
    f.name
    for f in ApplicantProfile._meta.get_fields()
    if f.concrete and f.name not in ("id", "public_id", "user", "created", "updated")
]


@transaction.atomic
def save_profile(user: User, **data: Any) -> ApplicantProfile:
    """Create or update the user's SmartPick profile from validated data."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    profile = get_profile(user) or ApplicantProfile(user=user)
    for k, v in data.items():
        setattr(profile, k, v)
    profile.full_clean()
    profile.save()
    return profile


# A visitor's profile lives in their session as JSON: every profile field, written and
# read generically from the model's fields, so a field added to the model is carried
# without a change here (a key the model no longer has is ignored; a missing one takes
# the field's default).
_JSON_NATIVE = (str, int, float, bool, list, dict, type(None))


def _field(name: str) -> models.Field:
    field = ApplicantProfile._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def profile_to_data(profile: ApplicantProfile) -> dict[str, Any]:
    """The profile's fields as JSON-safe values."""
    data = {}
    for name in PROFILE_FIELDS:
        field = _field(name)
        value = field.value_from_object(profile)
        data[name] = value if isinstance(value, _JSON_NATIVE) else field.value_to_string(profile)
    return data


def profile_from_data(data: dict[str, Any]) -> ApplicantProfile:
    """An unsaved profile from :func:`profile_to_data`'s output (values it cannot read
    keep the field's default)."""
    profile = ApplicantProfile()
    for name in PROFILE_FIELDS:
        if name not in data:
            continue
        field = _field(name)
        try:
            setattr(profile, field.attname, field.to_python(data[name]))
        except ValidationError:
            continue
    return profile


def check_visitor_profile(**data: Any) -> ApplicantProfile:
    """A visitor's profile from validated data, checked like a saved one but not stored
    (it goes into their session)."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    profile = ApplicantProfile()
    for k, v in data.items():
        setattr(profile, k, v)
    profile.full_clean(exclude=["user"])
    return profile


def set_visitor_budget(profile: ApplicantProfile, applications: int) -> ApplicantProfile:
    """The visitor's profile with a budget of ``applications`` (checked, not stored)."""
    profile.budget_mode = ApplicantProfile.Budget.APPLICATIONS
    profile.budget_applications = applications
    profile.full_clean(exclude=["user"])
    return profile


@transaction.atomic
def adopt_visitor_profile(
    user: User, data: dict[str, Any], *, saved_at: datetime, visitor: str = ""
) -> tuple[ApplicantProfile, bool]:
    """Make a visitor's profile (from their session, saved at ``saved_at``) the user's,
    when the user has none or an older one; the visitor's simulation runs move with it.
    Returns the user's profile and whether it is the visitor's. Raises ValidationError
    (and changes nothing) when the visitor's data are no longer valid."""
    existing = ApplicantProfile.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.updated >= saved_at:
        return existing, False
    incoming = profile_from_data(data)
    profile = existing or ApplicantProfile(user=user)
    for name in PROFILE_FIELDS:
        setattr(profile, name, getattr(incoming, name))
    profile.full_clean()
    profile.save()
    if visitor:
        SimulationRun.objects.filter(user=None, visitor=visitor).update(
            user=user, visitor="", address=""
        )
    return profile, True


@transaction.atomic
def set_budget(user: User, applications: int) -> ApplicantProfile:
    """Change the budget to a number of applications (the quick control on the list)."""
    profile = ApplicantProfile.objects.select_for_update().get(user=user)
    profile.budget_mode = ApplicantProfile.Budget.APPLICATIONS
    profile.budget_applications = applications
    profile.full_clean()
    profile.save(update_fields=["budget_mode", "budget_applications", "updated"])
    return profile


class UnknownProgram(ValueError):
    """A preference names a program code that is not in the catalogue."""


@transaction.atomic
def set_wish(user: User, code: str, level: str) -> ApplicantProfile:
    """Record how much the applicant wants one program ("fine" forgets the preference).

    Raises :class:`UnknownProgram` for a code not in the catalogue and ValueError for
    an unknown level; nothing changes then."""
    profile = ApplicantProfile.objects.select_for_update().get(user=user)
    with_wish(profile, code, level)
    profile.save(update_fields=["program_wishes", "updated"])
    return profile


def with_wish(profile: ApplicantProfile, code: str, level: str) -> ApplicantProfile:
    """``profile`` with one program's preference set (checked, not stored): the account's
    and the visitor's store share it."""
    from .recommend import WISHES

    if level not in WISHES:
        raise ValueError(f"Choose one of: {', '.join(w[0] for w in WISHES.values())}.")
    code = code.strip().upper()
    if not Program.objects.filter(nrmp_code=code).exists():
        raise UnknownProgram(f"No program with the code {code} is in the catalogue.")
    wishes = dict(profile.program_wishes or {})
    if level == "fine":
        wishes.pop(code, None)
    else:
        wishes[code] = level
    profile.program_wishes = wishes
    profile.full_clean(exclude=["user"] if profile.user_id is None else None)
    return profile


def to_request(profile: ApplicantProfile, *, horizon: int | None = None) -> Request:
    applicant = Applicant(
        kind=profile.applicant_type,
        step2=profile.effective_step2,
        step1_failed=profile.step1 == ApplicantProfile.Step1.FAILED,
        extra_attempts=profile.extra_attempts,
        red_flags=profile.red_flags,
        research=profile.research_items,
        honors=profile.honors,
        usce_months=profile.usce_months,
        needs_visa=profile.needs_visa,
        home_state=profile.home_state,
        school_state=profile.school_state,
        tie_states=tuple(profile.tie_states),
    )
    return Request(
        applicant=applicant,
        target=profile.target_specialty,
        backup=profile.backup_specialty,
        budget=profile.applications,
        gold=profile.signals_gold,
        silver=profile.signals_silver,
        preferred_states=tuple(profile.preferred_states),
        preferred_regions=tuple(profile.preferred_regions),
        max_distance=profile.max_distance_miles,
        size=profile.program_size,
        setting=profile.program_setting,
        partner_specialty=profile.partner_specialty if profile.couples else "",
        partner_constraint=profile.partner_constraint if profile.couples else "",
        horizon=horizon,
        wishes=tuple(sorted((profile.program_wishes or {}).items())),
        criteria_mode=profile.criteria_mode,
        visa_sponsor=profile.visa_sponsor_wanted,
        floor=profile.match_floor / 100,
    )


# Recent recommendations by (catalogue, request): the dashboard and the programs page ask
# for the same one on every visit, and recomputing it is most of their time. A
# recommendation depends on nothing else, and nobody changes one once made.
_RECOMMENDATIONS_KEPT = 512
_recommendations: OrderedDict[tuple[Any, Request], Recommendation] = OrderedDict()


def recommendation_for(profile: ApplicantProfile) -> Recommendation:
    load_catalogue()
    request = to_request(profile)
    with _lock:
        # The key and the catalogue read together: another thread may put a newer
        # catalogue in between, and a list must be kept under its own catalogue's key.
        catalogue_key, catalogue = _cache["catalogue"]
        key = (catalogue_key, request)
        rec = _recommendations.get(key)
        if rec is not None:
            _recommendations.move_to_end(key)
    if rec is None:
        rec = recommend(catalogue, request)
        with _lock:
            _recommendations[key] = rec
            while len(_recommendations) > _RECOMMENDATIONS_KEPT:
                _recommendations.popitem(last=False)
    # Every caller gets its own copy: the kept one is shared by every user whose request is
    # the same, and a caller that changed its rows or notes would change theirs. Nobody
    # changes the kept one, so it is copied outside the lock.
    return rec.copy()


# -------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class Visitor:
    """Someone without an account who runs simulations: keyed hashes of the random token
    in their session and of their address (see :class:`SimulationRun`)."""

    token: str
    address: str


# Queued or running simulations a visitor may have at once: per session, and per
# address (several visitors behind one address, or one clearing their cookies).
VISITOR_RUNS_PER_SESSION = 1
VISITOR_RUNS_PER_ADDRESS = 3
VISITOR_RUN_WINDOW = timedelta(minutes=15)


def _runs_of(owner: User | Visitor) -> Any:
    if isinstance(owner, Visitor):
        return SimulationRun.objects.filter(user=None, visitor=owner.token)
    return SimulationRun.objects.filter(user=owner)


def get_run_for_user(owner: User | Visitor, public_id: Any) -> SimulationRun:
    return get_object_or_404(_runs_of(owner), public_id=public_id)


def latest_run(owner: User | Visitor) -> SimulationRun | None:
    return _runs_of(owner).first()


class NothingToSimulate(ValueError):
    """The user's preferences fit no program, so there is no list to simulate."""


class SimulationLimit(ValueError):
    """The owner already has as many simulations waiting or running as they may."""


def _limit_message(limit: int) -> str:
    runs = "simulation" if limit == 1 else "simulations"
    return (
        f"You already have {limit} {runs} waiting or running. "
        "Wait for one to finish, then start another."
    )


# A run still waiting or running after this long no longer counts against the limit (its
# worker may have been killed mid-run), so nobody is locked out for good.
ACTIVE_RUN_WINDOW = timedelta(hours=1)


def _check_simulation_quota(
    owner: Mapping[str, Any],
    *,
    limit: int | None = None,
    window: timedelta = ACTIVE_RUN_WINDOW,
    message: str = "",
) -> None:
    """Raise :class:`SimulationLimit` when the runs of ``owner`` waiting or running reach
    ``limit`` (default ``settings.SIMULATIONS_PER_OWNER``).

    ``owner`` filters ``SimulationRun`` (``{"user": user}``, a visitor's session token or
    address key), so every kind of owner is limited by this one function. Call it inside
    the transaction that creates the run, after locking the owner's row.
    """
    limit = settings.SIMULATIONS_PER_OWNER if limit is None else limit
    active = SimulationRun.objects.filter(
        **owner,
        status__in=(SimulationRun.Status.QUEUED, SimulationRun.Status.RUNNING),
        created__gte=timezone.now() - window,
    ).count()
    if active >= limit:
        raise SimulationLimit(message or _limit_message(limit))


def _check_visitor_limits(visitor: Visitor) -> None:
    # Runs of visitors whose sessions have surely ended go first.
    old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    SimulationRun.objects.filter(user=None, created__lt=old).delete()
    # A run stuck for longer (no worker, a crash) no longer holds the visitor back.
    _check_simulation_quota(
        {"user": None, "visitor": visitor.token},
        limit=VISITOR_RUNS_PER_SESSION,
        window=VISITOR_RUN_WINDOW,
        message="Your simulation is still running: wait for it to finish before starting another.",
    )
    _check_simulation_quota(
        {"user": None, "address": visitor.address},
        limit=VISITOR_RUNS_PER_ADDRESS,
        window=VISITOR_RUN_WINDOW,
        message=f"{VISITOR_RUNS_PER_ADDRESS} simulations from your network are already "
        "waiting or running: try again in a minute, or log in to run yours.",
    )


@transaction.atomic
def start_simulation(
    owner: User | Visitor, *, draws: int = 100, profile: ApplicantProfile | None = None
) -> SimulationRun:
    """Record a run for the owner's current list and queue it for the simulations worker;
    raises :class:`NothingToSimulate` when the list is empty and :class:`SimulationLimit`
    when the owner (a user; a visitor's session or address) already has the most runs
    waiting or running, recording nothing. A visitor passes their session's ``profile``;
    the run keeps a copy until it finishes."""
    visitor = owner if isinstance(owner, Visitor) else None
    user = None if isinstance(owner, Visitor) else owner
    if visitor is not None:
        _check_visitor_limits(visitor)
    if user is not None:
        # The profile row's lock makes two requests at once count one after the other.
        profile = ApplicantProfile.objects.select_for_update().get(user=user)
        _check_simulation_quota({"user": user})
    elif profile is None:
        raise ValueError("a visitor's simulation needs their session's profile")
    rec = recommendation_for(profile)
    if not rec.rows:
        raise NothingToSimulate(
            "No program fits your preferences, so there is no list to simulate."
        )
    inputs = {
        "codes": [r.code for r in rec.rows],
        "signals": [r.signal for r in rec.rows],
        "analytic": rec.p_match,
        "budget": rec.budget,
        "target": profile.target_specialty,
    }
    if visitor is None:
        run = SimulationRun.objects.create(user=user, draws=draws, inputs=inputs)
    else:
        inputs["profile"] = profile_to_data(profile)
        run = SimulationRun.objects.create(
            visitor=visitor.token, address=visitor.address, draws=draws, inputs=inputs
        )
    # With the database backend the queued task commits with the run row, atomically.
    run_simulation.enqueue(run_id=str(run.public_id))
    run.refresh_from_db()
    return run


@task(queue_name=queues.SIMULATIONS)
def run_simulation(*, run_id: str) -> None:
    """The background task: simulate the list recorded on the run (its own queue and worker,
    so simulations never delay email)."""
    execute_run(run_id)


def execute_run(run_id: str) -> None:
    """The body of the background task: simulate, reporting progress on the row."""
    from .simulation import simulate_applicant

    run = SimulationRun.objects.select_related("user").get(public_id=run_id)
    if run.status != SimulationRun.Status.QUEUED:
        return
    SimulationRun.objects.filter(pk=run.pk).update(status=SimulationRun.Status.RUNNING, progress=1)
    try:
        profile = (
            ApplicantProfile.objects.get(user=run.user)
            if run.user_id
            else profile_from_data(run.inputs["profile"])
        )
        cat = load_catalogue()
        req = to_request(profile)
        index = {c: i for i, c in enumerate(cat.code.tolist())}
        codes = [c for c in run.inputs.get("codes", []) if c in index]
        if not codes:
            raise ValueError("The list is empty: there is nothing to simulate.")
        rec = recommend(cat, req)
        chosen = np.array([index[c] for c in codes], dtype=np.int64)
        by_code = {r.code: r for r in rec.rows}
        # A program that left the list since the run was queued counts as a long shot.
        logits = np.array([by_code[c].logit if c in by_code else -3.0 for c in codes])

        def progress(done: int, total: int) -> None:
            SimulationRun.objects.filter(pk=run.pk).update(progress=max(1, 100 * done // total))

        sim = simulate_applicant(
            cat,
            target=req.target,
            chosen=chosen,
            logits=logits,
            kind=req.applicant.kind,
            score=req.applicant.score,
            home_state=req.applicant.home_state,
            gold=req.gold,
            silver=req.silver,
            draws=run.draws,
            seed=run.pk,
            progress=progress,
        )
        result = asdict(sim)
        result["analytic"] = run.inputs.get("analytic")
        SimulationRun.objects.filter(pk=run.pk).update(
            status=SimulationRun.Status.DONE, progress=100, result=result, finished=timezone.now()
        )
    except Exception as e:  # the run records why and the page says so
        logger.exception("simulation %s failed", run_id)
        SimulationRun.objects.filter(pk=run.pk).update(
            status=SimulationRun.Status.FAILED, error=str(e)[:500], finished=timezone.now()
        )
    if not run.user_id:  # a visitor's profile and address are kept only while it runs
        inputs = {k: v for k, v in run.inputs.items() if k != "profile"}
        SimulationRun.objects.filter(pk=run.pk).update(inputs=inputs, address="")


# ------------------------------------------------------------------------ import


@dataclass
class ImportOutcome:
    created: int
    updated: int
    removed_synthetic: int
    removed_stale: int
    report: ImportReport


@transaction.atomic
def import_programs(
    results: Path,
    *,
    program_codes: Path | None = None,
    institution_codes: Path | None = None,
    cities: Path | None = None,
) -> ImportOutcome:
    """Import NRMP Program Results: all rows or none (raises ImportProblem).

    Idempotent: programs are keyed by NRMP code, so importing the same files again
    changes nothing. The synthetic catalogue is removed, and so are real programs the
    new file no longer lists, so the catalogue is exactly the file's latest Match.
    """
    report = read_program_results(
        results, program_codes=program_codes, institution_codes=institution_codes, cities=cities
    )
    source = f"NRMP Program Results ({results.name}, {report.latest_year}) [NRMP]"
    codes = {r.nrmp_code for r in report.rows}
    removed_synthetic, _ = Program.objects.filter(synthetic=True).delete()
    removed_stale, _ = Program.objects.exclude(nrmp_code__in=codes).delete()
    created, updated = store_rows(report.rows, source=source)
    return ImportOutcome(created, updated, removed_synthetic, removed_stale, report)
