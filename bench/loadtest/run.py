"""Scale-out load test (issue 21): two app servers, one huey worker, nginx, Locust headless — then stop them all.

    .venv/bin/python bench/loadtest/run.py                                  # 100 users for 4 minutes
    .venv/bin/python bench/loadtest/run.py --run-time 180 --kill-after 60   # the kill run
    .venv/bin/python bench/loadtest/run.py --nginx off                      # round-robin in the load generator

Against the database bench/loadtest/seed_dossiers.py filled (postgres://postgres@127.0.0.1:5432/civicdesk_scale,
with its var/scale/accounts.json), on loopback only: `--servers` gunicorn app servers (docs/deploy/gunicorn.conf.py,
`--workers` sync workers each, ports 8001, 8002, …), one `civicdesk worker` on Redis (db 7 by default), and nginx
on 127.0.0.1:8080 with the app servers as its upstream (when /usr/sbin/nginx exists; else Locust spreads the
requests itself). Locust runs headless for `--run-time` seconds and stops by itself.

`--kill-after S`: S seconds into the run, the first app server (master and workers) and the worker are killed with
SIGKILL; the run goes on against the other server. Afterwards every intake Locust saw accepted (201 with a dossier
code) and every hotline ticket accepted (201 with an id) is looked up in the database: none may be missing.

Writes OUT/summary.json (p50/p95/p99 per endpoint, requests, failures, the targets met or not, load averages)
beside Locust's CSVs and every process's log; prints the summary.
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
NGINX = Path("/usr/sbin/nginx")
INTAKE = "POST /api/servicedesk/dossiers (intake)"
LOOKUP = "POST /tra-cuu/ (status lookup)"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {out}/nginx-body;
    proxy_temp_path {out}/nginx-proxy;
    upstream civicdesk {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        location / {{
            proxy_pass http://civicdesk;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def log(message):
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def start(command, logfile, env):
    """A process in a session of its own, so it and its children can be signalled together."""
    handle = open(logfile, "ab")  # noqa: SIM115 - kept open for the child's lifetime
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def signal_group(process, sig):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop(process, timeout=20):
    if process.poll() is not None:
        return
    signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
        process.wait()


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def warm_up(ports, rounds=12):
    """What a server that has run for a while has done already: each worker loads the templates, the assistant's
    index and its database connection on its first requests (seconds, not what a working day sees)."""
    token = json.loads((ROOT / "var" / "scale" / "accounts.json").read_text())["officers"][0]["token"]
    for port in ports:
        for i in range(rounds):
            for path, body in (("/tra-cuu/", None), ("/api/assistant/ask", {"q": "Đăng ký khai sinh"})):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}",
                    data=None if body is None else json.dumps(body).encode(),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                        "X-Forwarded-For": f"10.255.{port % 256}.{i + 1}",
                    },
                )
                with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=30):
                    pass


def read_stats(path):
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
                "avg_ms": round(float(row["Average Response Time"] or 0), 1),
                "rps": round(float(row["Requests/s"] or 0), 2),
            }
    return rows


def verify(accepted_path, db_url):
    """Every write the load generator saw accepted, looked up in the database."""
    import psycopg

    codes, tickets = [], []
    for line in Path(accepted_path).read_text().splitlines():
        item = json.loads(line)
        (codes if item["kind"] == "dossier" else tickets).append(item["value"])
    with psycopg.connect(db_url) as conn:
        found_codes = {
            r[0] for r in conn.execute("SELECT code FROM servicedesk_dossier WHERE code = ANY(%s)", [codes])
        }
        found_tickets = {
            r[0] for r in conn.execute("SELECT id FROM hotline_ticket WHERE id = ANY(%s)", [tickets])
        }
    missing_codes = sorted(set(codes) - found_codes)
    missing_tickets = sorted(set(tickets) - found_tickets)
    return {
        "dossiers_accepted": len(codes),
        "dossiers_distinct": len(set(codes)),
        "dossiers_found": len(found_codes),
        "dossiers_missing": missing_codes[:50],
        "tickets_accepted": len(tickets),
        "tickets_found": len(found_tickets),
        "tickets_missing": missing_tickets[:50],
        "lost": len(missing_codes) + len(missing_tickets),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="civicdesk_scale")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=int, default=240, help="seconds")
    parser.add_argument("--kill-after", type=int, default=0, help="seconds; 0: no kill")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--first-port", type=int, default=8001)
    parser.add_argument("--nginx-port", type=int, default=8080)
    parser.add_argument("--nginx", choices=["auto", "on", "off"], default="auto")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out or ROOT / "bench" / "out" / f"loadtest-{stamp}{'-kill' if args.kill_after else ''}")
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    use_nginx = args.nginx == "on" or (args.nginx == "auto" and NGINX.exists())
    db_url = f"postgresql://postgres@127.0.0.1:5432/{args.db}"
    env = dict(
        os.environ,
        DATABASE_URL=db_url.replace("postgresql://", "postgres://"),
        REDIS_URL=args.redis_url,
        CIVICDESK_VAR=str(ROOT / "var" / "scale"),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        TRUSTED_PROXIES="127.0.0.1",
        LOG_LEVEL="WARNING",
        GUNICORN_LOGLEVEL="warning",
    )
    env.pop("CIVICDESK_TESTING", None)
    ports = [args.first_port + i for i in range(args.servers)]
    processes = {}
    result = {
        "date": stamp,
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": next(
                (
                    line.split(":", 1)[1].strip()
                    for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")
                ),
                platform.processor(),
            ),
            "python": platform.python_version(),
        },
        "database": args.db,
        "users": args.users,
        "run_time_s": args.run_time,
        "servers": [f"127.0.0.1:{p} ({args.workers} workers)" for p in ports],
        "front": f"nginx 127.0.0.1:{args.nginx_port}" if use_nginx else "client-side round-robin",
        "kill_after_s": args.kill_after or None,
        "load_average": [],
    }
    try:
        for port in ports:
            env_port = dict(env, GUNICORN_ACCESSLOG=str(out / f"access-{port}.log"))
            processes[f"web-{port}"] = start(
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    str(ROOT / "docs" / "deploy" / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "civicdesk.wsgi",
                ],
                out / f"web-{port}.log",
                env_port,
            )
        processes["worker"] = start([str(BIN / "civicdesk"), "worker"], out / "worker.log", env)
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/healthz")
        if use_nginx:
            servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in ports)
            conf = out / "nginx.conf"
            conf.write_text(NGINX_CONF.format(out=out, servers=servers, port=args.nginx_port))
            processes["nginx"] = start([str(NGINX), "-c", str(conf), "-p", str(out)], out / "nginx.log", env)
            wait_http(f"http://127.0.0.1:{args.nginx_port}/healthz")
        warm_up(ports)
        log(f"up: {', '.join(processes)}; load average {os.getloadavg()}")

        locust_env = dict(
            env,
            LOADTEST_ACCOUNTS=str(ROOT / "var" / "scale" / "accounts.json"),
            LOADTEST_ACCEPTED=str(out / "accepted.jsonl"),
            LOADTEST_DATABASE_URL=db_url,
            LOADTEST_HOSTS="" if use_nginx else ",".join(f"http://127.0.0.1:{p}" for p in ports),
        )
        command = [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "loadtest" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "--run-time",
            f"{args.run_time}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{args.nginx_port if use_nginx else ports[0]}",
            "--csv",
            str(out / "locust"),
            "--only-summary",
            # Percentiles of the steady state: the counters restart once all users are running (the ramp-up's
            # first seconds are left out; the accepted writes are logged over the whole run all the same).
            "--reset-stats",
        ]
        result["command"] = " ".join(command)
        started = time.monotonic()
        locust = processes["locust"] = start(command, out / "locust.log", locust_env)
        done = threading.Event()

        def sample_load():
            while not done.wait(10):
                result["load_average"].append(
                    [round(time.monotonic() - started), *(round(x, 2) for x in os.getloadavg())]
                )

        threading.Thread(target=sample_load, daemon=True).start()
        if args.kill_after:
            try:
                locust.wait(args.kill_after)
            except subprocess.TimeoutExpired:
                victim = processes[f"web-{ports[0]}"]
                signal_group(victim, signal.SIGKILL)
                signal_group(processes["worker"], signal.SIGKILL)
                result["killed"] = {
                    "at_s": round(time.monotonic() - started, 1),
                    "what": f"app server 127.0.0.1:{ports[0]} (master and workers) and the worker, SIGKILL",
                }
                log(f"killed {ports[0]} and the worker (SIGKILL)")
        try:
            locust.wait(args.run_time + 120)
        except subprocess.TimeoutExpired:
            locust.kill()
            result["locust_killed"] = True
        done.set()
        result["locust_exit"] = locust.returncode
        result["wall_s"] = round(time.monotonic() - started, 1)
        log(f"locust done ({locust.returncode}); load average {os.getloadavg()}")
    finally:
        for process in processes.values():
            stop(process)
    stats = read_stats(out / "locust_stats.csv")
    result["endpoints"] = stats
    failures = []
    if (out / "locust_failures.csv").exists():
        with open(out / "locust_failures.csv", newline="") as f:
            failures = [
                {"name": r["Name"], "error": r["Error"][:200], "count": int(r["Occurrences"])}
                for r in csv.DictReader(f)
            ]
    result["failures"] = failures
    result["verify"] = verify(out / "accepted.jsonl", db_url)
    total = stats.get("Aggregated", {})
    result["targets"] = {
        "intake_p95_le_100ms": stats.get(INTAKE, {}).get("p95_ms", 1e9) <= 100,
        "lookup_p95_le_50ms": stats.get(LOOKUP, {}).get("p95_ms", 1e9) <= 50,
        "zero_errors": total.get("failures", 1) == 0,
        "no_accepted_write_lost": result["verify"]["lost"] == 0,
    }
    (out / "summary.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"summary: {out / 'summary.json'}")


if __name__ == "__main__":
    main()
