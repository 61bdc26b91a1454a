"""Mobile team benchmark (issue 18): 500 dossiers queued on a phone sync to the demo server in at most 60 s.

    .venv/bin/python bench/mobile_sync.py        # `make bench`: its own demo server (fresh SQLite, demo, gunicorn)
    .venv/bin/python bench/mobile_sync.py --url http://127.0.0.1:8000 --token "$(civicdesk api_token cattien3.luudong)"

Without --url it builds the demo server the README's `make run` builds — a fresh database (var/bench-mobile/), the
Lâm Đồng demo — and serves it with gunicorn (2 workers, as the deployment docs do) on a free loopback port, then
stops it; the token is the demo mobile team's (cattien3.luudong).

What a phone's outbox does when the team is back in range: one `PUT /api/servicedesk/field-dossiers/{uuid}` after
another (a phone sends in order, one at a time), each a birth registration (HT-001) taken in a hamlet in the last two
hours, with a new CCCD each (no likely duplicate: every one enters the register), over HTTP to a running server with
the demo loaded. Then the same 500 again — a phone that lost every answer and replays its whole outbox — which must
create nothing. Registers its own device each run (`POST /api/servicedesk/field-devices`), so runs never collide.
Prints one JSON object: seconds, dossiers a second, p50/p95/max per request, and the answers' status counts.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta


def call(method, url, token, body=None):
    request = urllib.request.Request(
        url, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload = response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        status, payload = error.code, json.loads(error.read() or b"{}")
    return status, payload, time.perf_counter() - started


def dossiers(prefix, count):
    now = datetime.now(UTC)
    for n in range(1, count + 1):
        yield (
            uuid.uuid4(),
            {
                "device": prefix,
                "provisional_code": f"TLD-{prefix}-{n:04d}",
                "taken_at": (now - timedelta(minutes=120) + timedelta(seconds=10 * n)).isoformat(),
                "procedure_code": "HT-001",
                "present": [0, 1, 2],
                "applicant_name": f"Người dân thử {n}",
                "applicant_id_number": f"068{n:09d}",
                "applicant_phone": f"09{n:08d}",
            },
        )


def run(url, token, count):
    status, device, _seconds = call(
        "POST", f"{url}/api/servicedesk/field-devices", token, {"label": "Máy đo tải"}
    )
    if status != 201:
        sys.exit(f"device registration answered {status}: {device}")
    queue = list(dossiers(device["prefix"], count))
    results = {}
    for label in ("sync", "replay"):
        timings, statuses = [], Counter()
        started = time.perf_counter()
        for key, body in queue:
            status, _payload, seconds = call(
                "PUT", f"{url}/api/servicedesk/field-dossiers/{key}", token, body
            )
            timings.append(seconds * 1000)
            statuses[status] += 1
        total = time.perf_counter() - started
        timings.sort()
        results[label] = {
            "seconds": round(total, 2),
            "per_second": round(count / total, 1),
            "ms_p50": round(statistics.median(timings), 1),
            "ms_p95": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "ms_max": round(timings[-1], 1),
            "statuses": dict(statuses),
        }
    return {"dossiers": count, "device": device["prefix"], "machine": platform.processor() or platform.machine(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"), **results}  # fmt: skip


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")


def own_server():
    """A fresh demo database and a gunicorn serving it: (url, token, stop)."""
    var = os.path.join(ROOT, "var", "bench-mobile")
    shutil.rmtree(var, ignore_errors=True)
    os.makedirs(var)
    env = {
        **os.environ,
        "CIVICDESK_VAR": var,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{var}/civicdesk.sqlite3",
    }
    env.setdefault("SECRET_KEY", "bench-mobile-not-secret")
    civicdesk = [os.path.join(BIN, "civicdesk")]
    for args in (
        ["migrate", "-v0"],
        ["createcachetable"],
        ["demo", "--quiet-logins"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(civicdesk + args, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    token = subprocess.run([*civicdesk, "api_token", "cattien3.luudong"], env=env, check=True, cwd=ROOT,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]  # fmt: skip
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([os.path.join(BIN, "gunicorn"), "civicdesk.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", "2", "--timeout", "60"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return url, token, lambda: (server.terminate(), server.wait(timeout=30))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running demo server (default: start one)")
    parser.add_argument("--token", help="an API token of a mobile-team member of Xã Cát Tiên 3 (with --url)")
    parser.add_argument("--count", type=int, default=500)
    options = parser.parse_args()
    stop = None
    if options.url:
        if not options.token:
            parser.error("--url needs --token")
        url, token = options.url.rstrip("/"), options.token
    else:
        url, token, stop = own_server()
    try:
        result = run(url, token, options.count)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        if stop:
            stop()
