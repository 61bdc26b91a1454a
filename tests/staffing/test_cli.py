"""`civicdesk secondment plan`: the exact interface, end to end on small CSV files."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civicdesk.staffing import optimizer
from civicdesk.staffing.plan_io import load_plan_input

from .test_plans import brute_force

COMMUNES = "commune_code,lat,lon\n25000,11.58,108.07\n24787,11.94,108.42\n"
NEEDS = "commune_code,field,units,priority\n25000,ho_tich,2,5\n25000,dat_dai,1,3\n24787,ho_tich,1,2\n"
STAFF = (
    "staff_id,department,fields,home_lat,home_lon\n"
    "TP1,tu-phap,ho_tich,11.94,108.44\nTP2,tu-phap,ho_tich;mot_cua,11.94,108.44\n"
    "NN1,nnmt,dat_dai,11.6,108.1\nNN2,nnmt,dat_dai;ho_tich,11.94,108.44\n"
)
QUOTAS = "department,max_release\ntu-phap,1\nnnmt,2\n"


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in [("communes", COMMUNES), ("needs", NEEDS), ("staff", STAFF), ("quotas", QUOTAS)]:
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def args(files, *extra, total="3"):
    return [
        "plan",
        "--communes",
        str(files["communes"]),
        "--needs",
        str(files["needs"]),
        "--staff",
        str(files["staff"]),
        "--quotas",
        str(files["quotas"]),
        "--total",
        total,
        "--distance-weight",
        "0.01",
        "--max-per-commune",
        "4",
        "--time-limit",
        "60",
        *extra,
    ]


def run(*argv):
    out = StringIO()
    call_command("secondment", *argv, stdout=out)
    return out.getvalue()


def test_json_output_is_the_documented_shape_and_optimal(files):
    data = json.loads(run(*args(files, "--json")))
    assert {"status", "objective", "bound", "seconds", "assignments"} <= set(data)
    assert data["status"] == "optimal"
    inp = load_plan_input(files["communes"], files["needs"], files["staff"], files["quotas"], 3, 0.01, 4)
    assert data["objective"] == pytest.approx(brute_force(inp), abs=1e-6)
    assert all(set(a) == {"staff_id", "commune_code", "field"} for a in data["assignments"])
    per_dept = [a["staff_id"][:2] for a in data["assignments"]]
    assert per_dept.count("TP") <= 1 and len(per_dept) <= 3


def test_readable_table_without_json(files):
    out = run(*args(files))
    assert "Trạng thái: optimal" in out and "staff_id" in out and "25000" in out


def test_locks_file(files, tmp_path):
    locks = tmp_path / "locks.csv"
    locks.write_text(
        "kind,staff_id,commune_code,field\nfixed,NN2,24787,ho_tich\nmust_not_send,NN1,,\n", encoding="utf-8"
    )
    data = json.loads(run(*args(files, "--json", "--locks", str(locks))))
    chosen = {(a["staff_id"], a["commune_code"], a["field"]) for a in data["assignments"]}
    assert ("NN2", "24787", "ho_tich") in chosen and not any(a[0] == "NN1" for a in chosen)


def test_bad_files_get_line_numbered_errors(files, tmp_path):
    files["needs"].write_text(
        "commune_code,field,units,priority\n25000,ho_tich,2,9\n99999,ho_tich,1,1\n", encoding="utf-8"
    )
    locks = tmp_path / "locks.csv"
    locks.write_text("kind,staff_id,commune_code,field\nsend,TP1,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run(*args(files, "--json", "--locks", str(locks)))
    message = str(exc.value)
    assert "needs.csv dòng 2" in message and "priority" in message and "needs.csv dòng 3" in message
    assert "locks.csv dòng 2" in message


def test_unknown_staff_in_locks_is_reported_by_line(files, tmp_path):
    locks = tmp_path / "locks.csv"
    locks.write_text("kind,staff_id,commune_code,field\nmust_send,TP1,,\nmust_send,ZZ9,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"locks\.csv dòng 3: cán bộ 'ZZ9'"):
        run(*args(files, "--locks", str(locks)))


def test_infeasible_locks_exit_non_zero_with_the_reason(files, tmp_path):
    locks = tmp_path / "locks.csv"
    locks.write_text("kind,staff_id,commune_code,field\nmust_send,TP1,,\nmust_send,TP2,,\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("secondment", *args(files, "--json", "--locks", str(locks)), stdout=out)
    data = json.loads(out.getvalue())
    assert exc.value.code == 3 and data["status"] == "infeasible"
    (reason,) = data["messages"]
    assert reason["code"] == "forced_over_quota" and reason["params"] == {"department": "tu-phap", "quota": 1}
    assert reason["text"] == "Phòng/ban 'tu-phap': số người bắt buộc cử hoặc cố định vượt hạn mức (1)."
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("secondment", *args(files, "--locks", str(locks)), stdout=out)
    assert "! Phòng/ban 'tu-phap': số người bắt buộc cử hoặc cố định vượt hạn mức (1)." in out.getvalue()


def test_the_console_script_end_to_end(files, tmp_path):
    cli = Path(sys.executable).with_name("civicdesk")
    ok = subprocess.run(
        [str(cli), "secondment", *args(files, "--json")], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["status"] == "optimal"
    files["staff"].write_text(
        "staff_id,department,fields,home_lat,home_lon\nTP1,tu-phap,,91,108\n", encoding="utf-8"
    )
    bad = subprocess.run(
        [str(cli), "secondment", *args(files, "--json")], capture_output=True, text=True, check=False
    )
    assert bad.returncode != 0 and "staff.csv dòng 2" in bad.stderr and not bad.stdout.strip()


def test_export_writes_files_the_plan_command_reads(db, noi, needs, pool, tu_phap, tmp_path):
    from civicdesk.staffing import services

    services.set_quota(noi, tu_phap, 1)
    run("export", str(tmp_path / "out"), "--province", "68")
    out = tmp_path / "out"
    inp = load_plan_input(
        out / "communes.csv", out / "needs.csv", out / "staff.csv", out / "quotas.csv", 4, 0.01, 4
    )
    assert len(inp.staff) == 4 and len(inp.needs) == 3 and inp.quotas == {"tu-phap": 1}
    assert optimizer.solve(inp).status == "optimal"
