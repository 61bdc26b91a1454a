"""A working day at the province's one-stop centres, for Locust (issue 21, scale-out). Loopback only.

    .venv/bin/locust -f bench/loadtest/locustfile.py --headless -u 100 -r 20 --run-time 4m \
        --host http://127.0.0.1:8080 --csv bench/out/loadtest/locust        # bench/loadtest/run.py does all this

Three kinds of users, weighted like a working day (100 users: 50 officers, 40 citizens, 10 managers):

- a commune officer at the counter (API token of a `load.<commune>` account, bench/loadtest/seed_dossiers.py):
  registers dossiers (`POST /api/servicedesk/dossiers`, the counter intake), asks the assistant
  (`POST /api/assistant/ask`) and now and then sends the hotline a question (`POST /api/hotline/tickets`);
- a citizen: opens `/tra-cuu/` and looks a dossier up by code and the phone's last four digits (a seeded dossier, or
  one registered during the run);
- a manager of the province (session login as `load.tinh`): the service desk dashboard `/servicedesk/kpi/`.

Every user comes from an address of its own (X-Forwarded-For, believed from nginx on 127.0.0.1 with
TRUSTED_PROXIES=127.0.0.1), as citizens and commune offices would; each lookup comes from a new citizen's address.

Every intake carries an `Idempotency-Key`, a new uuid4 per dossier; when its answer is lost (the connection cut, or
nginx's 502/503/504 because the app server died under it) the officer's app sends the same dossier once more with
the same key, counted as "(intake retry)": the server answers the dossier the first attempt registered, if it did
(201 with `Idempotent-Replayed: true`), and registers it otherwise. Every intake answered 201 is written with its
code to LOADTEST_ACCEPTED (JSON lines), every hotline ticket answered 201 with its id, so the runner can check after
the run that none was lost. LOADTEST_HOSTS (comma-separated base URLs) spreads the requests round-robin over several
app servers when there is no nginx; a server that refuses connections is skipped for 5 s (what nginx's
max_fails/fail_timeout does), so the run goes on when one is killed.
"""

import itertools
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = json.loads(Path(os.environ.get("LOADTEST_ACCOUNTS", ROOT / "var/scale/accounts.json")).read_text())
ACCEPTED = Path(os.environ.get("LOADTEST_ACCEPTED", ROOT / "var/scale/accepted.jsonl"))
DB_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/civicdesk_scale")
HOSTS = [h.rstrip("/") for h in os.environ.get("LOADTEST_HOSTS", "").split(",") if h.strip()]

QUESTIONS = [
    "Đăng ký khai sinh cần giấy tờ gì?",
    "Làm lại căn cước bị mất ở đâu?",
    "Thủ tục đăng ký kết hôn mất bao lâu?",
    "Chứng thực bản sao có mất phí không?",
    "Xin giấy phép xây dựng nhà ở nông thôn thế nào?",
    "Đăng ký hộ kinh doanh cần những gì?",
    "Trích lục khai tử ở đâu?",
    "Hồ sơ trợ cấp xã hội cho người cao tuổi",
    "Chuyển mục đích sử dụng đất nông nghiệp",
    "Giá vé xem bóng đá hôm nay",  # out of scope: the assistant must refuse
]
HOTLINE = [
    (
        "Khai sinh có yếu tố nước ngoài",
        "Mẹ là công dân Việt Nam, cha là người nước ngoài: xã có đăng ký không?",
        "ho_tich",
    ),
    ("Tách thửa đất ở", "Diện tích tối thiểu được tách thửa ở xã là bao nhiêu?", "dat_dai"),
    ("Trợ cấp người khuyết tật", "Hồ sơ trợ cấp hằng tháng nộp ở đâu, bao lâu có kết quả?", "bao_tro_xa_hoi"),
    ("Chứng thực chữ ký", "Văn bản bằng tiếng nước ngoài có chứng thực chữ ký ở xã được không?", None),
]

_lock = threading.Lock()
_known = []  # (code, phone last 4) to look up: a sample of the seeded dossiers, then the ones registered now
_address = itertools.count(1)
_host_cycle = itertools.cycle(range(max(1, len(HOSTS))))
_down_until = {}
_procedures = []  # (code, number of components) of the procedures with verified processing days


def _new_address():
    n = next(_address)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


@events.test_start.add_listener
def _load_fixtures(environment, **_kwargs):
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        _known.extend(
            conn.execute(
                "SELECT code, phone_last4 FROM servicedesk_dossier TABLESAMPLE SYSTEM (0.1) "
                "WHERE phone_last4 <> '' LIMIT 20000"
            ).fetchall()
        )
        for code, methods, components in conn.execute(
            "SELECT code, methods, components FROM handbook_procedure WHERE status = 'published' ORDER BY code"
        ).fetchall():
            days = [m.get("processing_days") for m in methods or [] if m.get("method") == "truc_tiep"]
            if days and days[0] is not None:
                _procedures.append((code, len(components or [])))
    ACCEPTED.parent.mkdir(parents=True, exist_ok=True)
    ACCEPTED.write_text("")
    print(f"locustfile: {len(_known)} dossiers to look up, {len(_procedures)} procedures", flush=True)


def _record(kind, value):
    with _lock, ACCEPTED.open("a") as f:
        f.write(json.dumps({"kind": kind, "value": value, "at": time.time()}) + "\n")


