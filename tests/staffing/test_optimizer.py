"""Tests for civicdesk.staffing.optimizer: exactness against brute force, locks, bounds, helpers."""

from __future__ import annotations

import json
import math
import random
from collections import Counter

import pytest

from civicdesk.staffing.optimizer import (
    MESSAGE_CODES,
    Assignment,
    Commune,
    Locks,
    Need,
    PlanInput,
    Staff,
    explain,
    haversine_km,
    objective_of,
    solve,
    to_json,
)

from .reference_solvers import greedy, solve_mip

FIELDS = ("a", "b")


def _km(s: Staff, c: Commune) -> float:
    return float(haversine_km(s.home_lat, s.home_lon, c.lat, c.lon))


def random_instance(seed: int, n_staff: int = 5, n_communes: int = 3, fields=FIELDS, locks: bool = False):
    """Small instance in a ~60 km box: distances matter for w in 0.02..0.2, some arcs are worthless."""
    rng = random.Random(seed)
    communes = [
        Commune(f"X{i}", 16.0 + rng.uniform(0, 0.55), 107.0 + rng.uniform(0, 0.55)) for i in range(n_communes)
    ]
    needs = [
        Need(c.code, f, rng.choice([0, 1, 1, 2, 2]), rng.randint(1, 5))
        for c in communes
        for f in fields
        if rng.random() < 0.8
    ]
    depts = ["D1", "D2", "D3"]
    staff = [
        Staff(
            f"S{i}",
            rng.choice(depts),
            frozenset(rng.sample(fields, rng.randint(1, len(fields)))),
            16.0 + rng.uniform(-0.1, 0.65),
            107.0 + rng.uniform(-0.1, 0.65),
        )
        for i in range(n_staff)
    ]
    quota_mode = rng.random()
    if quota_mode < 0.25:
        quotas = None
    elif quota_mode < 0.35:
        quotas = {}
    else:  # sometimes a department is missing -> it releases nobody
        quotas = {d: rng.choice([0, 1, 2, 2, 3]) for d in depts if rng.random() < 0.85}
    inp = PlanInput(
        communes=communes,
        needs=needs,
        staff=staff,
        quotas=quotas,
        total=0 if rng.random() < 0.05 else rng.randint(2, n_staff),
        distance_weight=rng.choice([0.0, 0.02, 0.05, 0.1, 0.2]),
        max_per_commune=rng.randint(1, 3),
    )
    if locks:
        ids = [s.staff_id for s in staff]
        lk = Locks()
        for sid in ids:
            r = rng.random()
            if r < 0.1:
                lk.must_send.add(sid)
            elif r < 0.2:
                lk.must_not_send.add(sid)
        open_needs = [n for n in needs if n.units > 0]
        if open_needs and rng.random() < 0.6:
            # Mostly a consistent lock; sometimes one that clashes with must_not_send on purpose.
            pool = [s for s in staff if s.staff_id not in lk.must_not_send or rng.random() < 0.1]
            s = rng.choice(pool or staff)
            options = [n for n in open_needs if n.field in s.fields]
            if options:
                n = rng.choice(options)
                lk.fixed.append((s.staff_id, n.commune_code, n.field))
        if rng.random() < 0.5:
            lk.forbidden.add((rng.choice(ids), rng.choice(communes).code))
        inp.locks = lk
    return inp


