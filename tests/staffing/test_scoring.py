"""The gap score: components, weights, override, and the need it produces."""

from types import SimpleNamespace

import pytest

from civicdesk.staffing import scoring


def record(**kw):
    base = dict(
        current_staff=2,
        avg_experience_years=5,
        dossiers_per_month=160,
        hotline_questions=40,
        late_rate=0.1,
        supplement_rate=0.2,
        sla_breaches=5,
        override_score=None,
    )
    base.update(kw)
    return SimpleNamespace(**base)


def test_components_follow_the_documented_formulas():
    parts = scoring.components(record(), scoring.Weights())
    assert parts == {
        "workload": pytest.approx(160 / 2 / 160),
        "inexperience": 0.0,
        "late": 0.1,
        "supplement": 0.2,
        "hotline": pytest.approx(40 / 2 / 40),
        "sla": pytest.approx(5 / 10),
        "language": None,  # the record has no language gap: no signal
    }


def test_nobody_in_the_field_is_full_inexperience_and_load_on_one_person():
    parts = scoring.components(record(current_staff=0, dossiers_per_month=400), scoring.Weights())
    assert parts["inexperience"] == 1.0 and parts["workload"] == 1.0


def test_score_is_the_weighted_mean_on_0_100():
    w = scoring.Weights(w_workload=1, w_inexperience=0, w_late=1, w_supplement=0, w_hotline=0, w_sla=0)
    g = scoring.gap(record(dossiers_per_month=80, late_rate=0.3), w)
    assert g.computed == pytest.approx(100 * (0.25 + 0.3) / 2)
    zero = scoring.Weights(**{f"w_{n}": 0 for n in scoring.COMPONENTS})
    assert scoring.gap(record(), zero).score == 0
    # Only the language weight, and no language data: nothing to weigh.
    assert scoring.gap(record(), scoring.Weights(**{f"w_{n}": 0 for n in scoring.COMPONENTS[:-1]})).score == 0


# The score as it was before the language component: the mean over the six service components, default weights.
def _score_without_language(parts):
    w = scoring.Weights()
    names = ("workload", "inexperience", "late", "supplement", "hotline", "sla")
    total = sum(getattr(w, f"w_{n}") for n in names)
    return 100.0 * sum(getattr(w, f"w_{n}") * parts[n] for n in names) / total


@pytest.mark.parametrize(
    "kw",
    [{}, {"current_staff": 0, "dossiers_per_month": 400}, {"late_rate": 0.9, "sla_breaches": 0}],
)
def test_no_language_data_leaves_the_score_exactly_as_it_was(kw):
    without = scoring.gap(record(**kw), scoring.Weights())
    explicit_none = scoring.gap(record(language_gap=None, **kw), scoring.Weights(w_language=7))
    assert without.components["language"] is None and explicit_none.components["language"] is None
    assert without.computed == _score_without_language(without.components)
    assert explicit_none.computed == without.computed
    assert (explicit_none.units, explicit_none.priority) == (without.units, without.priority)


def test_a_language_gap_is_weighted_in_like_the_other_components():
    w = scoring.Weights()
    base = scoring.gap(record(), w)
    gap = scoring.gap(record(language_gap=0.8), w)
    assert gap.components["language"] == 0.8
    total = 3 + 2 + 2 + 1 + 1 + 1 + 1
    assert gap.computed == pytest.approx((base.computed * (total - 1) + 100 * 0.8) / total)
    # A covered commune (0) pulls the score down, a wholly uncovered one (1) pushes it up.
    assert (
        scoring.gap(record(language_gap=0), w).computed
        < base.computed
        < scoring.gap(record(language_gap=1), w).computed
    )
    # Its weight is the planner's: 0 ignores it, a large one lets it lead.
    assert scoring.gap(record(language_gap=0.8), scoring.Weights(w_language=0)).computed == pytest.approx(
        base.computed
    )
    only = scoring.Weights(**{f"w_{n}": 0 for n in scoring.COMPONENTS[:-1]})
    assert scoring.gap(record(language_gap=0.8), only).computed == pytest.approx(80)


def test_the_language_component_is_labelled_and_shown_left_out():
    labels = dict(scoring.component_labels())
    assert labels["language"] == "Thiếu người nói tiếng dân tộc"
    assert scoring.gap(record(), scoring.Weights()).labelled_components[-1] == (
        "Thiếu người nói tiếng dân tộc",
        None,
    )


def test_override_replaces_the_score_but_keeps_components():
    g = scoring.gap(record(override_score=90), scoring.Weights())
    assert g.overridden and g.score == 90 and g.computed < 90 and g.components["late"] == 0.1
    assert g.units == 2 and g.priority == 5


@pytest.mark.parametrize(
    ("score", "units", "priority"),
    [(39.9, 0, 1), (40, 1, 1), (59.9, 1, 2), (60, 2, 2), (76, 2, 4), (100, 2, 5)],
)
def test_units_and_priority_from_score(score, units, priority):
    w = scoring.Weights()
    assert scoring.units_for(score, w) == units
    assert scoring.priority_for(score, w) == priority


def test_tuning_weights_changes_the_ranking():
    busy = record(dossiers_per_month=320, late_rate=0.0, supplement_rate=0.0)
    late = record(dossiers_per_month=40, late_rate=0.6, supplement_rate=0.0)
    by_load = scoring.Weights(w_workload=5, w_late=1)
    by_late = scoring.Weights(w_workload=1, w_late=5)
    assert scoring.gap(busy, by_load).score > scoring.gap(late, by_load).score
    assert scoring.gap(busy, by_late).score < scoring.gap(late, by_late).score
