"""The matching engine (civicdesk.community.matching): hard rules, score, proposals, and the week's plan checked
against a CP-SAT model of the same problem (tests/community/reference_matching.py). Pure Python, no database."""

import datetime as dt
import json
import random
from collections import Counter

import pytest

from civicdesk.community import matching
from civicdesk.community.matching import (
    MESSAGE_CODES,
    SLOTS,
    Exclusion,
    Params,
    Proposal,
    Request,
    Skill,
    Speaker,
    greedy_week,
    propose,
    score_pair,
    solve_week,
)

from .reference_matching import solve_reference

MONDAY = dt.date(2026, 3, 2)  # ISO week 2026-W10
TUESDAY = MONDAY + dt.timedelta(days=1)
SATURDAY = MONDAY + dt.timedelta(days=5)
WEEK = (2026, 10)
# Cam Ly ward (Đà Lạt) and a hamlet 1.3 km away as the crow flies.
HOME = (11.952, 108.418)
NEAR = (11.940, 108.428)


def kho(level=4, **kw):
    return Skill("kpm", listening=level, speaking=level, **kw)


def speaker(sid=1, skills=None, at=HOME, **kw):
    lat, lon = at if at is not None else (None, None)
    return Speaker(id=sid, lat=lat, lon=lon, skills=(kho(),) if skills is None else tuple(skills), **kw)


def request(rid=1, day=MONDAY, at=NEAR, language="kpm", **kw):
    lat, lon = at if at is not None else (None, None)
    return Request(id=rid, language=language, date=day, lat=lat, lon=lon, **kw)


def codes(proposal):
    return [r["code"] for r in proposal.reasons]


# --- Oral level -------------------------------------------------------------------------------------------------


def test_oral_level_is_the_lower_of_listening_and_speaking():
    found = score_pair(request(), speaker(skills=[Skill("kpm", listening=5, speaking=3, reading=1)]))
    assert found.components["skill"] == pytest.approx(40 * 3 / 5)
    assert found.reasons[0] == {"code": "speaks", "params": {"language": "kpm", "level": 3}}


def test_one_known_level_is_the_level():
    found = score_pair(request(), speaker(skills=[Skill("kpm", speaking=4)]))
    assert found.components["skill"] == pytest.approx(32.0)


def test_a_level_not_assessed_counts_as_the_level_asked_for():
    found = score_pair(request(min_level=3), speaker(skills=[Skill("kpm")]))
    assert isinstance(found, Proposal)
    assert found.components["skill"] == pytest.approx(40 * 3 / 5)
    assert found.reasons[0] == {"code": "level_not_assessed", "params": {"language": "kpm", "level": 3}}


# --- Hard rules -------------------------------------------------------------------------------------------------


def test_someone_who_does_not_speak_the_language_is_excluded():
    verdict = score_pair(request(), speaker(skills=[Skill("cma", listening=5, speaking=5)]))
    assert verdict == Exclusion(1, "no_language", {"language": "kpm"})


def test_a_level_below_the_minimum_is_excluded_with_the_best_level():
    verdict = score_pair(request(min_level=3), speaker(skills=[kho(1), kho(2, dialect="Lạch")]))
    assert verdict == Exclusion(1, "level_too_low", {"language": "kpm", "level": 2, "min_level": 3})
    assert isinstance(score_pair(request(min_level=2), speaker(skills=[kho(2)])), Proposal)


def test_leave_day_excludes():
    verdict = score_pair(request(), speaker(unavailable=frozenset({MONDAY})))
    assert verdict == Exclusion(1, "unavailable", {"date": "2026-03-02"})
    assert isinstance(score_pair(request(day=TUESDAY), speaker(unavailable=frozenset({MONDAY}))), Proposal)


def test_a_booked_half_day_leaves_the_other():
    booked = frozenset({(MONDAY, "am")})
    assert score_pair(request(), speaker(booked=booked)).slot == "pm"
    assert score_pair(request(slots=("am",)), speaker(booked=booked)) == Exclusion(
        1, "busy", {"date": "2026-03-02"}
    )
    both = frozenset({(MONDAY, "am"), (MONDAY, "pm")})
    assert score_pair(request(), speaker(booked=both)).code == "busy"


