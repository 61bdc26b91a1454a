"""The gap score of a commune in one field, with its components shown (pure functions, no database).

Each component is a number in [0, 1]; the score is their weighted mean on a 0–100 scale:

    workload      = min(1, dossiers_per_month / max(current_staff, 1) / (2 · reference_load))
    inexperience  = 1 if nobody works in the field, else max(0, 1 − avg_experience_years / reference_experience)
    late          = late_rate                       (share of dossiers finished late, 0–1)
    supplement    = supplement_rate                 (share of dossiers sent back for more documents, 0–1)
    hotline       = min(1, hotline_questions / max(current_staff, 1) / (2 · reference_hotline))
    sla           = min(1, sla_breaches / (2 · reference_sla))
    language      = language_gap                    (the commune's language-coverage gap, 0–1, from
                                                     community.queries.language_gaps; None = no language data)

    score = 100 · Σ wᵢ · componentᵢ / Σ wᵢ          over the components that have a value
                                                     (0 when those weights add up to 0)

A component without a value (only `language` can lack one) is left out of both sums: no language data is no
signal, not a zero, so a commune without it scores exactly as it did before the component existed.

A load equal to the reference gives 0.5: the reference is "normal", twice the reference is saturated. An override
(with a reason) replaces the score but the components stay visible.

From score to need (what the plan will try to cover):

    units    = 0 if score < need_threshold, else min(max_units, 1 + ⌊(score − need_threshold) / points_per_unit⌋)
    priority = 1 + ⌊5 · (score − need_threshold) / (100 − need_threshold)⌋, clipped to 1–5

(the need threshold and 100 split into five equal bands: just above the threshold is priority 1, near 100 is 5).
"""

import math
from dataclasses import dataclass

COMPONENTS = ("workload", "inexperience", "late", "supplement", "hotline", "sla", "language")


@dataclass(frozen=True)
class Weights:
    w_workload: float = 3.0
    w_inexperience: float = 2.0
    w_late: float = 2.0
    w_supplement: float = 1.0
    w_hotline: float = 1.0
    w_sla: float = 1.0
    w_language: float = 1.0
    reference_load: float = 80.0
    reference_experience: float = 5.0
    reference_hotline: float = 20.0
    reference_sla: float = 5.0
    need_threshold: float = 40.0
    points_per_unit: float = 20.0
    max_units: int = 2

    @classmethod
    def from_model(cls, obj):
        return cls(**{name: getattr(obj, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Gap:
    components: dict
    computed: float
    score: float
    overridden: bool
    units: int
    priority: int

    @property
    def labelled_components(self):
        """[(Vietnamese label, value)] in the documented order, for the pages; None for a component left out."""
        return [(label, self.components[name]) for name, label in component_labels()]


def _clip(x):
    return max(0.0, min(1.0, float(x)))


def components(record, w: Weights):
    """The components of a capacity record (any object with the CapacityRecord attributes); `language` is None
    when the record has no language gap."""
    staff = max(int(record.current_staff), 1)
    language_gap = getattr(record, "language_gap", None)
    if int(record.current_staff) <= 0:
        inexperience = 1.0
    else:
        inexperience = _clip(1 - record.avg_experience_years / w.reference_experience)
    return {
        "workload": _clip(record.dossiers_per_month / staff / (2 * w.reference_load)),
        "inexperience": inexperience,
        "late": _clip(record.late_rate),
        "supplement": _clip(record.supplement_rate),
        "hotline": _clip(record.hotline_questions / staff / (2 * w.reference_hotline)),
        "sla": _clip(record.sla_breaches / (2 * w.reference_sla)),
        "language": None if language_gap is None else _clip(language_gap),
    }


def weighted_score(parts, w: Weights):
    """The weighted mean (0–100) of the components that have a value; one that is None is in neither sum."""
    present = [name for name in COMPONENTS if parts.get(name) is not None]
    weights = {name: getattr(w, f"w_{name}") for name in present}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return 100.0 * sum(weights[n] * parts[n] for n in present) / total


def units_for(score, w: Weights):
    if score < w.need_threshold:
        return 0
    return int(min(w.max_units, 1 + math.floor((score - w.need_threshold) / w.points_per_unit)))


def priority_for(score, w: Weights):
    span = max(100.0 - w.need_threshold, 1.0)
    return int(min(5, max(1, 1 + math.floor(5 * (score - w.need_threshold) / span))))


def gap(record, w: Weights):
    """The full gap of a record: components, computed score, the score in force (override) and the need."""
    parts = components(record, w)
    computed = weighted_score(parts, w)
    override = getattr(record, "override_score", None)
    score = float(override) if override is not None else computed
    return Gap(
        components=parts,
        computed=computed,
        score=score,
        overridden=override is not None,
        units=units_for(score, w),
        priority=priority_for(score, w),
    )


def component_labels():
    """(name, Vietnamese label) of each component, for the pages."""
    from django.utils.translation import gettext as _

    labels = {
        "workload": _("Khối lượng hồ sơ"),
        "inexperience": _("Thiếu kinh nghiệm"),
        "late": _("Trễ hạn"),
        "supplement": _("Yêu cầu bổ sung"),
        "hotline": _("Câu hỏi đường dây nóng"),
        "sla": _("Vi phạm SLA"),
        "language": _("Thiếu người nói tiếng dân tộc"),
    }
    return [(name, labels[name]) for name in COMPONENTS]
