"""Assistant quality on the gold set (seed corpus, no database, no LLM): prints JSON.

.venv/bin/python bench/assistant_eval.py
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
os.environ.setdefault("CIVICDESK_TESTING", "1")

import django

django.setup()

from civicdesk.assistant import evaluation  # noqa: E402
from civicdesk.assistant.corpus import seed_docs  # noqa: E402

evaluate = evaluation.module("harness").evaluate  # eval/assistant/, outside the package

if __name__ == "__main__":
    result = evaluate(seed_docs())
    result.pop("misses")
    print(json.dumps(result, ensure_ascii=False, indent=2))
