"""The three-way decision: answer, ask which record is meant, or say the handbook does not cover the question.

Two small models over features of the question and of the best records, fitted by `civicdesk assistant calibrate`
(`eval/assistant/calibrate.py` in a checkout) and stored in `data/calibration.json`:

- the **scope model** (`FEATURES`; boosted depth-2 trees, `Trees`): is the question about something the handbook
  covers, i.e. do the best three records hold the answer? Below its threshold the assistant refuses (with the
  hotline button). Out-of-domain cues (`scope.py`) veto as before.
- the **first-record model** (`TOP1_FEATURES`: the same evidence plus how close the runners-up score; logistic,
  `Model`): is the first record the one asked about? At or above its threshold the answer is composed from it; below, the assistant asks
  "Có phải anh/chị hỏi về…" with the two or three closest records, each one click from its full answer — when the
  scope model is sure enough for a choice (`clarify_threshold`, higher than the refusal threshold); else it refuses.

An official prefers a correct answer, or a short choice, over "not found": the thresholds are set for that (see
docs/assistant.md for the features, the fit and the numbers).
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .scope import unsupported_cues

# An out-of-domain cue the best record does not use multiplies the scope probability by this: at the fitted thresholds
# (refuse below 0.09, a choice from 0.45) a question under a cue is answered only when the scope model is at least
# 36 % sure and the first record is sure, and is never offered a choice. 0.5 until issue 12's third
# round: with the lower thresholds since, a halved probability no longer refused a used-motorbike transfer (0.80 →
# 0.40). A hard veto (0) refuses in-scope questions that merely mention a cue: out of fold, right first 0.930 vs 0.939.
OUT_OF_DOMAIN_FACTOR = 0.25
CALIBRATION_PATH = Path(__file__).with_name("data") / "calibration.json"
FEATURES = (
    "coverage",  # the original blend: ½ idf-weighted concept coverage + ½ typed-bigram coverage
    "concept_cov",  # idf-weighted share of the concepts the record contains
    "count_cov",  # plain share of content words (function words excluded) the record contains
    "bigram_cov",  # share of typed content bigrams in the record (concept coverage when there are none)
    "lexicon_cov",  # idf-weighted share of the question that is a lexicon phrase found in the record
    "unknown_share",  # idf-weighted share of concepts no record contains at all
    "field_cov",  # idf-weighted share of concepts found in the record's title or keywords
    "margin",  # (s1 − s2) / s1
    "score",  # log(1 + s1 / max idf): the best score on a corpus-size-independent scale
    "concepts",  # log(1 + number of concepts)
    "function_share",  # share of the question's tokens that are function words or frames
    "bigram_hits",  # log(1 + typed content bigrams found in the record): evidence that survives a long, rambling
    # question, where every share above is diluted by context the handbook need not hold
    "title_share",  # share of the question's syllables and bigrams in the record's title ("Đăng ký tạm trú")
    "example_sim",  # best Jaccard similarity with one of the record's example questions
    "example_hits",  # best share of the question found in one of the record's example questions
    "outside_sim",  # best Jaccard similarity with a question known to be out of scope (`Index.outside_sim`)
)
TOP1_FEATURES = (
    *FEATURES,
    "second_share",  # s2 / s1: how close the runner-up is
    "third_share",  # s3 / s1
    "same_kind",  # 1 when the first two are records of the same kind (two procedures compete for one question)
)
# Records offered in a clarification: the first two, and the third when it scores at least this share of the first.
THIRD_CHOICE_SHARE = 0.5


def evidence(index, analysis, doc):
    """How one record covers and resembles the question — the features the decision (for the first record) and the
    reranker (`rerank.py`, for each of the best five) share. Kept on `analysis` per index and record: the reranker
    computes it for the record it puts first, and the decision reads it again."""
    cache = analysis.__dict__.setdefault("_evidence", {})
    key = (id(index), doc.id)
    if key not in cache:
        cov = index.coverage(analysis, doc)
        total = cov.total or 1.0
        concept_cov = cov.concept_share
        title_share, example_sim, example_hits = index.resemblance(analysis.text, doc)
        cache[key] = {
            "coverage": cov.blended,
            "concept_cov": concept_cov,
            "count_cov": cov.covered_count / cov.count if cov.count else 0.0,
            "bigram_cov": cov.bigram_hits / cov.bigrams if cov.bigrams else concept_cov,
            "lexicon_cov": cov.lexicon_covered / total,
            "unknown_share": cov.unknown / total,
            "field_cov": cov.in_title / total,
            "concepts": math.log1p(cov.count),
            "bigram_hits": math.log1p(cov.bigram_hits),
            "title_share": title_share,
            "example_sim": example_sim,
            "example_hits": example_hits,
        }
    return cache[key]


def features(index, analysis, ranked):
    """The decision features of a ranked list (best record first) as a dict (`TOP1_FEATURES` order); an empty
    ranking gives all zeros."""
    if not ranked:
        return dict.fromkeys(TOP1_FEATURES, 0.0)
    s1 = ranked[0].score
    s2 = ranked[1].score if len(ranked) > 1 else 0.0
    s3 = ranked[2].score if len(ranked) > 2 else 0.0
    values = evidence(index, analysis, ranked[0].doc)
    values = {
        **values,
        "margin": (s1 - s2) / s1 if s1 > 0 else 0.0,
        "score": math.log1p(max(s1, 0.0) / index.max_idf),
        "function_share": analysis.function_words / max(len(analysis.tokens), 1),
        "outside_sim": index.outside_sim(analysis.text),
        "second_share": s2 / s1 if s1 > 0 else 0.0,
        "third_share": s3 / s1 if s1 > 0 else 0.0,
        "same_kind": 1.0 if len(ranked) > 1 and ranked[0].doc.kind == ranked[1].doc.kind else 0.0,
    }
    return {name: values[name] for name in TOP1_FEATURES}


@dataclass(frozen=True)
class Model:
    names: tuple
    weights: tuple  # one per feature, on standardised features
    intercept: float
    mean: tuple
    scale: tuple
    threshold: float

    def probability(self, values):
        z = self.intercept
        for name, w, m, s in zip(self.names, self.weights, self.mean, self.scale, strict=True):
            z += w * (values[name] - m) / s
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees: the log-odds are `init` plus `learning_rate` × each tree's leaf value. A tree is a list
    of nodes [feature position, threshold, left, right, value] from its root; feature −1 marks a leaf; a value at or
    below the threshold goes left."""

    names: tuple
    init: float
    learning_rate: float
    trees: tuple
    threshold: "float | None"

    @classmethod
    def grown(cls, names, init, learning_rate, forest, threshold=None):
        """From fitted trees as lists of node lists (`calibrate.fit_trees`, or `calibration.json`)."""
        trees = tuple(tuple(tuple(node) for node in nodes) for nodes in forest)
        return cls(tuple(names), float(init), float(learning_rate), trees, threshold)

    def probability(self, values):
        row = [values[name] for name in self.names]
        z = self.init
        for nodes in self.trees:
            node = nodes[0]
            while node[0] >= 0:
                node = nodes[node[2] if row[node[0]] <= node[1] else node[3]]
            z += self.learning_rate * node[4]
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def _model(data, names):
    if tuple(data["features"]) != names:
        raise ValueError("calibration.json was fitted on other features: run `civicdesk assistant calibrate`")
    if data.get("kind") == "trees":
        threshold = data.get("threshold")  # none for the reranker (rerank.py), which only orders
        return Trees.grown(names, data["init"], data["learning_rate"], data["trees"],
                           None if threshold is None else float(threshold))  # fmt: skip
    return Model(names, tuple(data["weights"]), float(data["intercept"]), tuple(data["mean"]),
                 tuple(data["scale"]), float(data["threshold"]))  # fmt: skip


