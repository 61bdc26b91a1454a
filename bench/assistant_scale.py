"""Scale benchmark: a generated corpus of 20,000 records (seed records recombined, with new place names, codes
and sentences so the vocabulary grows like a real catalogue), index build time and answer latency.

    .venv/bin/python bench/assistant_scale.py [N]          (/usr/bin/time -v in front gives the peak RSS)

The index is saved and loaded the way the app does it (`Index.save` → index-<version>.npz, `Index.load`).
The build uses a second (forked) process on large corpora; ASSISTANT_BUILD_PROCESSES=1 forces one process.
build_cpu_s counts both processes.
"""

import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
os.environ.setdefault("CIVICDESK_TESTING", "1")

import django

django.setup()

import numpy as np  # noqa: E402

from civicdesk.assistant import evaluation  # noqa: E402
from civicdesk.assistant.corpus import seed_docs  # noqa: E402
from civicdesk.assistant.engine.build import processes_for  # noqa: E402
from civicdesk.assistant.engine.doc import Doc  # noqa: E402
from civicdesk.assistant.engine.index import Index  # noqa: E402
from civicdesk.assistant.respond import respond  # noqa: E402

load_gold = evaluation.module("harness").load_gold  # eval/assistant/, outside the package

ONSETS = ["b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
          "th", "tr", "v", "x"]  # fmt: skip
RHYMES = ["a", "à", "á", "ai", "an", "ang", "anh", "ao", "âm", "ân", "ất", "e", "ê", "i", "inh", "o", "ô", "ơ",
          "ông", "u", "ư", "uân", "ương", "yên", "oa", "oan"]  # fmt: skip


def generate(n, seed=7):
    rng = random.Random(seed)
    base = seed_docs()
    sentences = [s for d in base for s in d.text.split("\n") if len(s) > 30]
    places = [
        " ".join(rng.choice(ONSETS) + rng.choice(RHYMES) for _ in range(2)).title() for _ in range(3000)
    ]
    docs = []
    for i in range(n):
        src = base[i % len(base)]
        place = rng.choice(places)
        extra = " ".join(rng.sample(sentences, 6))
        docs.append(Doc(id=f"{src.kind}:GEN-{i:05d}", kind=src.kind, title=f"{src.title} — {place}",
                        url=f"/handbook/gen/{i}/", text=f"{src.text}\n{place}\n{extra}",
                        keywords=[*src.keywords[:4], place], summary=src.summary, topic=src.topic, card=src.card))  # fmt: skip
    return docs


def _cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(n):
    load_before = os.getloadavg()
    docs = generate(n)
    started, cpu = time.perf_counter(), _cpu()
    index = Index.build(docs)
    build_s, build_cpu_s = time.perf_counter() - started, _cpu() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index-1.npz"
        started = time.perf_counter()
        index.save(path)
        save_s = time.perf_counter() - started
        size = path.stat().st_size
        started = time.perf_counter()
        Index.load(path)
        load_s = time.perf_counter() - started
    questions = [g["q"] for g in load_gold()]
    respond(questions[0], use_llm=False, index=index)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        respond(q, use_llm=False, index=index)
        latencies.append((time.perf_counter() - t) * 1000)
    return {
        "records": n,
        "terms": len(index.postings),
        "postings": len(index._ids),
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),
        "build_processes": processes_for(n),
        "file_mb": round(size / 1e6, 1),
        "save_s": round(save_s, 2),
        "load_s": round(load_s, 2),
        "questions": len(questions),
        "answer_ms_p50": round(float(np.percentile(latencies, 50)), 2),
        "answer_ms_p95": round(float(np.percentile(latencies, 95)), 2),
        "answer_ms_max": round(max(latencies), 2),
        "loadavg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000), indent=2))
