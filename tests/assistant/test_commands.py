import json

import pytest
from django.core.management import CommandError, call_command

from civicdesk.assistant import evaluation
from civicdesk.assistant.engine.decide import CALIBRATION_PATH
from civicdesk.assistant.engine.examples import EXAMPLES_PATH, UNSEEN_SPLITS, shipped_examples


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


@pytest.mark.clock_free
def test_assistant_calibrate_dry_run_prints_the_model_and_writes_nothing(capsys):
    before = CALIBRATION_PATH.read_bytes(), EXAMPLES_PATH.read_bytes()
    call_command("assistant", "calibrate", "--dry-run")
    calibration = json.loads(capsys.readouterr().out)
    assert UNSEEN_SPLITS and not set(UNSEEN_SPLITS) & set(calibration["fitted"]["splits"])
    assert (
        calibration["kind"] == "trees"
        and len(calibration["trees"]) == calibration["fitted"]["trees"]["trees"]
    )
    assert len(calibration["top1"]["weights"]) == len(calibration["top1"]["features"])
    assert (CALIBRATION_PATH.read_bytes(), EXAMPLES_PATH.read_bytes()) == before


def test_calibrate_writes_the_gold_sets_example_questions_beside_the_models(tmp_path):
    gold = [
        {"q": "khai sanh cho con", "gold": ["procedure:HT-001", "procedure:HT-004"], "split": "dev"},
        {"q": "giá vàng", "gold": [], "split": "dev"},
        {"q": "câu hỏi niêm phong", "gold": ["procedure:HT-001"], "split": UNSEEN_SPLITS[0]},
    ]
    evaluation.module("calibrate").write(
        {"features": []}, gold, path=tmp_path / "calibration.json", examples_path=tmp_path / "examples.json"
    )
    assert json.loads((tmp_path / "calibration.json").read_text(encoding="utf-8")) == {"features": []}
    assert shipped_examples(tmp_path / "examples.json") == {"procedure:HT-001": ["khai sanh cho con"]}


@pytest.mark.parametrize("action", ["eval", "calibrate"])
def test_without_the_gold_set_eval_and_calibrate_say_where_it_lives(action, monkeypatch, tmp_path):
    """An installed copy has no eval/assistant/ (it is not package data): a clear message, no traceback."""
    monkeypatch.setattr(evaluation, "candidates", lambda: [tmp_path / "eval" / "assistant"])
    with pytest.raises(CommandError, match=r"eval/assistant/.*bản checkout"):
        call_command("assistant", action)
