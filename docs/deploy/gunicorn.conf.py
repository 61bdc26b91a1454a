# /srv/civicdesk/gunicorn.conf.py — one app server: `gunicorn -c /srv/civicdesk/gunicorn.conf.py civicdesk.wsgi`
# (docs/deploy/scale-out.md). Every setting can be overridden on the command line or by GUNICORN_* below.
import multiprocessing
import os

# nginx reaches each app server on its own address; a second server on another host binds its private address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: Django and psycopg do blocking I/O, and each request is short (p95 well under a second).
# Two per core is the usual start; each holds one database connection (CONN_MAX_AGE keeps it open), so the sum over
# all app servers plus the huey workers must stay under PostgreSQL's max_connections.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# A request longer than this is killed and the worker replaced (the KPI export of a whole province is the longest).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Sync workers answer one request per connection (nginx opens a new one each time; no upstream keepalive).
keepalive = 2
# Recycle workers now and then so a slow leak cannot grow without bound; the jitter avoids all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Load the app in the master before forking: workers start in milliseconds and share the imported code's memory.
# Database connections are opened lazily in each worker, never in the master, so nothing is shared by the fork.
# The price: `kill -HUP` restarts the workers with the code already loaded; new code needs a restart of the server
# (`systemctl restart civicdesk-web`, one app server at a time behind nginx).
preload_app = True
# Only nginx on this host talks to gunicorn; it sets X-Forwarded-For / -Proto (TRUSTED_PROXIES, BEHIND_PROXY).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Worker heartbeat files in memory, not on a (possibly slow) disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "civicdesk-web"