def brute_force(inp: PlanInput, restricted: bool) -> float | None:
    """Best objective by exhaustive search (None if nothing satisfies the locks).

    ``restricted=False`` is the issue's model as written (over-assignment allowed, coverage capped at units);
    ``restricted=True`` adds Σ x ≤ units, the model that locked people must also respect.
    """
    communes = {c.code: c for c in inp.communes}
    locks = inp.locks
    fixed = {s: (c, f) for s, c, f in locks.fixed}
    options = []
    for s in inp.staff:
        opts = [
            (n.commune_code, n.field)
            for n in inp.needs
            if n.field in s.fields and n.units > 0 and (s.staff_id, n.commune_code) not in locks.forbidden
        ]
        if s.staff_id in fixed:  # a fixed person who is also must_not_send has no option at all
            ok = fixed[s.staff_id] in opts and s.staff_id not in locks.must_not_send
            opts = [fixed[s.staff_id]] if ok else []
        elif s.staff_id in locks.must_not_send:
            opts = [None]
        elif s.staff_id not in locks.must_send:
            opts = [None, *opts]
        options.append(opts)
    needs = {(n.commune_code, n.field): n for n in inp.needs}
    quota = (lambda d: inp.quotas.get(d, 0)) if inp.quotas else (lambda d: math.inf)
    best = [None]
    per_need: Counter = Counter()
    per_commune: Counter = Counter()
    per_dept: Counter = Counter()

    def rec(i: int, used: int, value: float) -> None:
        if i == len(inp.staff):
            if best[0] is None or value > best[0]:
                best[0] = value
            return
        s = inp.staff[i]
        for opt in options[i]:
            if opt is None:
                rec(i + 1, used, value)
                continue
            c = opt[0]
            nd = needs[opt]
            if (
                used >= inp.total
                or per_commune[c] >= inp.max_per_commune
                or per_dept[s.department] >= quota(s.department)
            ):
                continue
            if restricted and per_need[opt] >= nd.units:
                continue
            gain = (nd.priority if per_need[opt] < nd.units else 0) - inp.distance_weight * _km(
                s, communes[c]
            )
            per_need[opt] += 1
            per_commune[c] += 1
            per_dept[s.department] += 1
            rec(i + 1, used + 1, value + gain)
            per_need[opt] -= 1
            per_commune[c] -= 1
            per_dept[s.department] -= 1

    rec(0, 0, 0.0)
    return best[0]


def assert_feasible(inp: PlanInput, assignments: list[Assignment]) -> None:
    """Every hard constraint of the model, checked independently of the optimiser's code."""
    staff = {s.staff_id: s for s in inp.staff}
    needs = {(n.commune_code, n.field): n for n in inp.needs}
    ids = [a.staff_id for a in assignments]
    assert len(ids) == len(set(ids)), "someone assigned twice"
    assert len(assignments) <= inp.total
    per_need = Counter((a.commune_code, a.field) for a in assignments)
    for key, count in per_need.items():
        assert key in needs and count <= needs[key].units
    for count in Counter(a.commune_code for a in assignments).values():
        assert count <= inp.max_per_commune
    if inp.quotas:
        for dept, count in Counter(staff[a.staff_id].department for a in assignments).items():
            assert count <= inp.quotas.get(dept, 0)
    for a in assignments:
        assert a.field in staff[a.staff_id].fields
        assert (a.staff_id, a.commune_code) not in inp.locks.forbidden
        assert a.staff_id not in inp.locks.must_not_send
    assert inp.locks.must_send <= set(ids)
    assert {(a.staff_id, a.commune_code, a.field) for a in assignments} >= set(inp.locks.fixed)


SEEDS = range(30)


