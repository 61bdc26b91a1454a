"""Issue 13 (item 6): deeply nested JSON is a line-numbered error on the import page and in the CLI, not a 500."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

DEEP = (
    '[{"kind": "faq", "slug": "a", "question": "Hỏi?", "answer": "Đáp."},\n{"kind": "faq", "x": '
    + "[" * 100_000
)


def test_the_import_page_answers_with_the_line(client_for, quan, fields):
    response = client_for(quan).post(
        "/handbook/import/", {"file": SimpleUploadedFile("camnang.json", DEEP.encode(), "application/json")}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "dòng 2" in html.lower() and "lồng nhau quá sâu" in html


def test_the_cli_answers_with_the_line(tmp_path, fields):
    path = tmp_path / "camnang.json"
    path.write_text(DEEP, encoding="utf-8")
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command("handbook", "import", str(path), stdout=StringIO(), stderr=stderr)
    assert "dòng 2" in stderr.getvalue().lower() and "lồng nhau quá sâu" in stderr.getvalue()
