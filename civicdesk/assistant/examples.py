"""Example questions: how people actually ask for a record, indexed beside the record's own text.

A record says "Đăng ký khai tử"; people ask "bố tôi vừa mất hôm qua, phải báo xã những gì". Questions already known
to be answered by a record are the best bridge between the two vocabularies, so the index holds them in a field of
their own (`examples`, see `build.FIELDS`). They are never shown and never used to compose an answer: the answer is
always built from the record's own fields.

Two sources:
- the gold set's in-scope questions (`eval/gold.jsonl`), except the unseen splits (`UNSEEN_SPLITS`), which must
  stay unseen. The evaluation excludes the split being measured (`without_split`), so no question is ever found through
  itself;
- questions officials asked while signed in whose answer was rated helpful and by nobody unhelpful, with numbers
  removed (ID-card, phone and dossier numbers are no bridge to anything and must not be kept in an index).
"""

import json
import re
from dataclasses import replace
from pathlib import Path

GOLD_PATH = Path(__file__).with_name("eval") / "gold.jsonl"
# Written by writers who never saw the engine, sealed until it was frozen: never examples, never calibration data.
# fresh7 and fresh8 played this part until they were measured (issue 4); they now teach the engine like the rest.
UNSEEN_SPLITS = ("fresh9", "fresh10")
MAX_PER_RECORD = 200  # a record's examples beyond this add nothing but index size
_NUMBER = re.compile(r"\d[\d .,/-]*\d|\d")


def examples_from(items, exclude_splits=()):
    """{record id: [questions]} from gold items' in-scope questions; the unseen splits and `exclude_splits` left out."""
    examples = {}
    for item in items:
        if item.get("split") in (*UNSEEN_SPLITS, *exclude_splits):
            continue
        # The first gold record only: a question listed under two records would make them tie on it, and
        # a tie is what sends an answer to "which one do you mean" (measured: half the clarifications).
        for record_id in (item.get("gold") or [])[:1]:
            examples.setdefault(record_id, []).append(item["q"])
    return examples


def gold_examples(path=GOLD_PATH):
    """{record id: [questions]} from the gold set file (the unseen splits left out)."""
    if not Path(path).exists():
        return {}
    with open(path, encoding="utf-8") as handle:
        return examples_from(json.loads(line) for line in handle if line.strip())


def feedback_examples():
    """{record id: [questions]} from staff questions rated helpful, attributed to the record the answer came from."""
    from .models import Turn

    examples = {}
    turns = (
        Turn.objects.filter(channel=Turn.Channel.STAFF, answered=True, feedback__helpful=True)
        .exclude(feedback__helpful=False)
        .exclude(mode=Turn.Mode.CLARIFY, chosen="")  # a choice offered, none taken: no answer to learn from
        .values_list("question", "sources", "chosen")
        .distinct()
    )
    for question, sources, chosen in turns.iterator():
        # The record the answer was composed from: the one chosen in a clarification, else the first source.
        record_id = chosen or (sources[0].get("id") if sources else None)
        if record_id:
            examples.setdefault(record_id, []).append(_NUMBER.sub(" ", question))
    return examples


def merge(*sources):
    merged = {}
    for source in sources:
        for record_id, questions in source.items():
            merged.setdefault(record_id, []).extend(questions)
    return merged


def attach(docs, examples):
    """Docs with their example questions (deduplicated, capped); docs without examples are returned as they are."""
    out = []
    for doc in docs:
        questions = list(dict.fromkeys(" ".join(q.split()) for q in examples.get(doc.id, []) if q.strip()))
        out.append(replace(doc, examples=questions[:MAX_PER_RECORD]) if questions else doc)
    return out