@pytest.mark.parametrize("seed", SEEDS)
def test_solve_equals_brute_force_of_the_issue_model(seed):
    inp = random_instance(seed)
    res = solve(inp)
    assert res.status == "optimal"
    assert_feasible(inp, res.assignments)
    expected = brute_force(inp, restricted=False)
    assert objective_of(inp, res.assignments) == pytest.approx(expected, abs=1e-6)
    assert res.objective == pytest.approx(expected, abs=1e-6)
    assert res.objective <= res.bound + 1e-9 and res.gap <= 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_solve_with_locks_equals_brute_force(seed):
    inp = random_instance(1000 + seed, locks=True)
    res = solve(inp)
    expected = brute_force(inp, restricted=True)
    if expected is None:
        assert res.status == "infeasible" and res.assignments == [] and res.messages
        assert_messages_are_codes(res.messages)
        return
    assert res.status == "optimal", res.messages
    assert_feasible(inp, res.assignments)
    assert res.objective == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_greedy_is_feasible_and_never_beats_optimal(seed):
    inp = random_instance(2000 + seed, locks=seed % 2 == 0)
    opt, base = solve(inp), greedy(inp)
    if opt.status == "infeasible":
        assert base.status == "infeasible"
        return
    if base.status == "infeasible":  # greedy may fail to place must_send people the optimum can place
        return
    assert_feasible(inp, base.assignments)
    assert base.objective <= opt.objective + 1e-9
    assert base.bound >= opt.objective - 1e-9  # greedy's relaxation bound is a valid upper bound


@pytest.mark.parametrize("seed", range(4))
def test_flow_agrees_with_mip_and_lp_on_medium_instances(seed):
    inp = random_instance(3000 + seed, n_staff=40, n_communes=15, fields=("a", "b", "c", "d"), locks=True)
    inp.total = 25
    inp.quotas = None if seed == 0 else inp.quotas
    flow = solve(inp)
    mip = solve_mip(inp, time_limit=20, backend="HIGHS")
    assert flow.status == mip.status
    if flow.status == "optimal":
        assert_feasible(inp, flow.assignments)
        assert flow.objective == pytest.approx(mip.objective, abs=1e-6)
        lp = solve_mip(inp, time_limit=20, backend="GLOP")
        assert lp.bound == pytest.approx(flow.objective, abs=1e-6)


def tiny(**kw) -> PlanInput:
    """Two communes 100 km apart on a meridian; staff live at X0."""
    communes = [Commune("X0", 16.0, 107.0), Commune("X1", 16.0 + 100 / 111.195, 107.0)]
    needs = [Need("X0", "a", 1, 3), Need("X1", "a", 2, 5), Need("X1", "b", 1, 1)]
    staff = [
        Staff("S0", "D1", frozenset({"a"}), 16.0, 107.0),
        Staff("S1", "D1", frozenset({"a", "b"}), 16.0, 107.0),
        Staff("S2", "D2", frozenset({"b"}), 16.0, 107.0),
    ]
    base = dict(
        communes=communes,
        needs=needs,
        staff=staff,
        quotas=None,
        total=3,
        distance_weight=0.01,
        max_per_commune=3,
    )
    base.update(kw)
    return PlanInput(**base)


def test_nonpositive_arcs_are_never_chosen():
    # X1 is ~100 km away: with w = 0.06 its arcs are worth 5 − 6 < 0 and 1 − 6 < 0; only X0 pays.
    inp = tiny(distance_weight=0.06)
    res = solve(inp)
    assert [(a.commune_code, a.field) for a in res.assignments] == [("X0", "a")]
    assert all(a.value > 0 for a in res.assignments)
    # w = 0.05 makes X1/a worth exactly 5 − 5.0 = 0 (up to rounding of the 100 km): still never chosen.
    inp = tiny(distance_weight=5.0 / haversine_km(16.0, 107.0, 16.0 + 100 / 111.195, 107.0))
    res = solve(inp)
    assert all(a.value > 1e-9 for a in res.assignments)
    assert all(a.value > 0 for a in greedy(inp).assignments)


def test_fixed_assignment_is_kept_even_at_a_loss():
    inp = tiny(distance_weight=0.06, locks=Locks(fixed=[("S2", "X1", "b")]))
    res = solve(inp)
    chosen = {(a.staff_id, a.commune_code, a.field) for a in res.assignments}
    assert ("S2", "X1", "b") in chosen
    fixed = next(a for a in res.assignments if a.staff_id == "S2")
    assert fixed.value < 0
    assert explain(inp, res, fixed)["locked"] == "fixed"


