"""The market: applicants, programs, rank order lists, couples and supplemental lists.

A :class:`Market` is immutable and holds its rank order lists as CSR arrays (an
``indptr`` array of row starts and a flat array of entries), which is what the compiled
kernels walk. Build one with :meth:`Market.build`, which checks every row and raises
:class:`ValueError` naming the offending one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ._checks import INT32_MAX, MarketError, MatchInputError, check_int

__all__ = ["NO_MATCH", "TRACKS", "Couple", "Market"]

#: Placeholder for "this partner takes no position" in a couple's program pair.
NO_MATCH: Final = "-"

#: Program tracks, as the letter ``T`` of an NRMP program code ``IIIISSSTN``:
#: categorical, preliminary PGY-1, advanced PGY-2, reserved (physician) PGY-2, primary care.
TRACKS: Final = "CPARM"
_ADVANCED: Final = TRACKS.index("A")
_PRELIMINARY: Final = TRACKS.index("P")

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Couple:
    """Two applicants who match as a unit through one joint rank order list.

    ``first_programs[k]`` and ``second_programs[k]`` form the couple's ``k + 1``-th
    choice; either may be :data:`NO_MATCH` (but not both).

    Examples
    --------
    >>> Couple("ann", "bob", ["h1", "h2"], ["h2", NO_MATCH]).pairs()
    [('h1', 'h2'), ('h2', '-')]
    """

    first: str
    second: str
    first_programs: Sequence[str]
    second_programs: Sequence[str]

    def pairs(self) -> list[tuple[str, str]]:
        """The joint list as ``(first's program, second's program)`` pairs."""
        return list(zip(self.first_programs, self.second_programs, strict=True))


def _csr(rows: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    flat = np.fromiter((x for r in rows for x in r), dtype=np.int64, count=int(indptr[-1]))
    return indptr, flat


def _permute_rows(ptr: IntArray, flat: IntArray, order: IntArray) -> tuple[IntArray, IntArray]:
    """CSR rows taken in ``order``."""
    lens = np.diff(ptr)[order]
    new_ptr = np.zeros(len(order) + 1, dtype=np.int64)
    new_ptr[1:] = np.cumsum(lens)
    # Each new entry's source: its row's old start plus its place within the row.
    src = np.repeat(ptr[order] - new_ptr[:-1], lens) + np.arange(new_ptr[-1], dtype=np.int64)
    return new_ptr, flat[src]


def _check_arrays(m: Market) -> None:
    """Check a market's arrays before any kernel walks them: integer types, shapes,
    CSR row pointers, every index in range, quotas from 0 to 2**31 - 1. O(entries), once
    per market. The kernels index without bounds checks, so an index out of range here
    would read or write outside an array."""
    n_app, n_prog, n_cpl = len(m.applicant_ids), len(m.program_ids), len(m.couple_members)

    def fail(msg: str) -> None:
        raise MatchInputError(f"Market: {msg}")

    arrays: dict[str, Any] = {
        "quota": m.quota, "track": m.track, "a_ptr": m.a_ptr, "a_list": m.a_list,
        "p_ptr": m.p_ptr, "p_list": m.p_list, "s_ptr": m.s_ptr, "s_list": m.s_list,
        "couple_members": m.couple_members, "c_ptr": m.c_ptr, "c_pairs": m.c_pairs,
    }  # fmt: skip
    for name, x in arrays.items():
        if not isinstance(x, np.ndarray) or x.dtype.kind not in "iu":
            fail(f"{name} must be a NumPy integer array, not {getattr(x, 'dtype', type(x))}")
        if x.size > INT32_MAX:
            fail(f"{name} has {x.size:,} entries, more than the {INT32_MAX:,} the kernels index")
    if max(n_app, n_prog) > INT32_MAX:
        fail(f"more than {INT32_MAX:,} applicants or programs")
    shapes = {
        "quota": (n_prog,), "track": (n_prog,), "a_ptr": (n_app + 1,), "p_ptr": (n_prog + 1,),
        "s_ptr": (n_app + 1,), "c_ptr": (n_cpl + 1,),
    }  # fmt: skip
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            fail(f"{name} has shape {arrays[name].shape}, expected {shape}")
    for name in ("a_list", "p_list", "s_list"):
        if arrays[name].ndim != 1:
            fail(f"{name} must be one-dimensional")
    for name in ("couple_members", "c_pairs"):
        if arrays[name].ndim != 2 or arrays[name].shape[1] != 2:
            fail(f"{name} must have shape (n, 2), not {arrays[name].shape}")

    def in_range(name: str, lo: int, hi: int) -> None:
        x = arrays[name]
        if x.size and (int(x.min()) < lo or int(x.max()) > hi):
            bad = x[(x < lo) | (x > hi)].flat[0]
            fail(f"{name} holds {int(bad)}, outside {lo} to {hi}")

    in_range("quota", 0, INT32_MAX)
    in_range("track", 0, len(TRACKS) - 1)
    for ptr, flat in (("a_ptr", "a_list"), ("p_ptr", "p_list"), ("s_ptr", "s_list"),
                      ("c_ptr", "c_pairs")):  # fmt: skip
        x = arrays[ptr]
        if x[0] != 0 or x[-1] != len(arrays[flat]) or (np.diff(x) < 0).any():
            fail(f"{ptr} must rise from 0 to len({flat}) = {len(arrays[flat])}")
    in_range("a_list", 0, n_prog - 1)
    in_range("s_list", 0, n_prog - 1)
    in_range("p_list", 0, n_app - 1)
    in_range("couple_members", 0, n_app - 1)
    in_range("c_pairs", -1, n_prog - 1)
    if len(m.c_pairs) and ((m.c_pairs[:, 0] < 0) & (m.c_pairs[:, 1] < 0)).any():
        fail("a couple's pair has no program for either partner")
    if m.applicant_type and len(m.applicant_type) != n_app:
        fail(f"applicant_type has {len(m.applicant_type)} entries, expected {n_app}")


@dataclass(frozen=True, eq=False)
class Market:
    """An NRMP-style market; build it with :meth:`Market.build`.

    Attributes
    ----------
    applicant_ids, program_ids : tuple of str
        Identifiers; positions in these tuples are the integer ids used by the arrays.
    quota : ndarray of int64, shape (n_programs,)
    track : ndarray of int8, shape (n_programs,)
        Index into :data:`TRACKS`.
    a_ptr, a_list : ndarray of int64
        Applicants' primary rank order lists (CSR); empty for couple members.
    p_ptr, p_list : ndarray of int64
        Programs' rank order lists (CSR) over applicant ids.
    s_ptr, s_list : ndarray of int64
        Supplemental PGY-1 lists (CSR), empty for most applicants.
    couple_members : ndarray of int64, shape (n_couples, 2)
    c_ptr, c_pairs : ndarray of int64
        Couples' joint lists (CSR); ``c_pairs`` has shape (n, 2) and -1 means no match.
    applicant_type : tuple of str
        Free-text applicant category (e.g. ``"US MD"``), for reporting only.
    """

    applicant_ids: tuple[str, ...]
    program_ids: tuple[str, ...]
    quota: IntArray
    track: npt.NDArray[np.int8]
    a_ptr: IntArray
    a_list: IntArray
    p_ptr: IntArray
    p_list: IntArray
    s_ptr: IntArray
    s_list: IntArray
    couple_members: IntArray
    c_ptr: IntArray
    c_pairs: IntArray
    applicant_type: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _check_arrays(self)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        *,
        quotas: Mapping[str, int],
        applicant_rankings: Mapping[str, Sequence[str]],
        program_rankings: Mapping[str, Sequence[str]],
        tracks: Mapping[str, str] | None = None,
        couples: Iterable[Couple] = (),
        supplemental: Mapping[str, Sequence[str]] | None = None,
        applicant_types: Mapping[str, str] | None = None,
    ) -> Market:
        """Check the inputs and build a market.

        Parameters
        ----------
        quotas : mapping of program id to number of positions
            Defines the programs, in order.
        applicant_rankings : mapping of applicant id to programs, best first
            Defines the single applicants, in order.
        program_rankings : mapping of program id to applicants, best first
            A program missing here ranks nobody.
        tracks : mapping of program id to a letter of :data:`TRACKS`, optional
            Defaults to ``"C"`` (categorical).
        couples : iterable of Couple
            Couple members are applicants too (appended after the singles) and must not
            also have a single list.
        supplemental : mapping of applicant id to preliminary programs, optional
            PGY-1 list used when the applicant matches an advanced program.
        applicant_types : mapping of applicant id to a category, optional

        Returns
        -------
        Market

        Raises
        ------
        MarketError (a ValueError)
            Naming the offending row: duplicate ranks, unknown ids, quotas that are not
            whole numbers from 0 to 2**31 - 1, unknown tracks, couple lists of unequal
            lengths, and so on; its ``source``, ``owner`` and ``position`` say where.

        Examples
        --------
        >>> m = Market.build(
        ...     quotas={"h1": 1, "h2": 1},
        ...     applicant_rankings={"a": ["h1", "h2"], "b": ["h1"]},
        ...     program_rankings={"h1": ["b", "a"], "h2": ["a"]},
        ... )
        >>> m.n_applicants, m.n_programs, m.n_ranks
        (2, 2, 3)
        >>> Market.build(quotas={"h1": -1}, applicant_rankings={}, program_rankings={})
        Traceback (most recent call last):
        ...
        preceptor.match._checks.MarketError: program 'h1': negative quota -1
        """
        tracks = dict(tracks or {})
        supplemental = dict(supplemental or {})
        couples = list(couples)

        program_ids = tuple(quotas)
        prog_index = {p: i for i, p in enumerate(program_ids)}
        quota = np.zeros(len(program_ids), dtype=np.int64)
        for i, p in enumerate(program_ids):
            q = quotas[p]
            if isinstance(q, int | np.integer) and not isinstance(q, bool) and q < 0:
                raise MarketError(f"program {p!r}: negative quota {q}", source="quota", owner=p)
            try:
                quota[i] = check_int(f"program {p!r}: quota", q, 0, INT32_MAX)
            except MatchInputError as exc:
                raise MarketError(str(exc), source="quota", owner=p) from None
        track = np.zeros(len(program_ids), dtype=np.int8)
        for p, t in tracks.items():
            if p not in prog_index:
                raise MarketError(f"tracks: unknown program {p!r}")
            if not isinstance(t, str) or len(t) != 1 or t not in TRACKS:
                raise MarketError(
                    f"program {p!r}: unknown track {t!r} (expected one of {TRACKS})",
                    source="quota",
                    owner=p,
                )
            track[prog_index[p]] = TRACKS.index(t)

        applicant_ids: list[str] = list(applicant_rankings)
        app_index = {a: i for i, a in enumerate(applicant_ids)}
        for ci, c in enumerate(couples):
            if c.first == c.second:
                raise MarketError(
                    f"couple ({c.first!r}, {c.second!r}): partners must differ",
                    source="couple",
                    owner=ci,
                )
            for member in (c.first, c.second):
                if member in app_index:
                    where = (
                        "another couple" if member not in applicant_rankings else "a single list"
                    )
                    raise MarketError(
                        f"couple ({c.first!r}, {c.second!r}): applicant {member!r} "
                        f"already has {where}",
                        source="couple",
                        owner=ci,
                    )
                app_index[member] = len(applicant_ids)
                applicant_ids.append(member)

        def _programs(owner: str, ranked: Sequence[str], source: str, who: str) -> list[int]:
            if isinstance(ranked, str):
                raise MarketError(
                    f"{owner}: expected a list of program ids, got a string",
                    source=source,
                    owner=who,
                )
            seen: dict[str, int] = {}
            out = []
            for k, p in enumerate(ranked, start=1):
                if p not in prog_index:
                    raise MarketError(
                        f"{owner}, rank {k}: unknown program {p!r}",
                        source=source,
                        owner=who,
                        position=k,
                    )
                if p in seen:
                    raise MarketError(
                        f"{owner}, rank {k}: program {p!r} already ranked at rank {seen[p]}",
                        source=source,
                        owner=who,
                        position=k,
                    )
                seen[p] = k
                out.append(prog_index[p])
            return out

        a_rows = [
            _programs(f"applicant {a!r}", applicant_rankings[a], "applicant", a)
            for a in applicant_rankings
        ]
        a_rows += [[] for _ in range(len(applicant_ids) - len(a_rows))]

        p_rows: list[list[int]] = [[] for _ in program_ids]
        for p, ranked in program_rankings.items():
            if p not in prog_index:
                raise MarketError(f"program rankings: unknown program {p!r}")
            if isinstance(ranked, str):
                raise MarketError(
                    f"program {p!r}: expected a list of applicant ids, got a string",
                    source="program",
                    owner=p,
                )
            seen: dict[str, int] = {}
            row = p_rows[prog_index[p]]
            for k, a in enumerate(ranked, start=1):
                here: tuple[str, str | int, int] = ("program", p, k)
                if a not in app_index:
                    raise MarketError(
                        f"program {p!r}, rank {k}: unknown applicant {a!r}",
                        source=here[0],
                        owner=here[1],
                        position=here[2],
                    )
                if a in seen:
                    raise MarketError(
                        f"program {p!r}, rank {k}: applicant {a!r} already ranked at rank "
                        f"{seen[a]}",
                        source=here[0],
                        owner=here[1],
                        position=here[2],
                    )
                seen[a] = k
                row.append(app_index[a])

        s_rows: list[list[int]] = [[] for _ in applicant_ids]
        for a, ranked in supplemental.items():
            owner = f"supplemental list of {a!r}"
            if a not in app_index:
                raise MarketError(f"{owner}: unknown applicant {a!r}")
            if a not in applicant_rankings:
                raise MarketError(
                    f"{owner}: couple members cannot have supplemental lists",
                    source="supplemental",
                    owner=a,
                )
            row = _programs(owner, ranked, "supplemental", a)
            for k, pi in enumerate(row, start=1):
                if track[pi] != _PRELIMINARY:
                    raise MarketError(
                        f"{owner}, rank {k}: program {program_ids[pi]!r} is not preliminary (P)",
                        source="supplemental",
                        owner=a,
                        position=k,
                    )
            if row and not any(track[pi] == _ADVANCED for pi in a_rows[app_index[a]]):
                raise MarketError(
                    f"{owner}: applicant ranks no advanced (A) program",
                    source="supplemental",
                    owner=a,
                )
            s_rows[app_index[a]] = row

        members = np.zeros((len(couples), 2), dtype=np.int64)
        c_rows: list[list[tuple[int, int]]] = []
        for ci, c in enumerate(couples):
            owner = f"couple ({c.first!r}, {c.second!r})"
            if len(c.first_programs) != len(c.second_programs):
                raise MarketError(
                    f"{owner}: lists of unequal lengths "
                    f"({len(c.first_programs)} and {len(c.second_programs)})",
                    source="couple",
                    owner=ci,
                )
            members[ci] = app_index[c.first], app_index[c.second]
            pairs: list[tuple[int, int]] = []
            seen_pairs: dict[tuple[str, str], int] = {}
            for k, (p1, p2) in enumerate(c.pairs(), start=1):
                here = ("couple", ci, k)
                if p1 == NO_MATCH and p2 == NO_MATCH:
                    raise MarketError(
                        f"{owner}, rank {k}: both partners {NO_MATCH!r}",
                        source=here[0],
                        owner=here[1],
                        position=here[2],
                    )
                for p in (p1, p2):
                    if p != NO_MATCH and p not in prog_index:
                        raise MarketError(
                            f"{owner}, rank {k}: unknown program {p!r}",
                            source=here[0],
                            owner=here[1],
                            position=here[2],
                        )
                if (p1, p2) in seen_pairs:
                    raise MarketError(
                        f"{owner}, rank {k}: pair ({p1!r}, {p2!r}) already ranked at rank "
                        f"{seen_pairs[(p1, p2)]}",
                        source=here[0],
                        owner=here[1],
                        position=here[2],
                    )
                seen_pairs[(p1, p2)] = k
                pairs.append((prog_index.get(p1, -1), prog_index.get(p2, -1)))
            c_rows.append(pairs)

        a_ptr, a_list = _csr(a_rows)
        p_ptr, p_list = _csr(p_rows)
        s_ptr, s_list = _csr(s_rows)
        c_ptr = np.zeros(len(c_rows) + 1, dtype=np.int64)
        c_ptr[1:] = np.cumsum([len(r) for r in c_rows])
        c_pairs = np.array([x for r in c_rows for x in r], dtype=np.int64).reshape(-1, 2)
        types = applicant_types or {}
        for a in types:
            if a not in app_index:
                raise MarketError(f"applicant types: unknown applicant {a!r}")
        return cls(
            applicant_ids=tuple(applicant_ids),
            program_ids=program_ids,
            quota=quota,
            track=track,
            a_ptr=a_ptr,
            a_list=a_list,
            p_ptr=p_ptr,
            p_list=p_list,
            s_ptr=s_ptr,
            s_list=s_list,
            couple_members=members,
            c_ptr=c_ptr,
            c_pairs=c_pairs,
            applicant_type=tuple(types.get(a, "") for a in applicant_ids),
        )

    # ------------------------------------------------------------------ sizes
    @property
    def n_applicants(self) -> int:
        return len(self.applicant_ids)

    @property
    def n_programs(self) -> int:
        return len(self.program_ids)

    @property
    def n_couples(self) -> int:
        return len(self.couple_members)

    @property
    def n_ranks(self) -> int:
        """Ranks on applicants' primary lists (couples' pairs count once each)."""
        return int(len(self.a_list) + len(self.c_pairs))

    @property
    def has_supplemental(self) -> bool:
        return bool(len(self.s_list))

    # ------------------------------------------------------------------ renumbering
    def with_applicant_order(self, order: npt.ArrayLike) -> Market:
        """The same market with its applicants renumbered: new applicant ``i`` is old
        applicant ``order[i]``. Lists, couples and ids are unchanged in meaning.

        Examples
        --------
        >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"], "b": ["h"]},
        ...                  program_rankings={"h": ["b", "a"]})
        >>> r = m.with_applicant_order([1, 0])
        >>> r.applicant_ids, r.program_rankings() == m.program_rankings()
        (('b', 'a'), True)
        """
        order = np.asarray(order, dtype=np.int64)
        n = self.n_applicants
        if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
            raise ValueError(f"order must be a permutation of the {n} applicants")
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n, dtype=np.int64)
        a_ptr, a_list = _permute_rows(self.a_ptr, self.a_list, order)
        s_ptr, s_list = _permute_rows(self.s_ptr, self.s_list, order)
        return Market(
            applicant_ids=tuple(self.applicant_ids[i] for i in order.tolist()),
            program_ids=self.program_ids,
            quota=self.quota,
            track=self.track,
            a_ptr=a_ptr,
            a_list=a_list,
            p_ptr=self.p_ptr,
            p_list=inv[self.p_list],
            s_ptr=s_ptr,
            s_list=s_list,
            couple_members=inv[self.couple_members].reshape(-1, 2),
            c_ptr=self.c_ptr,
            c_pairs=self.c_pairs,
            applicant_type=(
                tuple(self.applicant_type[i] for i in order.tolist()) if self.applicant_type else ()
            ),
        )

    # ------------------------------------------------------------------ lookups
    @cached_property
    def program_rank(self) -> tuple[IntArray, IntArray]:
        """``(keys, ranks)``: sorted ``program * n_applicants + applicant`` keys and the
        0-based position of the applicant on that program's list."""
        n = self.n_applicants
        prog = np.repeat(np.arange(self.n_programs, dtype=np.int64), np.diff(self.p_ptr))
        keys = prog * n + self.p_list
        ranks = np.arange(len(self.p_list), dtype=np.int64) - self.p_ptr[prog]
        order = np.argsort(keys, kind="stable")
        return keys[order], ranks[order]

    def rank_of(self, programs: npt.ArrayLike, applicants: npt.ArrayLike) -> IntArray:
        """Position (0-based) of each applicant on each program's list, -1 if unranked.

        Examples
        --------
        >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"], "b": ["h"]},
        ...                  program_rankings={"h": ["b", "a"]})
        >>> m.rank_of([0, 0], [0, 1]).tolist()
        [1, 0]
        """
        keys, ranks = self.program_rank
        p = np.asarray(programs, dtype=np.int64)
        a = np.asarray(applicants, dtype=np.int64)
        q = p * self.n_applicants + a
        if len(keys) == 0:
            return np.full(q.shape, -1, dtype=np.int64)
        i = np.clip(np.searchsorted(keys, q), 0, len(keys) - 1)
        return np.where((keys[i] == q) & (p >= 0), ranks[i], -1)

    def applicant_index(self, applicant_id: str) -> int:
        return self._app_index[applicant_id]

    def program_index(self, program_id: str) -> int:
        return self._prog_index[program_id]

    @cached_property
    def _app_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.applicant_ids)}

    @cached_property
    def _prog_index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.program_ids)}

    # ------------------------------------------------------------------ views
    def applicant_rankings(self) -> dict[str, list[str]]:
        """Single applicants' primary lists as ids (couple members omitted)."""
        in_couple = set(self.couple_members.ravel().tolist())
        pid = self.program_ids
        return {
            a: [pid[p] for p in self.a_list[self.a_ptr[i] : self.a_ptr[i + 1]]]
            for i, a in enumerate(self.applicant_ids)
            if i not in in_couple
        }

    def program_rankings(self) -> dict[str, list[str]]:
        aid = self.applicant_ids
        return {
            p: [aid[a] for a in self.p_list[self.p_ptr[i] : self.p_ptr[i + 1]]]
            for i, p in enumerate(self.program_ids)
        }

    def supplemental_lists(self) -> dict[str, list[str]]:
        pid = self.program_ids
        return {
            a: [pid[p] for p in self.s_list[self.s_ptr[i] : self.s_ptr[i + 1]]]
            for i, a in enumerate(self.applicant_ids)
            if self.s_ptr[i + 1] > self.s_ptr[i]
        }

    def couples(self) -> list[Couple]:
        out = []
        for c in range(self.n_couples):
            pairs = self.c_pairs[self.c_ptr[c] : self.c_ptr[c + 1]]
            names = [[NO_MATCH if p < 0 else self.program_ids[p] for p in col] for col in pairs.T]
            a1, a2 = (self.applicant_ids[m] for m in self.couple_members[c])
            out.append(Couple(a1, a2, names[0], names[1]))
        return out

    def tracks(self) -> dict[str, str]:
        return {p: TRACKS[t] for p, t in zip(self.program_ids, self.track.tolist(), strict=True)}

    def quotas(self) -> dict[str, int]:
        return dict(zip(self.program_ids, self.quota.tolist(), strict=True))