def test_half_days_the_person_does_not_go_out():
    mornings = frozenset({(0, "am"), (2, "am")})  # Monday and Wednesday mornings
    assert score_pair(request(), speaker(available_slots=mornings)).slot == "am"
    assert score_pair(request(slots=("pm",)), speaker(available_slots=mornings)) == Exclusion(
        1, "off_slot", {"date": "2026-03-02"}
    )
    # By default: Monday to Friday, both half-days.
    assert score_pair(request(day=SATURDAY), speaker()).code == "off_slot"
    saturday = frozenset({(5, "am")})
    assert score_pair(request(day=SATURDAY), speaker(available_slots=saturday)).slot == "am"


def test_day_and_week_capacity_already_used():
    assert score_pair(request(), speaker(daily_capacity=2, booked_per_day={MONDAY: 2})) == Exclusion(
        1, "day_full", {"date": "2026-03-02", "booked": 2, "capacity": 2}
    )
    assert isinstance(score_pair(request(), speaker(daily_capacity=2, booked_per_day={MONDAY: 1})), Proposal)
    assert score_pair(request(), speaker(weekly_capacity=3, booked_per_week={WEEK: 3})) == Exclusion(
        1, "week_full", {"booked": 3, "capacity": 3}
    )
    # Another week's bookings do not count.
    assert isinstance(
        score_pair(request(), speaker(weekly_capacity=3, booked_per_week={(2026, 9): 3})), Proposal
    )


def test_too_far_by_road():
    # 0.2° of latitude ≈ 22.2 km great-circle ≈ 31.1 km by road: inside 40 km, outside 30 km.
    place = (HOME[0] + 0.2, HOME[1])
    assert isinstance(score_pair(request(at=place), speaker()), Proposal)
    verdict = score_pair(request(at=place), speaker(), Params(max_distance_km=30))
    assert verdict.code == "too_far"
    assert verdict.params == {"km": 31.1, "max_km": 30.0}


def test_an_unknown_place_is_no_reason_to_exclude():
    for found in (score_pair(request(at=None), speaker()), score_pair(request(), speaker(at=None))):
        assert isinstance(found, Proposal)
        assert found.distance_km is None
        assert found.components["distance"] == 0.0
        assert "distance_unknown" in codes(found) and "distance" not in codes(found)


def test_a_person_who_declined_is_not_proposed_again():
    assert score_pair(request(excluded=frozenset({1})), speaker()) == Exclusion(1, "declined", {})
    assert isinstance(score_pair(request(excluded=frozenset({2})), speaker()), Proposal)


def test_an_unknown_slot_name_is_an_error():
    with pytest.raises(ValueError):
        score_pair(request(slots=("evening",)), speaker())


# --- Score --------------------------------------------------------------------------------------------------------


def test_score_components_add_up():
    place = (HOME[0] + 0.1, HOME[1])  # 11.1195 km great-circle → 15.567 km by road
    found = score_pair(
        request(at=place, dialect=" lạch "),
        speaker(skills=[kho(4, dialect="Lạch", certified=True)], booked_per_week={WEEK: 2}),
    )
    km = matching.haversine_km(*HOME, *place) * 1.4
    assert found.distance_km == pytest.approx(km)
    assert km == pytest.approx(15.567, abs=1e-3)
    assert found.components == pytest.approx(
        {
            "skill": 32.0,
            "certified": 10.0,
            "dialect": 5.0,
            "distance": 30 * (1 - km / 40),
            "workload": 15 * (1 - 2 / 5),
        }
    )
    assert found.score == pytest.approx(sum(found.components.values()))
    assert codes(found) == ["speaks", "dialect_match", "certified", "distance", "workload", "slot"]
    assert found.reasons[3] == {"code": "distance", "params": {"km": 15.6}}
    assert found.reasons[4] == {"code": "workload", "params": {"count": 2, "capacity": 5}}
    assert found.reasons[5] == {"code": "slot", "params": {"date": "2026-03-02", "slot": "am"}}