def test_must_send_goes_somewhere_even_at_a_loss():
    inp = tiny(distance_weight=0.06, total=2, locks=Locks(must_send={"S2"}))
    res = solve(inp)
    assert res.status == "optimal"
    sent = {a.staff_id for a in res.assignments}
    assert "S2" in sent and len(sent) == 2  # S2 takes X1/b at a loss; one of S0/S1 fills X0/a
    assert next(a for a in res.assignments if a.staff_id == "S2").value < 0
    assert res.objective == pytest.approx(brute_force(inp, restricted=True), abs=1e-9)


def test_must_not_send_is_honoured():
    inp = tiny(locks=Locks(must_not_send={"S0", "S1"}))
    res = solve(inp)
    assert {a.staff_id for a in res.assignments} <= {"S2"}


def test_forbidden_pair_is_honoured():
    inp = tiny(distance_weight=0.0, locks=Locks(forbidden={("S1", "X1")}))
    res = solve(inp)
    assert ("S1", "X1") not in {(a.staff_id, a.commune_code) for a in res.assignments}


@pytest.mark.parametrize(
    ("kw", "code", "params"),
    [
        (
            dict(quotas={"D1": 1}, locks=Locks(must_send={"S0", "S1"})),
            "forced_over_quota",
            {"department": "D1"},
        ),
        # D2 missing from the quotas -> it releases nobody
        (dict(quotas={"D1": 5}, locks=Locks(must_send={"S2"})), "forced_over_quota", {"quota": 0}),
        (dict(total=1, locks=Locks(must_send={"S0", "S2"})), "forced_over_total", {"forced": 2, "total": 1}),
        (
            dict(locks=Locks(must_send={"S0"}, must_not_send={"S0"})),
            "lock_send_and_not_send",
            {"staff_id": "S0"},
        ),
        (dict(locks=Locks(fixed=[("S0", "X1", "b")])), "fixed_field_missing", {"field": "b"}),
        (dict(locks=Locks(fixed=[("S0", "X0", "a"), ("S1", "X0", "a")])), "fixed_over_need", {"units": 1}),
        (
            dict(max_per_commune=1, locks=Locks(fixed=[("S0", "X1", "a"), ("S1", "X1", "a")])),
            "fixed_over_commune",
            {"commune_code": "X1", "max_per_commune": 1},
        ),
        (dict(locks=Locks(must_send={"NOBODY"})), "lock_unknown_staff", {"staff_id": "NOBODY"}),
        (
            dict(locks=Locks(fixed=[("S0", "X0", "a")], must_not_send={"S0"})),
            "fixed_not_send",
            {"staff_id": "S0"},
        ),
        (
            dict(locks=Locks(fixed=[("S1", "X0", "a"), ("S1", "X1", "a")])),
            "fixed_twice",
            {"commune_code": "X1"},
        ),
        (dict(locks=Locks(fixed=[("S1", "X0", "b")])), "fixed_no_need", {"commune_code": "X0", "field": "b"}),
        (dict(locks=Locks(fixed=[("S0", "X0", "a")], forbidden={("S0", "X0")})), "fixed_forbidden", {}),
        (dict(needs=[Need("X0", "a", 1, 3)], locks=Locks(must_send={"S2"})), "must_send_no_need", {}),
    ],
)
def test_infeasible_locks_are_reported_with_a_reason(kw, code, params):
    res = solve(tiny(**kw))
    assert res.status == "infeasible"
    assert res.assignments == []
    assert any(m["code"] == code and params.items() <= m["params"].items() for m in res.messages), (
        res.messages
    )
    assert_messages_are_codes(res.messages)
    assert greedy(tiny(**kw)).status == "infeasible"


def assert_messages_are_codes(messages):
    """What the optimiser says is a known code with exactly its parameters, JSON-ready, never a sentence."""
    for m in messages:
        assert set(m) == {"code", "params"}
        assert set(m["params"]) == set(MESSAGE_CODES[m["code"]]), m
    json.dumps(messages)