class CivicUser(HttpUser):
    abstract = True
    host = "http://127.0.0.1:8080"

    def on_start(self):
        self.address = _new_address()
        self.client.headers["X-Forwarded-For"] = self.address

    def url(self, path):
        """The path on the next app server (round-robin over LOADTEST_HOSTS), or on --host when unset."""
        if not HOSTS:
            return path
        for _ in range(len(HOSTS)):
            with _lock:
                i = next(_host_cycle)
            if _down_until.get(i, 0) <= time.monotonic():
                return HOSTS[i] + path
        return HOSTS[0] + path

    def mark_down(self, url):
        for i, host in enumerate(HOSTS):
            if url.startswith(host):
                _down_until[i] = time.monotonic() + 5


class Officer(CivicUser):
    """A commune officer at the counter: mostly registering dossiers, sometimes asking the assistant or the hotline."""

    weight = 5
    wait_time = between(2, 6)

    def on_start(self):
        super().on_start()
        account = random.choice(ACCOUNTS["officers"])
        self.client.headers["Authorization"] = f"Bearer {account['token']}"

    def _post(self, path, name, payload, headers=None):
        """The JSON of a 201, else None (the failure recorded); `self.unanswered`: the request may or may not have
        been carried out (no answer, or nginx's answer for an app server that died under it)."""
        url = self.url(path)
        self.unanswered = False
        with self.client.post(url, json=payload, headers=headers, name=name, catch_response=True) as response:
            if response.status_code == 0:  # connection refused or reset: the server is gone
                self.mark_down(url)
                self.unanswered = True
                response.failure(f"no answer: {response.error}")
                return None
            if response.status_code != 201:
                self.unanswered = response.status_code in (502, 503, 504)
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    @task(10)
    def intake(self):
        procedure, components = random.choice(_procedures)
        phone = f"09{random.randrange(10**8):08d}"
        payload = {
            "procedure_code": procedure,
            "present": list(range(components)),
            "applicant_name": "Ka Huệ",
            "applicant_id_number": f"068{random.randrange(1, 10**9):09d}",
            "applicant_phone": phone,
            "channel": random.choice(["truc_tiep", "truc_tiep", "truc_tuyen_ho_tro", "luu_dong"]),
        }
        # One key per dossier, not per request: the retry is the same dossier and must not register it twice.
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        path = "/api/servicedesk/dossiers"
        body = self._post(path, "POST /api/servicedesk/dossiers (intake)", payload, headers)
        if body is None and self.unanswered:
            body = self._post(path, "POST /api/servicedesk/dossiers (intake retry)", payload, headers)
        if body and body.get("code"):
            _record("dossier", body["code"])
            with _lock:
                _known.append((body["code"], phone[-4:]))

    @task(3)
    def ask(self):
        url = self.url("/api/assistant/ask")
        with self.client.post(
            url, json={"q": random.choice(QUESTIONS)}, name="POST /api/assistant/ask", catch_response=True
        ) as response:
            if response.status_code == 0:
                self.mark_down(url)
                response.failure(f"no answer: {response.error}")
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def hotline(self):
        title, body, field = random.choice(HOTLINE)
        payload = {"title": title, "body": body, "urgency": "normal"}
        if field:
            payload["field"] = field
        answer = self._post("/api/hotline/tickets", "POST /api/hotline/tickets", payload)
        if answer and answer.get("id"):
            _record("ticket", answer["id"])


class Citizen(CivicUser):
    """A citizen checking a dossier: the lookup page, then the code and the phone's last four digits."""

    weight = 4
    wait_time = between(1, 5)

    def on_start(self):
        super().on_start()
        url = self.url("/tra-cuu/")
        self.client.get(url, name="GET /tra-cuu/")

    @task
    def lookup(self):
        with _lock:
            code, phone4 = random.choice(_known)
        # Each lookup is another citizen (the page allows 10 a 10 minutes per address).
        self.client.headers["X-Forwarded-For"] = _new_address()
        url = self.url("/tra-cuu/")
        token = self.client.cookies.get("csrftoken")
        if token is None:
            self.client.get(url, name="GET /tra-cuu/")
            token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            url,
            data={"code": code, "phone4": phone4, "csrfmiddlewaretoken": token},
            headers={"Referer": url},
            name="POST /tra-cuu/ (status lookup)",
            catch_response=True,
        ) as response:
            if response.status_code == 0:
                self.mark_down(url)
                response.failure(f"no answer: {response.error}")
            elif response.status_code != 200:
                response.failure(f"{response.status_code} for {code}")


class Manager(CivicUser):
    """Someone at the province watching the service desk's dashboard."""

    weight = 1
    wait_time = between(5, 15)

    def on_start(self):
        super().on_start()
        self.logged_in = False

    def login(self):
        url = self.url("/accounts/login/")
        self.client.get(url, name="GET /accounts/login/")
        admin = ACCOUNTS["admin"]
        response = self.client.post(
            url,
            data={
                "username": admin["username"],
                "password": admin["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": url},
            name="POST /accounts/login/",
            allow_redirects=False,
        )
        self.logged_in = response.status_code == 302

    @task
    def dashboard(self):
        if not self.logged_in:
            self.login()
        url = self.url("/servicedesk/kpi/")
        with self.client.get(
            url, name="GET /servicedesk/kpi/ (dashboard)", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 0:
                self.mark_down(url)
                response.failure(f"no answer: {response.error}")
            elif response.status_code != 200:
                response.failure(str(response.status_code))
                self.logged_in = False