def test_the_best_possible_speaker_scores_100():
    found = score_pair(
        request(at=HOME, dialect="Srê"), speaker(skills=[kho(5, dialect="Srê", certified=True)])
    )
    assert found.score == pytest.approx(100.0)


def test_another_dialect_scores_nothing_for_dialect_and_says_so():
    found = score_pair(request(dialect="Lạch"), speaker(skills=[kho(4, dialect="Srê")]))
    assert found.components["dialect"] == 0.0
    assert {"code": "dialect_differs", "params": {"requested": "Lạch", "dialect": "Srê"}} in found.reasons
    found = score_pair(request(), speaker(skills=[kho(4, dialect="Srê")]))
    assert "dialect_differs" not in codes(found) and "dialect_match" not in codes(found)


def test_the_best_record_of_the_language_is_used():
    skills = [
        kho(3, dialect="Srê"),
        kho(3, dialect="Lạch", certified=True),
        Skill("cma", listening=5, speaking=5),
    ]
    found = score_pair(request(dialect="Lạch"), speaker(skills=skills))
    assert found.components["certified"] == 10.0 and found.components["dialect"] == 5.0


def test_workload_counts_the_requests_week():
    light = score_pair(request(), speaker(booked_per_week={WEEK: 0}))
    busy = score_pair(request(), speaker(booked_per_week={WEEK: 4}))
    assert light.components["workload"] == pytest.approx(15.0)
    assert busy.components["workload"] == pytest.approx(3.0)


# --- propose ------------------------------------------------------------------------------------------------------


def test_propose_orders_by_score_then_distance_then_id_and_counts_the_others():
    far = (HOME[0] + 0.05, HOME[1])
    people = [
        speaker(7, skills=[kho(3)]),
        speaker(3, skills=[kho(5)], at=far),
        speaker(2, skills=[kho(5)], at=far),
        speaker(9, skills=[kho(5)], at=None),  # unknown place: no distance points
        speaker(4, skills=[kho(5)]),
        speaker(5, skills=[Skill("cma", speaking=5)]),
        speaker(6, skills=[Skill("cje", speaking=5)]),
        speaker(8, unavailable=frozenset({MONDAY})),
        speaker(10, booked=frozenset({(MONDAY, "am"), (MONDAY, "pm")})),
        speaker(11, skills=[kho(1)]),
    ]
    found, excluded = propose(request(at=HOME), people, limit=None)
    assert [p.speaker_id for p in found] == [4, 2, 3, 7, 9]
    assert excluded == {"busy": 1, "level_too_low": 1, "no_language": 2, "unavailable": 1}
    top, _ = propose(request(at=HOME), people, limit=2)
    assert [p.speaker_id for p in top] == [4, 2]
    assert propose(request(at=HOME), people)[0] == found[:5]


def test_equal_scores_go_nearer_first_and_unknown_distance_last():
    # Two speakers scoring the same: 0 distance points each (one at exactly max distance, one unknown).
    edge = (HOME[0] + 40 / 1.4 / 111.195, HOME[1])
    people = [speaker(1, at=None), speaker(2, at=edge)]
    found, _ = propose(
        request(at=HOME), people, Params(max_distance_km=matching.haversine_km(*edge, *HOME) * 1.4)
    )
    assert [p.score for p in found] == pytest.approx([found[0].score] * 2)
    assert [p.speaker_id for p in found] == [2, 1]


def test_propose_with_nobody():
    assert propose(request(), []) == ([], {})


# --- The week ---------------------------------------------------------------------------------------------------