def test_infeasible_detected_by_the_flow_itself():
    # Both must_send people can only fill X0/a (1 unit): each check passes alone, jointly impossible.
    inp = tiny(
        needs=[Need("X0", "a", 1, 3)],
        staff=[
            Staff("S0", "D1", frozenset({"a"}), 16.0, 107.0),
            Staff("S1", "D2", frozenset({"a"}), 16.0, 107.0),
        ],
        locks=Locks(must_send={"S0", "S1"}),
    )
    res = solve(inp)
    assert res.status == "infeasible"
    assert res.messages == [{"code": "locks_jointly_infeasible", "params": {}}]


def test_quota_semantics_none_empty_and_missing_department():
    unlimited = solve(tiny(quotas=None, distance_weight=0.0))
    assert unlimited.objective == solve(tiny(quotas={}, distance_weight=0.0)).objective
    assert len(unlimited.assignments) == 3
    only_d1 = solve(tiny(quotas={"D1": 2}, distance_weight=0.0))
    assert {a.staff_id for a in only_d1.assignments} <= {"S0", "S1"}  # D2 is not in the table -> 0
    one = solve(tiny(quotas={"D1": 1, "D2": 1}, distance_weight=0.0))
    assert Counter(a.staff_id[:2] for a in one.assignments) and len(one.assignments) == 2


def test_total_and_max_per_commune_are_respected():
    inp = tiny(distance_weight=0.0, total=2, max_per_commune=1)
    res = solve(inp)
    assert len(res.assignments) == 2
    assert len({a.commune_code for a in res.assignments}) == 2


def test_objective_of_caps_coverage_at_units():
    inp = tiny(distance_weight=0.0)
    twice = [Assignment("S0", "X0", "a", 0, 0), Assignment("S1", "X0", "a", 0, 0)]
    assert objective_of(inp, twice) == 3.0  # units = 1: the second person covers nothing
    inp = tiny(distance_weight=1.0)
    km = haversine_km(16.0, 107.0, 16.0 + 100 / 111.195, 107.0)
    assert objective_of(inp, [Assignment("S0", "X1", "a", 0, 0)]) == pytest.approx(5 - km)
    with pytest.raises(ValueError):
        objective_of(inp, [Assignment("ZZ", "X1", "a", 0, 0)])


def test_haversine_quarter_meridian_and_symmetry():
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(6371.0088 * math.pi / 2, rel=1e-12)
    assert haversine_km(21.0285, 105.8542, 10.8231, 106.6297) == pytest.approx(
        haversine_km(10.8231, 106.6297, 21.0285, 105.8542)
    )
    assert 1130 < haversine_km(21.0285, 105.8542, 10.8231, 106.6297) < 1145  # Hà Nội – TP.HCM


def test_assignment_values_and_km_are_consistent():
    inp = random_instance(7, n_staff=8, n_communes=4)
    res = solve(inp)
    staff = {s.staff_id: s for s in inp.staff}
    communes = {c.code: c for c in inp.communes}
    needs = {(n.commune_code, n.field): n for n in inp.needs}
    for a in res.assignments:
        assert a.km == pytest.approx(_km(staff[a.staff_id], communes[a.commune_code]))
        assert a.value == pytest.approx(
            needs[(a.commune_code, a.field)].priority - inp.distance_weight * a.km
        )