@dataclass(frozen=True)
class Calibration:
    scope: "Trees | Model"  # threshold: refuse below
    top1: Model  # threshold: answer at or above, clarify below
    # The scope probability a clarification needs (at least the scope threshold): below it, a question whose first
    # record is not sure enough to answer is refused. A choice of two or three records is offered only when the
    # handbook is clearly about the question; when it is not sure of either, "not found" (with the nearest records
    # as leads and the hotline) is the honest reply.
    clarify_threshold: float = 0.0


def model_from_dict(data):
    """The calibration in `calibration.json` (the scope model at the top level, the first-record model in "top1")."""
    if "top1" not in data:
        raise ValueError("calibration.json has no first-record model: run `civicdesk assistant calibrate`")
    scope = _model(data, FEATURES)
    return Calibration(
        scope, _model(data["top1"], TOP1_FEATURES), float(data.get("clarify_threshold", scope.threshold))
    )


@lru_cache(maxsize=1)
def get_model():
    return model_from_dict(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Decision:
    mode: str  # "answer", "clarify" or "refuse"
    confidence: float  # the scope probability (after out-of-domain cues)
    top1: float = 0.0  # the probability that the first record is the one asked about
    choices: int = 0  # records offered when clarifying
    # Refused under an out-of-domain cue the best record does not speak of (small talk, weather, prices…): the
    # records nearest it are no lead worth showing.
    off_topic: bool = False

    @property
    def answered(self):
        return self.mode != "refuse"


def choices_for(ranked):
    """How many records a clarification offers: two, or three when the third is close enough to matter."""
    if len(ranked) >= 3 and ranked[2].score >= THIRD_CHOICE_SHARE * ranked[0].score:
        return 3
    return min(2, len(ranked))


def decide(index, analysis, ranked, model=None, min_confidence=None):
    """Answer, clarify or refuse (`Decision`), from the calibrated models and the out-of-domain cues.

    `min_confidence`, when given (the app's ASSISTANT_MIN_CONFIDENCE), replaces the calibrated refusal threshold (a
    clarification still needs the calibrated `clarify_threshold`, or `min_confidence` when that is higher)."""
    if not ranked or analysis is None or not analysis.concepts:
        return Decision("refuse", 0.0)
    model = model or get_model()
    values = features(index, analysis, ranked)
    probability = model.scope.probability(values)
    off_topic = bool(unsupported_cues(analysis.tokens, ranked[0].doc))
    if off_topic:
        probability *= OUT_OF_DOMAIN_FACTOR
    refuse_below = model.scope.threshold if min_confidence is None else min_confidence
    if probability < refuse_below:
        return Decision("refuse", probability, off_topic=off_topic)
    top1 = model.top1.probability(values)
    # A question that is the first record's title asks for it by name (an FAQ's own question typed as published —
    # the hotline's answers become FAQs — or "Đăng ký tạm trú" alone): answered, never "which one do you mean".
    if top1 >= model.top1.threshold or len(ranked) == 1 or index.is_title(analysis.text, ranked[0].doc):
        return Decision("answer", probability, top1)
    if probability < max(model.clarify_threshold, refuse_below):
        return Decision("refuse", probability, top1)
    return Decision("clarify", probability, top1, choices_for(ranked))