def check_plan(result, requests, speakers, params=None):
    """Every rule of the model holds in `result`'s assignments."""
    params = params or Params()
    reqs = {r.id: r for r in requests}
    people = {s.id: s for s in speakers}
    half_days = Counter()
    days = Counter()
    weeks = Counter()
    for rid, p in result.assignments.items():
        r, s = reqs[rid], people[p.speaker_id]
        assert p.request_id == rid
        assert isinstance(score_pair(r, s, params), Proposal)
        assert p.slot in r.slots and (r.date, p.slot) not in s.booked
        assert s.offers(r.date, p.slot)
        assert {"code": "slot", "params": {"date": r.date.isoformat(), "slot": p.slot}} in p.reasons
        half_days[s.id, r.date, p.slot] += 1
        days[s.id, r.date] += 1
        weeks[s.id, r.date.isocalendar()[:2]] += 1
    assert all(n == 1 for n in half_days.values())
    for (sid, day), n in days.items():
        assert n + people[sid].booked_per_day.get(day, 0) <= people[sid].daily_capacity
    for (sid, week), n in weeks.items():
        assert n + people[sid].booked_per_week.get(week, 0) <= people[sid].weekly_capacity
    assert set(result.assignments) | set(result.unassigned) == set(reqs)
    assert not set(result.assignments) & set(result.unassigned)
    assert result.served == len(result.assignments)
    assert result.quality == pytest.approx(sum(p.score for p in result.assignments.values()))


def random_instance(seed):
    rng = random.Random(seed)
    languages = ["kpm", "cma", "cje"]
    days = [MONDAY + dt.timedelta(days=i) for i in range(rng.choice([2, 3, 5]))]
    if rng.random() < 0.2:
        days.append(SATURDAY)

    def place():
        if rng.random() < 0.08:
            return None
        return (11.8 + rng.random() * 0.4, 108.2 + rng.random() * 0.4)

    speakers = []
    for sid in range(1, rng.randint(3, 10) + 1):
        skills = []
        for code in rng.sample(languages, rng.choice([1, 1, 2])):
            listening = rng.choice([None, 1, 2, 3, 4, 5])
            speaking = rng.choice([None, 2, 3, 4, 5])
            skills.append(
                Skill(
                    code,
                    dialect=rng.choice(["", "Lạch", "Srê"]),
                    listening=listening,
                    speaking=speaking,
                    certified=rng.random() < 0.4,
                )
            )
        weekly = rng.randint(1, 4)
        booked = frozenset((d, s) for d in days for s in SLOTS if rng.random() < 0.15)
        per_day = {d: 1 for d, _ in booked if rng.random() < 0.7}
        slots_offered = None
        if rng.random() < 0.3:
            slots_offered = frozenset((w, s) for w in range(7) for s in SLOTS if rng.random() < 0.6)
        speakers.append(
            speaker(
                sid,
                skills=skills,
                at=place(),
                weekly_capacity=weekly,
                daily_capacity=rng.randint(1, 2),
                booked=booked,
                booked_per_day=per_day,
                booked_per_week={WEEK: rng.randint(0, weekly)} if rng.random() < 0.3 else {},
                unavailable=frozenset(d for d in days if rng.random() < 0.1),
                available_slots=slots_offered,
            )
        )
    requests = []
    for rid in range(1, rng.randint(4, 16) + 1):
        requests.append(
            request(
                rid * 10,
                day=rng.choice(days),
                at=place(),
                language=rng.choice(languages),
                slots=rng.choice([SLOTS, ("am",), ("pm",)]),
                dialect=rng.choice(["", "", "Lạch"]),
                min_level=rng.choice([1, 2, 3]),
                excluded=frozenset({1}) if rng.random() < 0.1 else frozenset(),
            )
        )
    return requests, speakers