def test_explain_reports_need_value_and_top3_alternatives():
    communes = [Commune(f"X{i}", 16.0 + i * 0.05, 107.0) for i in range(6)]
    needs = [Need(c.code, "a", 1, 5 - (i % 3)) for i, c in enumerate(communes)]
    staff = [
        Staff("S0", "D1", frozenset({"a"}), 16.0, 107.0),
        Staff("S1", "D1", frozenset({"a"}), 16.0, 107.0),
    ]
    inp = PlanInput(communes, needs, staff, None, 2, 0.05, 1)
    res = solve(inp)
    a = res.assignments[0]
    info = explain(inp, res, a)
    assert info["staff_id"] == a.staff_id and info["commune_code"] == a.commune_code
    assert info["need"] == {"units": 1, "priority": needs[int(a.commune_code[1:])].priority, "assigned": 1}
    assert info["value"] == pytest.approx(a.value) and info["km"] == pytest.approx(a.km)
    alts = info["alternatives"]
    assert len(alts) == 3
    assert [x["value"] for x in alts] == sorted((x["value"] for x in alts), reverse=True)
    assert (a.commune_code, a.field) not in {(x["commune_code"], x["field"]) for x in alts}
    taken_by_other = {(b.commune_code, b.field) for b in res.assignments if b.staff_id != a.staff_id}
    for x in alts:
        if (x["commune_code"], x["field"]) in taken_by_other:
            assert x["reason"] == "need_full"
    assert explain(inp, res, a.staff_id) == info
    with pytest.raises(ValueError):
        explain(inp, res, "NOBODY")


def test_to_json_shape():
    inp = tiny()
    data = to_json(solve(inp))
    assert {"status", "objective", "bound", "gap", "seconds", "assignments"} <= set(data)
    assert data["status"] == "optimal"
    assert all(set(a) == {"staff_id", "commune_code", "field"} for a in data["assignments"])
    bad = to_json(solve(tiny(total=0, locks=Locks(must_send={"S0"}))))
    assert bad["status"] == "infeasible" and bad["assignments"] == []


def test_progress_callback_and_empty_cases():
    calls = []
    res = solve(tiny(), progress=lambda msg, frac: calls.append((msg, frac)))
    assert calls and calls[-1][1] == 1.0 and all(0.0 <= f <= 1.0 for _, f in calls)
    assert_messages_are_codes([msg for msg, _ in calls])
    assert [msg["code"] for msg, _ in calls] == [
        "progress_checking",
        "progress_arcs",
        "progress_flow",
        "progress_done",
    ]
    assert res.status == "optimal"
    empty = solve(tiny(total=0))
    assert empty.status == "optimal" and empty.assignments == [] and empty.objective == 0.0
    no_staff = solve(tiny(staff=[]))
    assert no_staff.status == "optimal" and no_staff.assignments == []


def test_invalid_data_raises_value_error():
    with pytest.raises(ValueError):
        solve(tiny(needs=[Need("NOPE", "a", 1, 3)]))
    with pytest.raises(ValueError):
        solve(tiny(staff=[Staff("S0", "D", frozenset({"a"}), 16, 107)] * 2))
    with pytest.raises(ValueError):
        solve(tiny(distance_weight=-1.0))


def test_cp_sat_reference_agrees():
    inp = random_instance(11, n_staff=12, n_communes=5, locks=True)
    flow, cp = solve(inp), solve_mip(inp, time_limit=10, backend="CP_SAT")
    assert flow.status == cp.status
    if flow.status == "optimal":
        assert flow.objective == pytest.approx(cp.objective, abs=1e-6)


@pytest.fixture
def pricing(monkeypatch):
    """Force the column-generation path with the smallest possible starting set and additions."""
    from civicdesk.staffing.optimizer import solver

    monkeypatch.setattr(solver, "DIRECT_MAX_ARCS", -1)
    monkeypatch.setattr(solver, "_PRICING_START_PER_STAFF", 1)
    monkeypatch.setattr(solver, "_PRICING_ADD_PER_STAFF", 1)
    return solver


