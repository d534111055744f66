"""Where a Monte Carlo draw's time goes, sampled by ``perf`` (run by hand).

Usage: python bench/match_perf.py [--seconds 8] [--rev REV]

Profilers cannot name numba's compiled code, which lives in anonymous executable pages.
This script runs national draws on one thread in this process, attaches
``perf record -e cpu-clock`` to itself for ``--seconds``, and sorts the samples into:
numba's reference-count updates (``NRT_incref`` / ``NRT_decref``, whose addresses
numba's runtime gives), other compiled code, and everything else. It then lists the
hottest 512-byte stretches of compiled code: disassemble one with ``objdump`` (see
docs/match.md) to see which loop it is. With ``--rev``, the draws run the
``preceptor/match`` of that git revision instead (as ``bench/match_ab.py`` imports it),
so that a before and after can be compared.

Needs ``perf`` (Debian's ``linux-perf``); exits with a message where it cannot sample.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def exec_regions() -> list[tuple[int, int]]:
    """This process's anonymous executable mappings (where JIT code lives)."""
    out = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split()
        if "x" in parts[1] and (len(parts) < 6 or not parts[5].startswith(("/", "["))):
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            out.append((lo, hi))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--rev", help="git revision whose preceptor/match to sample")
    args = ap.parse_args()
    if shutil.which("perf") is None:
        print("perf is not installed (Debian: apt install linux-perf)")
        return 1
    import numba

    numba.set_num_threads(1)
    tmp = tempfile.TemporaryDirectory()
    pkg = "preceptor.match"
    if args.rev:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from match_ab import extract

        sys.path.insert(0, tmp.name)
        pkg = extract(args.rev, Path(tmp.name))
    from match_ab import draw_batch

    from preceptor.match.synthetic import national_market

    run = draw_batch(pkg, national_market(seed=0), 4)  # compiles or loads, then warms up
    from numba.core.runtime import rtsys

    inc = rtsys.library.get_pointer_to_function("NRT_incref")
    dec = rtsys.library.get_pointer_to_function("NRT_decref")
    rc_lo, rc_hi = min(inc, dec), max(inc, dec) + 0x40  # two functions of a few bytes
    data = Path(tmp.name) / "perf.data"
    perf = subprocess.Popen(
        ["perf", "record", "-q", "-e", "cpu-clock", "-F", "2000", "-p", str(os.getpid()),
         "-o", str(data), "--", "sleep", str(args.seconds)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(0.5)  # let perf attach
    d = 0
    t0 = time.perf_counter()
    while perf.poll() is None:
        run(d)
        d += 4
    wall = time.perf_counter() - t0
    if perf.returncode != 0 or not data.exists():
        print(f"perf record failed: {perf.stderr.read().decode().strip() if perf.stderr else ''}")
        return 1
    regions = exec_regions()
    ips = subprocess.run(
        ["perf", "script", "-i", str(data), "-F", "ip"], capture_output=True, text=True
    ).stdout.split()
    counts: collections.Counter[str] = collections.Counter()
    hot: collections.Counter[int] = collections.Counter()
    for text in ips:
        ip = int(text, 16)
        if rc_lo <= ip < rc_hi:
            counts["reference counts (NRT_incref, NRT_decref)"] += 1
        elif any(lo <= ip < hi for lo, hi in regions):
            counts["other compiled code"] += 1
            hot[ip & ~511] += 1
        else:
            counts["elsewhere (Python, libraries, kernel)"] += 1
    total = sum(counts.values())
    if total == 0:
        print("no samples (is perf allowed to attach? see /proc/sys/kernel/perf_event_paranoid)")
        return 1
    print(
        f"{pkg} at {args.rev or 'the working tree'}: {d} national draws in {wall:.1f} s "
        f"({1e3 * wall / max(d, 1):.1f} ms/draw, one thread), {total} samples"
    )
    for name, n in counts.most_common():
        print(f"  {name:<45} {100 * n / total:5.1f}%")
    print("  hottest 512-byte stretches of compiled code (address: share):")
    for addr, n in hot.most_common(8):
        print(f"    {addr:#x}: {100 * n / total:4.1f}%")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