@pytest.mark.parametrize("method", ["lexicographic", "weighted"])
@pytest.mark.parametrize("seed", range(30))
def test_the_flow_is_optimal_against_cp_sat(seed, method):
    requests, speakers = random_instance(seed)
    params = Params(max_distance_km=rng_distance(seed))
    result = solve_week(requests, speakers, params)
    reference = solve_reference(requests, speakers, params, method=method)
    assert result.status == "optimal" and reference["status"] == "OPTIMAL"
    check_plan(result, requests, speakers, params)
    assert result.served == reference["served"]
    assert result.stats["objective"] == reference["objective"]
    assert result.quality == pytest.approx(reference["quality"], abs=0.005 * max(1, result.served))
    greedy = greedy_week(requests, speakers, params)
    check_plan(greedy, requests, speakers, params)
    assert (greedy.served, greedy.stats["objective"]) <= (result.served, result.stats["objective"])


def rng_distance(seed):
    return [25.0, 40.0, 60.0][seed % 3]


def test_greedy_can_be_strictly_worse():
    # A (Monday) and B (Monday) both ask for a morning. Speaker 1 suits A best but is the only one B can use
    # (B needs level 4); speaker 2 can do A only. Greedy gives A speaker 1 and leaves B alone.
    a = request(1, slots=("am",))
    b = request(2, slots=("am",), min_level=4)
    people = [speaker(1, skills=[kho(5, certified=True)]), speaker(2, skills=[kho(2)])]
    greedy = greedy_week([a, b], people)
    optimal = solve_week([a, b], people)
    assert greedy.served == 1 and greedy.assignments[1].speaker_id == 1
    assert greedy.unassigned == {
        2: {"code": "unserved_capacity", "params": {"language": "kpm", "candidates": 1}}
    }
    assert optimal.served == 2
    assert {rid: p.speaker_id for rid, p in optimal.assignments.items()} == {1: 2, 2: 1}
    assert optimal.quality > greedy.quality


def test_serving_one_more_beats_a_better_score():
    # One excellent speaker could take A (score ≈ 100), or a weak one A and the excellent one B: two served wins.
    a = request(1, slots=("am",), at=HOME)
    b = request(2, slots=("am",), at=HOME, min_level=3)
    people = [speaker(1, skills=[kho(5, certified=True)], at=HOME), speaker(2, skills=[kho(2)], at=None)]
    result = solve_week([a, b], people)
    assert result.served == 2 and result.assignments[2].speaker_id == 1


def test_one_visit_per_half_day_and_the_daily_limit():
    people = [speaker(1, daily_capacity=2)]
    two_mornings = [request(1, slots=("am",)), request(2, slots=("am",))]
    assert solve_week(two_mornings, people).served == 1
    am_and_pm = [request(1), request(2)]
    result = solve_week(am_and_pm, people)
    assert result.served == 2
    assert sorted(p.slot for p in result.assignments.values()) == ["am", "pm"]
    # One visit a day already booked leaves one.
    people = [speaker(1, daily_capacity=2, booked_per_day={MONDAY: 1}, booked=frozenset({(MONDAY, "pm")}))]
    result = solve_week([request(1), request(2), request(3)], people)
    assert result.served == 1 and [p.slot for p in result.assignments.values()] == ["am"]
    assert {m["code"] for m in result.unassigned.values()} == {"unserved_capacity"}
    # daily_capacity 1 with both half-days free: still one visit.
    assert solve_week(am_and_pm, [speaker(1, daily_capacity=1)]).served == 1


def test_the_weekly_limit_counts_earlier_bookings():
    days = [MONDAY + dt.timedelta(days=i) for i in range(5)]
    requests = [request(i + 1, day=d) for i, d in enumerate(days)]
    assert solve_week(requests, [speaker(1, weekly_capacity=3)]).served == 3
    assert solve_week(requests, [speaker(1, weekly_capacity=3, booked_per_week={WEEK: 2})]).served == 1
    # Next week's request is not held back by this week's limit.
    next_monday = MONDAY + dt.timedelta(days=7)
    result = solve_week(
        [*requests, request(9, day=next_monday)], [speaker(1, weekly_capacity=3, booked_per_week={WEEK: 2})]
    )
    assert result.served == 2 and 9 in result.assignments
    for solve in (solve_week, greedy_week):
        check_plan(
            solve(requests, [speaker(1, weekly_capacity=3)]), requests, [speaker(1, weekly_capacity=3)]
        )