@pytest.mark.parametrize("seed", range(20))
def test_pricing_path_equals_brute_force(pricing, seed):
    inp = random_instance(4000 + seed, locks=seed % 2 == 1)
    if inp.distance_weight == 0:
        inp.distance_weight = 0.03  # w = 0 takes the hub path, tested below
    res = solve(inp)
    expected = brute_force(inp, restricted=bool(seed % 2))
    if expected is None:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal" and res.stats["method"] == "pricing"
    assert_feasible(inp, res.assignments)
    assert res.objective == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_pricing_path_matches_direct_on_medium_instances(pricing, seed):
    inp = random_instance(5000 + seed, n_staff=60, n_communes=20, fields=("a", "b", "c"), locks=seed % 2 == 1)
    inp.distance_weight, inp.total = 0.02, 40
    via_pricing = solve(inp)
    pricing.DIRECT_MAX_ARCS = 10**9
    direct = solve(inp)
    assert direct.stats.get("method", "direct") == "direct" or direct.status == "infeasible"
    assert via_pricing.status == direct.status
    if direct.status == "optimal":
        assert via_pricing.objective == pytest.approx(direct.objective, abs=1e-6)
        assert via_pricing.stats["rounds"] >= 1


@pytest.mark.parametrize("seed", range(6))
def test_pricing_stopped_early_still_certifies_its_bound(pricing, monkeypatch, seed):
    monkeypatch.setattr(pricing, "_PRICING_MAX_ROUNDS", 1)
    inp = random_instance(6000 + seed, n_staff=60, n_communes=20, fields=("a", "b", "c"))
    inp.distance_weight, inp.total, inp.quotas = 0.02, 40, None
    early = solve(inp)
    pricing.DIRECT_MAX_ARCS = 10**9
    exact = solve(inp)
    assert early.status in ("optimal", "feasible")
    assert_feasible(inp, early.assignments)
    assert early.objective <= exact.objective + 1e-9
    assert early.bound >= exact.objective - 1e-9  # the dual bound is valid even before convergence
    assert early.gap == pytest.approx((early.bound - early.objective) / max(abs(early.bound), 1.0))


def test_zero_distance_weight_uses_field_hubs_and_is_exact():
    for seed in range(15):
        inp = random_instance(7000 + seed, locks=True)
        inp.distance_weight = 0.0
        res = solve(inp)
        expected = brute_force(inp, restricted=True)
        if expected is None:
            assert res.status == "infeasible"
            continue
        assert res.status == "optimal" and res.stats["method"] == "hub"
        assert_feasible(inp, res.assignments)  # includes forbidden pairs, served by ordinary arcs
        assert res.objective == pytest.approx(expected, abs=1e-6)


def test_time_limit_before_any_flow_is_a_timeout():
    res = solve(tiny(), time_limit=0.0)
    assert res.status == "timeout" and res.assignments == []
    assert res.messages == [{"code": "timeout_preparing", "params": {}}]
    data = to_json(res)
    assert data["bound"] is None and data["gap"] is None  # JSON has no Infinity


def test_explain_marks_full_communes():
    # One commune takes one person; both people prefer it, the second goes elsewhere.
    communes = [Commune("X0", 16.0, 107.0), Commune("X1", 16.2, 107.0)]
    needs = [Need("X0", "a", 2, 5), Need("X0", "b", 1, 5), Need("X1", "a", 1, 5)]
    staff = [
        Staff("S0", "D1", frozenset({"a", "b"}), 16.0, 107.0),
        Staff("S1", "D1", frozenset({"a", "b"}), 16.0, 107.0),
    ]
    inp = PlanInput(communes, needs, staff, None, 2, 0.01, 1)
    res = solve(inp)
    far = next(a for a in res.assignments if a.commune_code == "X1")
    reasons = {(x["commune_code"], x["field"]): x["reason"] for x in explain(inp, res, far)["alternatives"]}
    assert reasons == {("X0", "a"): "commune_full", ("X0", "b"): "commune_full"}


def test_the_optimiser_and_its_reference_solvers_need_no_django():
    """The worker, the command line and the benchmark all run them; the benchmark without any settings."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; import civicdesk.staffing.optimizer, tests.staffing.reference_solvers; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
