"""Load: 50 logged-in users on the main pages against gunicorn under the production settings.

Usage: python bench/load_bench.py [--quick] [--users N] [--seconds S] [--workers W] [--port P]
       scripts/with-postgres.sh python bench/load_bench.py   # the same on PostgreSQL

Builds a throw-away demo site in a temporary directory (``DEBUG=false``, static files
collected, demo accounts seeded; SQLite, or the PostgreSQL of ``DATABASE_URL``), starts
gunicorn on a free port with W sync workers (default: one per core plus one, as README's
production recipe), logs N users in (one session each) and drives them for S seconds, each
connection taking the next session and the next main page in turn (dashboard, mentors, a
mentor, letters, an application, a request, calendar, programs), as behind a TLS proxy
(``X-Forwarded-Proto: https``). The driver is Debian's ``wrk`` with a Lua script; without
it, a Python asyncio client (which takes a share of the same CPUs, so its figures are lower).

Prints requests/s, p50, p95 and p99 latency, and the errors (socket errors, and any answer
other than 200, such as a redirect to the login page). Targets: 0 errors, >= 120 requests/s,
p95 <= 500 ms on 2 cores. The sessions share ``--accounts`` demo accounts (10; seeding one
takes seconds), each session on one account. ``--quick``: 10 users on 5 accounts, 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "tools"))

import demo_site  # noqa: E402

PAGES_OF_USERS = """
import json
from preceptor.accounts.models import User
from preceptor.core.pages import main_pages
print(json.dumps([list(main_pages(User.objects.get(email=e)).values()) for e in EMAILS]))
"""

WRK_SCRIPT = r"""
-- Each request takes the next (session, page) pair; counts answers other than 200.
local targets = {TARGETS}
local n = #targets
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end
i, bad, seen = 0, 0, 0
function init(args) i = offset or 0 end
function request()
  i = i + 1
  local t = targets[(i % n) + 1]
  -- wrk.format takes these headers instead of wrk.headers (Host is added).
  return wrk.format("GET", t[2], {["Cookie"] = t[1], ["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    seen = status
  end
end
function done(summary, latency, requests)
  local not200, seen = 0, 0
  for _, t in ipairs(threads) do
    not200 = not200 + t:get("bad")
    if t:get("seen") ~= 0 then seen = t:get("seen") end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, ' ..
    '"not200": %d, "a_not200_status": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, not200, seen, e.connect, e.read, e.write, e.timeout,
    e.status))
end
"""


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of gunicorn's master ``pid`` and its workers so far, from
    /proc (0 where there is none): what the requests cost the server, however busy the
    machine is otherwise."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the name: state, ppid, ...; utime and stime are fields 14 and 15 of stat.
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(port: int, email: str) -> str:
    """Log in through the login form as a browser would; return the session's Cookie header."""
    base = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/account/login/", headers=base)
    response = conn.getresponse()
    page = response.read().decode()
    jar = cookies_of(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token or "csrftoken" not in jar:
        raise SystemExit("the login page has no CSRF token")
    from urllib.parse import urlencode

    body = urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": email,
            "password": demo_site.DEMO_PASSWORD,
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        "/account/login/",
        body=body,
        headers={
            **base,
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/account/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = cookies_of(response).get("sessionid")
    if response.status != 302 or not session:
        raise SystemExit(f"logging {email} in failed ({response.status})")
    return f"sessionid={session}; csrftoken={jar['csrftoken']}"


def run_wrk(port: int, targets: list[tuple[str, str]], users: int, seconds: int) -> dict:
    lua = WRK_SCRIPT.replace(
        "{TARGETS}",
        "{" + ", ".join(f"{{{json.dumps(c)}, {json.dumps(p)}}}" for c, p in targets) + "}",
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{users}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(f.name)
    if out.returncode != 0 or "RESULT " not in out.stdout:
        raise SystemExit(f"wrk failed: {out.stdout}{out.stderr}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    r = json.loads(line.removeprefix("RESULT "))
    return {
        "requests": r["requests"],
        "rps": r["requests"] / (r["us"] / 1e6),
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
        "errors": r["not200"] + r["connect"] + r["read"] + r["write"] + r["timeout"],
        "detail": r,
    }


async def _client(
    port: int, targets: list[tuple[str, str]], offset: int, stop: float, out: dict
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    while time.monotonic() < stop:
        cookie, path = targets[i % len(targets)]
        i += 7
        t = time.perf_counter()
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                "X-Forwarded-Proto: https\r\nConnection: keep-alive\r\n\r\n".encode()
            )
            status_line = await reader.readline()
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                if name.lower() == "connection" and "close" in value.lower():
                    close = True
            await reader.readexactly(length)
            out["latencies"].append((time.perf_counter() - t) * 1000)
            if b" 200 " not in status_line:
                out["errors"] += 1
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            out["errors"] += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()


def run_asyncio(port: int, targets: list[tuple[str, str]], users: int, seconds: int) -> dict:
    out: dict = {"latencies": [], "errors": 0}
    t0 = time.monotonic()

    async def main() -> None:
        stop = time.monotonic() + seconds
        await asyncio.gather(*(_client(port, targets, k, stop, out) for k in range(users)))

    asyncio.run(main())
    elapsed = time.monotonic() - t0
    lat = sorted(out["latencies"])

    def pct(q: float) -> float:
        return lat[min(len(lat) - 1, round(q * (len(lat) - 1)))] if lat else 0.0

    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50": statistics.median(lat) if lat else 0.0,
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": out["errors"],
        "detail": {},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--users", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=0)
    parser.add_argument(
        "--accounts", type=int, default=0, help="demo accounts the sessions share (10)"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--driver", choices=["wrk", "asyncio"], default="")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (a free one)")
    args = parser.parse_args()
    users = args.users or (10 if args.quick else 50)
    seconds = args.seconds or (10 if args.quick else 60)
    driver = args.driver or ("wrk" if shutil.which("wrk") else "asyncio")
    accounts = min(users, args.accounts or (5 if args.quick else 10))

    with tempfile.TemporaryDirectory(prefix="preceptor-load-") as tmp:
        env = demo_site.production_env(Path(tmp))
        # Persistent database connections, as the production recipe sets them.
        env.setdefault("CONN_MAX_AGE", "60")
        built = demo_site.prepare(env, users=accounts)
        emails = [demo_site.demo_email(i) for i in range(accounts)]
        pages = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "shell",
                    "-c",
                    PAGES_OF_USERS.replace("EMAILS", repr(emails)),
                ],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = args.port or free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        proc = subprocess.Popen(
            [
                str(gunicorn),
                "preceptor.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            wait_for(port, proc)
            # One session per user, on the accounts in turn (seeding an account takes
            # seconds; a session is what a server keeps per user).
            cookies = [log_in(port, emails[u % accounts]) for u in range(users)]
            # Each session visits its own account's pages; the list interleaves sessions so
            # that the concurrent connections are different users at any moment.
            targets = [
                (cookies[u], pages[u % accounts][p])
                for p in range(len(pages[0]))
                for u in range(users)
            ]
            # Warm every worker's caches and compiled templates, as on a running server.
            run = run_wrk if driver == "wrk" else run_asyncio
            run(port, targets, users, min(seconds, 10))
            load = os.getloadavg()
            cpu_before = server_cpu_seconds(proc.pid)
            r = run(port, targets, users, seconds)
            server_cpu = server_cpu_seconds(proc.pid) - cpu_before
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print(
            f"load: {users} users (sessions on {accounts} demo accounts), {seconds} s, "
            f"gunicorn {args.workers} sync workers on "
            f"{os.cpu_count()} cores, {demo_site.database_label(env)}, production settings, "
            f"driver {driver}; site built in {built:.0f} s; load average before the run "
            f"{load[0]:.2f} (other processes share this machine)"
        )
        print(
            f"requests: {r['requests']}, {r['rps']:.0f} requests/s (target >= 120); "
            f"p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms (target <= 500), "
            f"p99 {r['p99']:.0f} ms; errors {r['errors']} (target 0)"
        )
        if server_cpu and r["requests"]:
            print(
                f"gunicorn's CPU time per request: {server_cpu * 1000 / r['requests']:.1f} ms "
                f"({server_cpu:.0f} s over the run; {os.cpu_count() or 1} cores give as many "
                "seconds a second at most)"
            )
        if r["detail"]:
            print("errors by kind: " + json.dumps(r["detail"]))


if __name__ == "__main__":
    main()
