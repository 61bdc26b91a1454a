"""Two out-of-fold looks at the assistant's models that `civicdesk assistant calibrate` does not print (seed corpus,
training splits only, one fold per writer as in the calibration). Run with `PYTHONHASHSEED=0` to match a fit.

.venv/bin/python bench/assistant_explore.py rerank    # Recall@1 before and after the reranker, by register
.venv/bin/python bench/assistant_explore.py margins   # the decision at other refusal / wrong-answer margins
"""

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
os.environ.setdefault("CIVICDESK_TESTING", "1")

import django

django.setup()

import numpy as np  # noqa: E402

from civicdesk.assistant import evaluation  # noqa: E402
from civicdesk.assistant.corpus import seed_docs  # noqa: E402

calibrate = evaluation.module("calibrate")  # eval/assistant/, outside the package
MARGINS = [(0.975, 0.014), (0.98, 0.012), (0.98, 0.011), (0.98, 0.01), (0.985, 0.011), (0.985, 0.01),
           (0.99, 0.01)]  # fmt: skip


def rerank():
    """Recall@1 of the lexical ranking and of the reranker fitted without the writer's split, by register."""
    gold = [g for g in calibrate.load_gold() if g.get("split", "dev") in calibrate.TRAIN_SPLITS]
    index_for = calibrate.split_indexes(seed_docs(), gold)
    by_split = {
        s: [g for g in gold if g.get("split", "dev") == s and g["gold"]] for s in calibrate.TRAIN_SPLITS
    }
    present = [s for s in calibrate.TRAIN_SPLITS if by_split[s]]
    rows = {s: calibrate.rerank_rows(index_for(s), by_split[s]) for s in present}
    total, lexical, reranked = Counter(), Counter(), Counter()
    for split in present:
        index = index_for(split)
        index.reranker = None
        first = {g["id"]: index.rank(g["q"], limit=10)[1] for g in by_split[split]}
        others = [t for t in present if t != split]
        model = calibrate.fit_trees(np.vstack([rows[t][0] for t in others]),
                                    np.concatenate([rows[t][1] for t in others]), balanced=False,
                                    trees=calibrate.RERANK_TREES)  # fmt: skip
        index.reranker = calibrate._reranker(model)
        for item in by_split[split]:
            ranked = index.rank(item["q"], limit=10)[1]
            for key in ("all", item.get("type", "")):
                total[key] += 1
                lexical[key] += bool(first[item["id"]]) and first[item["id"]][0].doc.id in item["gold"]
                reranked[key] += bool(ranked) and ranked[0].doc.id in item["gold"]
    for key in sorted(total, key=lambda k: (k != "all", k)):
        print(
            f"{key:14} {total[key]:5}  lexical {lexical[key] / total[key]:.4f}  reranked {reranked[key] / total[key]:.4f}"
        )


def margins():
    """The calibration's out-of-fold scores, and the thresholds its search picks at each pair of `MARGINS`."""
    seen = {}
    search = calibrate.choose_thresholds

    def keep(*scores):
        seen["scores"] = scores
        return search(*scores)

    calibrate.choose_thresholds = keep
    calibrate.calibrate(seed_docs())
    calibrate.choose_thresholds = search
    for min_oos, max_wrong in MARGINS:
        calibrate.MIN_OOS_REJECTION, calibrate.MAX_WRONG_RATE = min_oos, max_wrong
        refuse_below, answer_at, clarify_from, r = search(*seen["scores"])
        print(f"refused ≥ {min_oos}, wrong ≤ {max_wrong:.2%}: refuse below {refuse_below}, answer at {answer_at}, "
              f"clarify from {clarify_from}: right first {r['right_first_rate']:.4f}, "
              f"refused {r['oos_rejection']:.4f}, wrong {r['wrong_answer_rate']:.2%}, clarify {r['clarify_rate']:.3f}")  # fmt: skip


if __name__ == "__main__":
    {"rerank": rerank, "margins": margins}[sys.argv[1] if len(sys.argv) > 1 else "margins"]()
