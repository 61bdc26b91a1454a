"""The assistant's configuration: Django settings first (ASSISTANT_*), then the environment, then defaults.

| variable | default | meaning |
|---|---|---|
| ASSISTANT_INDEX_DIR | $CIVICDESK_VAR/assistant | where each process caches built indexes (index-<version>.npz) |
| ASSISTANT_CHECK_SECONDS | 2 | how often a process reads the index version from the database |
| ASSISTANT_MIN_CONFIDENCE | from engine/data/calibration.json | below this calibrated confidence (probability that the top 3 hold the answer, see engine/decide.py) the assistant says "not found in the handbook" |
| ASSISTANT_LLM_URL | — | OpenAI-compatible base URL (e.g. http://127.0.0.1:11434/v1); unset = extractive answers only |
| ASSISTANT_LLM_MODEL | — | model name sent to the endpoint |
| ASSISTANT_LLM_API_KEY | — | bearer key, if the endpoint wants one |
| ASSISTANT_LLM_TIMEOUT | 8 | seconds before falling back to the extractive answer |
| ASSISTANT_EMBEDDING_MODEL | — | local path of a sentence-embedding model; unset = lexical retrieval only |
| ASSISTANT_PUBLIC_LIMIT | 30 | questions one address may ask the public page in 10 minutes (then a "try later" in place) |
| ASSISTANT_BUILD_PROCESSES | auto | environment only: 1 = never fork a helper process for large index builds (engine/build.py) |
"""

import os

from django.conf import settings


def get(name, default=""):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
        file_path = os.environ.get(f"{name}_FILE")
        if file_path:
            with open(file_path, encoding="utf-8") as handle:
                value = handle.read().strip()
    return value if value not in ("", None) else default


def get_float(name, default):
    return float(get(name, default))


def index_dir():
    from pathlib import Path

    return Path(get("ASSISTANT_INDEX_DIR", "") or Path(settings.VAR_DIR) / "assistant")


def check_seconds():
    return get_float("ASSISTANT_CHECK_SECONDS", 0 if settings.TESTING else 2)


def min_confidence():
    """The refusal threshold set by ASSISTANT_MIN_CONFIDENCE, or None: the calibrated one applies (engine/decide.py)."""
    value = get("ASSISTANT_MIN_CONFIDENCE", None)
    return None if value is None else float(value)


PUBLIC_WINDOW_SECONDS = 600


def public_limit():
    return int(get_float("ASSISTANT_PUBLIC_LIMIT", 30))
