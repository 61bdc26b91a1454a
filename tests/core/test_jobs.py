import pytest

from civicdesk.core.jobs import start_job
from civicdesk.core.models import Job


def count_to(job, n):
    for i in range(n):
        job((i + 1) * 100 // n, f"{i + 1}/{n}")
    return {"counted": n}


def explode(job):
    job(10, "bắt đầu")
    raise RuntimeError("hỏng")


def test_job_runs_and_records_progress(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(alice, "test", "Đếm", count_to, n=4)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100 and job.result == {"counted": 4}


def test_failed_job_keeps_the_error(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(alice, "test", "Nổ", explode)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "hỏng" in job.message and "RuntimeError" in job.error


def test_progress_page_polls_until_done_and_is_private(client_for, alice, charlie):
    job = Job.objects.create(kind="test", title="Nhập dữ liệu", created_by=alice, progress=40)
    client = client_for(alice)
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "40%" in partial and "<html" not in partial
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=100)
    assert "hx-trigger" not in client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    client.logout()
    assert client_for(charlie).get(f"/jobs/{job.pk}/").status_code == 404


def test_start_job_takes_a_module_level_function_and_refuses_anything_else(alice):
    def local(job):
        return {}

    for wrong in ("tests.core.test_jobs.count_to", local, lambda job: {}, Job.objects.create):
        with pytest.raises(TypeError):
            start_job(alice, "test", "Sai", wrong)
    assert not Job.objects.exists()  # refused before any row is written


def test_every_app_keeps_its_job_entry_points_in_jobs_py():
    """The app template: whatever a service hands to start_job lives in that app's jobs.py."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "civicdesk"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "start_job"
                and len(node.args) >= 4
            ):
                target = node.args[3]
                found.append((path.relative_to(root).parts[0], ast.unparse(target)))
    assert found and all(target.startswith("jobs.") for _app, target in found), found
    for app in {app for app, _target in found}:
        assert (root / app / "jobs.py").is_file(), app
