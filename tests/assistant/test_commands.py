import json

import pytest
from django.core.management import CommandError, call_command


def test_ask_json_prints_one_object(handbook, capsys):
    call_command("ask", "khai sanh cho con", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    body = json.loads(lines[0])
    assert set(body) == {"q", "answered", "mode", "answer", "sources", "ms"}
    assert body["answered"] and body["mode"] in ("answer", "clarify")
    assert body["sources"][0]["kind"] == "procedure" and body["sources"][0]["id"] == "procedure:HT-001"


def test_ask_batch_prints_one_object_a_line_in_order(handbook, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    questions = ["nhập hộ khẩu", "Giá vàng hôm nay?", "giay doc than"]
    batch.write_text(
        "\n".join(json.dumps({"q": q}, ensure_ascii=False) for q in questions) + "\n", encoding="utf-8"
    )
    call_command("ask", "--batch", str(batch))
    rows = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [r["q"] for r in rows] == questions
    assert [r["answered"] for r in rows] == [True, False, True]
    assert rows[0]["sources"][0]["title"] == "Đăng ký thường trú"


def test_a_bad_batch_line_is_reported_by_number_and_nothing_is_answered(handbook, tmp_path, capsys):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "khai sinh"}\n{"question": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 2"):
        call_command("ask", "--batch", str(batch))
    assert capsys.readouterr().out == ""


def test_assistant_eval_prints_the_metrics(handbook, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"q": "khai sanh", "gold": ["procedure:HT-001"]}\n{"q": "giá vàng hôm nay", "gold": []}\n',
        encoding="utf-8",
    )
    call_command("assistant", "eval", "--source", "db", "--gold", str(gold))
    result = json.loads(capsys.readouterr().out)
    metrics = result["assistant"]
    for key in ("recall@1", "recall@3", "recall@5", "mrr@10", "oos_rejection", "wrong_answer_rate",
                "latency_ms_p50", "latency_ms_p95"):  # fmt: skip
        assert key in metrics
    assert metrics["recall@1"] == 1.0 and metrics["oos_rejection"] == 1.0
    assert set(result["baseline_bm25"]) == {"recall@1", "recall@3", "recall@5", "mrr@10"}


def test_assistant_rebuild(handbook, capsys):
    call_command("assistant", "rebuild")
    assert "5 mục" in capsys.readouterr().out


def test_assistant_calibrate_dry_run_prints_the_model_and_writes_nothing(capsys):
    from civicdesk.assistant.decide import CALIBRATION_PATH

    before = CALIBRATION_PATH.read_bytes()
    call_command("assistant", "calibrate", "--dry-run")
    calibration = json.loads(capsys.readouterr().out)
    assert (
        "fresh9" not in calibration["fitted"]["splits"]
        and "fresh10" not in calibration["fitted"]["splits"]
        and len(calibration["weights"]) == len(calibration["features"])
    )
    assert CALIBRATION_PATH.read_bytes() == before