def test_unassigned_reasons():
    people = [
        speaker(1, skills=[Skill("cma", speaking=4)], unavailable=frozenset({MONDAY})),
        speaker(2, skills=[Skill("cje", speaking=4)], at=(13.0, 108.0)),  # far from everything
        speaker(3, weekly_capacity=1),
    ]
    requests = [
        request(1, language="cma"),  # its only speaker is on leave
        request(2, language="cje"),  # its only speaker is too far
        request(3, language="rad"),  # nobody speaks Ê Đê
        request(4),  # speaker 3 …
        request(5, day=TUESDAY),  # … can do one of these two
    ]
    for solve in (solve_week, greedy_week):
        result = solve(requests, people)
        assert result.served == 1
        assert result.unassigned[1] == {
            "code": "unserved_busy",
            "params": {"language": "cma", "date": "2026-03-02"},
        }
        assert result.unassigned[2] == {
            "code": "unserved_no_speaker",
            "params": {"language": "cje", "min_level": 2, "max_km": 40.0},
        }
        assert result.unassigned[3]["code"] == "unserved_no_speaker"
        left = ({4, 5} - set(result.assignments)).pop()
        assert result.unassigned[left] == {
            "code": "unserved_capacity",
            "params": {"language": "kpm", "candidates": 1},
        }


def test_empty_inputs():
    for solve in (solve_week, greedy_week):
        result = solve([], [])
        assert (result.assignments, result.unassigned, result.served, result.quality) == ({}, {}, 0, 0.0)
        result = solve([], [speaker()])
        assert result.served == 0
        result = solve([request()], [])
        assert result.served == 0
        assert result.unassigned[1]["code"] == "unserved_no_speaker"
    assert solve_week([], []).status == "optimal"
    assert greedy_week([], []).status == "heuristic"


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        solve_week([request(1), request(1)], [speaker()])
    with pytest.raises(ValueError):
        solve_week([request(1)], [speaker(1), speaker(1)])


def test_the_plan_does_not_depend_on_input_order():
    requests, speakers = random_instance(7)
    first = solve_week(requests, speakers)
    again = solve_week(list(reversed(requests)), list(reversed(speakers)))
    assert first.assignments == again.assignments
    assert first.unassigned == again.unassigned


def test_a_solver_that_does_not_finish_is_an_error(monkeypatch):
    class Stuck:
        OPTIMAL = 1

        def add_arcs_with_capacity_and_unit_cost(self, *args):
            pass

        def set_nodes_supplies(self, *args):
            pass

        def solve(self):
            return 0

    monkeypatch.setattr(matching.flow.min_cost_flow, "SimpleMinCostFlow", Stuck)
    with pytest.raises(RuntimeError):
        solve_week([request()], [speaker()])


# --- Messages -----------------------------------------------------------------------------------------------------


def test_every_message_has_a_known_code_and_exactly_its_params():
    seen = set()

    def check(msg):
        assert set(msg["params"]) == set(MESSAGE_CODES[msg["code"]]), msg
        json.dumps(msg)  # stored in a JSONField as it is
        seen.add(msg["code"])

    for seed in range(30):
        requests, speakers = random_instance(seed)
        for r in requests:
            found, _ = propose(r, speakers, limit=None)
            for p in found:
                for msg in p.reasons:
                    check(msg)
            for s in speakers:
                verdict = score_pair(r, s)
                if isinstance(verdict, Exclusion):
                    assert "count" not in verdict.params  # the page shows these counted with {"count": n}
                    check({"code": verdict.code, "params": verdict.params})
        for result in (solve_week(requests, speakers), greedy_week(requests, speakers)):
            for msg in result.unassigned.values():
                check(msg)
            for p in result.assignments.values():
                for msg in p.reasons:
                    check(msg)
    # The random instances meet nearly every code; the rest are met by the tests above.
    assert len(seen) >= len(MESSAGE_CODES) - 4, sorted(set(MESSAGE_CODES) - seen)
