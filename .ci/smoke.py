"""Smoke test: the server answers /healthz, every demo account can log in and reach its home page, and the
demo's centrepiece holds: the Home Affairs planner sees the 260-person plan solved with 260 assignments and the
200-person scenario with 200, whatever day this runs; and Di Linh's outreach campaign has reached citizens and
produced dossiers."""

import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
PASSWORD = "civicdesk-demo"
USERS = ["tinh.admin", "noivu.chuyenvien", "tuphap.chuyenvien", "nnmt.chuyenvien", "tongdai.vien", "biepphai.chuyenvien",
         "dilinh.canbo", "dilinh.lanhdao", "camly.canbo", "cattien3.canbo", "dilinh.tinhnguyen"]

for _ in range(60):
    try:
        with urllib.request.urlopen(f"{BASE}/healthz", timeout=5) as response:
            body = response.read().decode()
            assert response.status == 200 and '"ok"' in body, body
            print("healthz:", body)
            break
    except OSError:
        time.sleep(1)
else:
    sys.exit("server did not answer /healthz")

openers = {}
for username in USERS:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{BASE}/accounts/login/", data=data.encode(),
                                     headers={"Referer": f"{BASE}/accounts/login/"})
    response = opener.open(request)
    home = response.read().decode()
    assert response.geturl().rstrip("/") == BASE, f"{username}: landed on {response.geturl()}"
    assert "Xin chào" in home, f"{username}: home page does not greet the user"
    openers[username] = opener
    print(f"login ok: {username}")

planner = openers["noivu.chuyenvien"]
plans = json.loads(planner.open(f"{BASE}/api/staffing/plans").read())
by_total = {p["total"]: p for p in plans}
for total in (260, 200):
    plan = by_total.get(total)
    assert plan is not None, f"no demo plan of {total} people: {[p['name'] for p in plans]}"
    detail = json.loads(planner.open(f"{BASE}/api/staffing/plans/{plan['id']}").read())
    count = len(detail["assignments"])
    assert detail["status"] == "solved" and count == total, (
        f"{plan['name']}: status {detail['status']}, {count} assignments; messages: {detail['messages']}"
    )
    print(f"demo plan ok: {plan['name']} — {count} assignments, {detail['solver_status']}")
officer = openers["dilinh.canbo"]
campaigns = json.loads(officer.open(f"{BASE}/api/outreach/campaigns").read())
outreach = next((c for c in campaigns if c["name"] == "Chủ động tiếp cận người dân"), None)
assert outreach is not None, f"no Di Linh outreach campaign: {[c['name'] for c in campaigns]}"
report = json.loads(officer.open(f"{BASE}/api/outreach/campaigns/{outreach['id']}/report").read())
assert report["targets"] > 300 and report["reached"] > 0 and report["converted"] > 0, report
print(f"demo outreach ok: {report['targets']} targets, {report['reached']} reached, {report['converted']} filed")
print("smoke test passed")
