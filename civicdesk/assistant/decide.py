"""The refusal decision: answer only when the evidence says the best records hold the answer.

A small logistic model over features of the question and of the best record (coverage of the question's concepts,
of its typed compounds and of its lexicon phrases, the share of the question no record knows, field match, the
score and the margin over the runner-up, the question's length and its share of function words). Its weights and
threshold live in `calibration.json` beside this module, fitted on the gold set's `dev` split only by
`civicdesk assistant calibrate` (`eval/calibrate.py`); see docs/assistant.md for the features and the numbers.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import conf
from .scope import unsupported_cues

# An out-of-domain cue the best record does not use multiplies the probability by this: with the fitted
# threshold (≈ 0.64) no answer survives it, i.e. the cue vetoes the answer unless the record speaks of it.
OUT_OF_DOMAIN_FACTOR = 0.5
CALIBRATION_PATH = Path(__file__).with_name("calibration.json")
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
)


def features(index, analysis, ranked):
    """The decision features of a ranked list (best record first) as a dict; empty ranking → all zeros."""
    if not ranked:
        return dict.fromkeys(FEATURES, 0.0)
    cov = index.coverage(analysis, ranked[0].doc)
    s1 = ranked[0].score
    s2 = ranked[1].score if len(ranked) > 1 else 0.0
    total = cov.total or 1.0
    concept_cov = cov.concept_share
    return {
        "coverage": cov.blended,
        "concept_cov": concept_cov,
        "count_cov": cov.covered_count / cov.count if cov.count else 0.0,
        "bigram_cov": cov.bigram_hits / cov.bigrams if cov.bigrams else concept_cov,
        "lexicon_cov": cov.lexicon_covered / total,
        "unknown_share": cov.unknown / total,
        "field_cov": cov.in_title / total,
        "margin": (s1 - s2) / s1 if s1 > 0 else 0.0,
        "score": math.log1p(max(s1, 0.0) / index.max_idf),
        "concepts": math.log1p(cov.count),
        "function_share": analysis.function_words / max(len(analysis.tokens), 1),
        "bigram_hits": math.log1p(cov.bigram_hits),
    }


@dataclass(frozen=True)
class Model:
    weights: tuple  # one per feature, on standardised features
    intercept: float
    mean: tuple
    scale: tuple
    threshold: float

    def probability(self, values):
        z = self.intercept
        for name, w, m, s in zip(FEATURES, self.weights, self.mean, self.scale, strict=True):
            z += w * (values[name] - m) / s
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def model_from_dict(data):
    if tuple(data["features"]) != FEATURES:
        raise ValueError("calibration.json was fitted on other features: run `civicdesk assistant calibrate`")
    return Model(tuple(data["weights"]), float(data["intercept"]), tuple(data["mean"]), tuple(data["scale"]),
                 float(data["threshold"]))  # fmt: skip


@lru_cache(maxsize=1)
def get_model():
    return model_from_dict(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")))


def decide(index, analysis, ranked, model=None):
    """(answered, confidence): confidence is the model's probability that the top 3 hold the answer."""
    if not ranked or analysis is None or not analysis.concepts:
        return False, 0.0
    model = model or get_model()
    probability = model.probability(features(index, analysis, ranked))
    if unsupported_cues(analysis.tokens, ranked[0].doc):
        probability *= OUT_OF_DOMAIN_FACTOR
    return probability >= conf.min_confidence(model.threshold), probability
