"""The flow network and its solver (OR-Tools' min-cost flow), and the pricer that feeds it arcs when there are too
many to hold at once (column generation). The package docstring gives the network and the proofs."""

from __future__ import annotations

import numpy as np

from .arcs import _Arcs, _concat, _dense_blocks
from .model import _Model, _must_mask

# Integer scaling of arc values for the min-cost flow: 10^9 makes the rounding error (≤ 0.5·10^-9 per
# assignment) invisible even on tiny instances whose objective is ~1, so the certified gap stays < 10^-8.
# ``_cost_scale`` lowers it when |value| × nodes would approach the int64 range OR-Tools checks (its
# cost-scaling algorithm multiplies costs by the number of nodes).
COST_SCALE = 1_000_000_000


def _cost_scale(max_abs_value: float, node_count: int) -> float:
    """COST_SCALE, reduced if needed so that max|cost| · (nodes + 1) stays below 2^60 (int64 headroom)."""
    return float(min(COST_SCALE, 2.0**60 / ((max_abs_value + 1.0) * (node_count + 1))))


class _Network:
    """The flow network of the package docstring, over *all* departments, staff, needs and communes.

    Every node exists even without arcs so that dual potentials are defined everywhere for pricing.
    Static arcs are built once; the staff→need arcs are passed to each ``solve``. With ``hub_rows`` (used
    when distance_weight = 0) those people reach needs through one hub node per field instead of one arc
    per need: every open need of a field is then equally good for every person with the field, so
    staff→hub(f) (cap 1) and hub(f)→need (cap units, cost −priority) are exact with ~30,000 arcs in place of
    ~28 million.

    Nodes: 0 is the source, 1 the sink, then the departments, the staff, the needs, the communes and the field
    hubs, each group numbered from its ``first_…`` node.
    """

    def __init__(self, m: _Model, scale: float, hub_rows: np.ndarray | None = None, keep_graph: bool = False):
        inp = m.inp
        self.keep_graph = keep_graph  # pricing needs the whole residual graph; the direct path only flows
        staff_count, need_count, commune_count = len(inp.staff), len(inp.needs), len(inp.communes)
        department_count = len(m.departments)
        self.m, self.scale = m, scale
        self.first_department = 2
        self.first_staff = self.first_department + department_count
        self.first_need = self.first_staff + staff_count
        self.first_commune = self.first_need + need_count
        self.first_hub = self.first_commune + commune_count
        total = m.total
        must = _must_mask(m)
        free = np.flatnonzero(m.eligible & ~must)
        parts: list[tuple] = []

        def add(tails, heads, caps, costs) -> tuple[int, int]:
            """Append arcs; returns their (start, end) positions among the static arcs."""
            start = sum(p[0].size for p in parts)
            n = np.asarray(tails).size
            parts.append(
                (
                    np.asarray(tails, dtype=np.int32),
                    np.asarray(heads, dtype=np.int32),
                    np.broadcast_to(np.asarray(caps, dtype=np.int64), (n,)),
                    np.broadcast_to(np.asarray(costs, dtype=np.int64), (n,)),
                )
            )
            return start, start + n

        add([0], [1], [total], [0])  # bypass: sending fewer than ``total`` people is allowed
        add(
            np.zeros(department_count),
            self.first_department + np.arange(department_count),
            np.minimum(m.department_quota, total),
            0,
        )
        add(self.first_department + m.staff_department[free], self.first_staff + free, 1, 0)
        add(self.first_need + np.arange(need_count), self.first_commune + m.need_commune, m.need_units, 0)
        add(self.first_commune + np.arange(commune_count), np.ones(commune_count), m.commune_capacity, 0)
        self.hub_fields: list[str] = []
        self.hub_staff_arcs = self.hub_need_arcs = (0, 0)
        self.hub_staff_rows = self.hub_staff_field = np.zeros(0, np.int64)
        self.hub_need_ids = self.hub_need_field = np.zeros(0, np.int64)
        if hub_rows is not None and hub_rows.size:
            open_needs = np.flatnonzero((m.need_units > 0) & (m.commune_capacity[m.need_commune] > 0))
            self.hub_fields = sorted({m.need_field[i] for i in open_needs})
            field_index = {f: i for i, f in enumerate(self.hub_fields)}
            pairs = [
                (s, field_index[f])
                for s in hub_rows.tolist()
                for f in sorted(inp.staff[s].fields)
                if f in field_index
            ]
            self.hub_staff_rows = np.array([p[0] for p in pairs], dtype=np.int64)
            self.hub_staff_field = np.array([p[1] for p in pairs], dtype=np.int64)
            self.hub_staff_arcs = add(
                self.first_staff + self.hub_staff_rows, self.first_hub + self.hub_staff_field, 1, 0
            )
            self.hub_need_ids = open_needs
            self.hub_need_field = np.array([field_index[m.need_field[i]] for i in open_needs], dtype=np.int64)
            costs = -np.rint(m.need_priority[open_needs] * scale).astype(np.int64)
            self.hub_need_arcs = add(
                self.first_hub + self.hub_need_field,
                self.first_need + open_needs,
                m.need_units[open_needs],
                costs,
            )
        self.node_count = self.first_hub + len(self.hub_fields)
        self.static_arcs = tuple(np.concatenate([p[i] for p in parts]) for i in range(4))
        self.supply = np.zeros(self.node_count, dtype=np.int64)
        self.supply[0], self.supply[1] = total, -total
        # must_send: lower bound 1 on department→person, i.e. +1 supply at the person, −1 at the department.
        np.add.at(self.supply, self.first_staff + np.asarray(m.must_send, dtype=np.int64), 1)
        np.add.at(
            self.supply,
            self.first_department + m.staff_department[np.asarray(m.must_send, dtype=np.int64)],
            -1,
        )
        self.last_flow: tuple | None = None  # (tails, heads, caps, costs, flows) of the last solve

    def solve(self, arcs: _Arcs) -> tuple[np.ndarray, int] | None:
        """Min-cost flow with the static arcs plus ``arcs``; (flows of ``arcs``, optimal cost) or None."""
        from ortools.graph.python import min_cost_flow

        static_tails, static_heads, static_caps, static_costs = self.static_arcs
        tails = np.concatenate([static_tails, (self.first_staff + arcs.staff).astype(np.int32)])
        heads = np.concatenate([static_heads, (self.first_need + arcs.need).astype(np.int32)])
        caps = np.concatenate([static_caps, np.ones(len(arcs), np.int64)])
        costs = np.concatenate([static_costs, -np.rint(arcs.value * self.scale).astype(np.int64)])
        flow_solver = min_cost_flow.SimpleMinCostFlow()
        flow_solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        flow_solver.set_nodes_supplies(np.arange(self.node_count, dtype=np.int32), self.supply)
        status = flow_solver.solve()
        if status == flow_solver.INFEASIBLE:
            return None
        if status != flow_solver.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        flows = np.asarray(flow_solver.flows(np.arange(tails.size, dtype=np.int32)))
        if self.keep_graph:
            self.last_flow = (tails, heads, caps, costs, flows)
        else:
            self.last_flow = (None, None, None, None, flows)
        return flows[static_tails.size :], int(flow_solver.optimal_cost())

    def hub_pairs(self) -> list[tuple[int, int]]:
        """(staff, need) pairs from the hub flows: any pairing within a field is optimal (w = 0)."""
        if not self.hub_fields or self.last_flow is None:
            return []
        flows = self.last_flow[4]
        staff_flow = flows[self.hub_staff_arcs[0] : self.hub_staff_arcs[1]]
        need_flow = flows[self.hub_need_arcs[0] : self.hub_need_arcs[1]]
        pairs = []
        for fi in range(len(self.hub_fields)):
            people = self.hub_staff_rows[(self.hub_staff_field == fi) & (staff_flow > 0)]
            in_field = self.hub_need_field == fi
            slots = np.repeat(self.hub_need_ids[in_field], need_flow[in_field])
            pairs.extend(zip(people.tolist(), slots.tolist(), strict=True))
        return pairs

    def potentials(self) -> np.ndarray:
        """Dual potentials of the last optimal flow: shortest distances in the residual graph from a virtual
        root joined to every node at cost 0 (Bellman–Ford, vectorised). Reduced costs c + d(tail) − d(head)
        are then ≥ 0 on every residual arc. Converges in (longest shortest path) rounds, ~80 nationally."""
        tails, heads, caps, costs, flows = self.last_flow
        forward, backward = flows < caps, flows > 0
        residual_tails = np.concatenate([tails[forward], heads[backward]])
        residual_heads = np.concatenate([heads[forward], tails[backward]])
        residual_costs = np.concatenate([costs[forward], -costs[backward]])
        order = np.argsort(residual_heads, kind="stable")
        residual_tails = residual_tails[order]
        residual_heads = residual_heads[order]
        residual_costs = residual_costs[order]
        heads_with_arcs, starts = np.unique(residual_heads, return_index=True)
        d = np.zeros(self.node_count, dtype=np.int64)
        for _ in range(self.node_count + 1):
            best = np.minimum.reduceat(d[residual_tails] + residual_costs, starts)
            better = best < d[heads_with_arcs]
            if not better.any():
                return d
            d[heads_with_arcs[better]] = best[better]
        raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


class _Pricer:
    """Column generation for the staff→need arcs, used when there are too many to hold in the flow.

    The distance work is done once: every positive arc's integer cost (rint(value·scale)) is kept in dense
    per-field blocks (8 bytes an element, ~200 MB for 28 million pairs, against ~150 bytes an arc inside
    the flow solver). Each round then prices all missing arcs against the dual potentials of the last flow.
    Note the sign: a block's ``cost`` holds +rint(value·scale), the *negated* flow cost.
    """

    def __init__(self, m: _Model, rows: np.ndarray, scale: float):
        self.m, self.scale = m, scale
        commune_count = len(m.inp.communes)
        banned: dict[int, list[int]] = {}  # staff index -> forbidden commune indices
        for key in m.forbidden_keys.tolist():
            banned.setdefault(key // commune_count, []).append(key % commune_count)
        self.blocks = []
        for block, need_ids, values in _dense_blocks(m, rows, 0.0):
            cost = np.rint(values * scale)
            cost[cost <= 0] = -np.inf  # worthless arcs price as +inf: never added, never counted
            for r in [i for i, s in enumerate(block.tolist()) if s in banned]:
                cost[r, np.isin(m.need_commune[need_ids], banned[int(block[r])])] = -np.inf
            order = np.argsort(need_ids, kind="stable")
            self.blocks.append((block, need_ids, cost, need_ids[order], order))
        self.elements = sum(b[2].size for b in self.blocks)

    def _best_per_staff(self, parts: list[tuple], k: int) -> _Arcs:
        """Arcs from (staff, need, cost, sort key) parts, keeping each person's k with the smallest key."""
        if not parts:
            return _concat([])
        staff = np.concatenate([p[0] for p in parts])
        need = np.concatenate([p[1] for p in parts])
        cost = np.concatenate([p[2] for p in parts])
        key = np.concatenate([p[3] for p in parts])
        order = np.lexsort((need, key, staff))
        staff_sorted = staff[order]
        rank = np.arange(order.size) - np.searchsorted(staff_sorted, staff_sorted, side="left")
        selected = order[rank < k]
        return _Arcs(
            staff[selected].astype(np.int32), need[selected].astype(np.int32), cost[selected] / self.scale
        )

    def initial(self, k: int) -> _Arcs:
        """Each person's k most valuable arcs."""
        parts = []
        for block, need_ids, cost, _, _ in self.blocks:
            kk = min(k, cost.shape[1])
            idx = np.argpartition(-cost, kk - 1, axis=1)[:, :kk]
            c = np.take_along_axis(cost, idx, axis=1)
            keep = np.isfinite(c)
            parts.append((np.repeat(block, kk)[keep.ravel()], need_ids[idx[keep]], c[keep], -c[keep]))
        return self._best_per_staff(parts, k)

    def price(self, net: _Network, assigned_need: np.ndarray, per_staff: int) -> tuple[_Arcs, float]:
        """Missing arcs with negative reduced cost (at most ``per_staff`` per person, most negative first) and
        Σ over people of their most negative reduced cost (scaled; 0 proves the flow optimal).

        Why the sum bounds the loss: raising one person's potential by δ_s (their worst violation) makes every
        missing arc of theirs dual-feasible and costs at most δ_s through their single incoming arc of
        capacity 1, so  true optimum ≤ restricted optimum + Σ_s δ_s  (weak LP duality on the full network).
        Only arcs with flow can have a negative reduced cost among those already in the flow (residual arcs
        have reduced cost ≥ 0), and a person has at most one such arc: it is masked by ``assigned_need``.
        """
        m = self.m
        d = net.potentials().astype(np.float64)  # |d| < 2^53: exact in float64
        d_staff = d[net.first_staff : net.first_staff + len(m.inp.staff)]
        d_need = d[net.first_need : net.first_need + len(m.inp.needs)]
        worst = np.zeros(len(m.inp.staff))
        parts = []
        for block, need_ids, cost, sorted_ids, order in self.blocks:
            reduced = d_staff[block][:, None] - d_need[need_ids][None, :] - cost
            a = assigned_need[block]
            pos = np.minimum(np.searchsorted(sorted_ids, a), sorted_ids.size - 1)
            hit = (a >= 0) & (sorted_ids[pos] == a)
            reduced[np.flatnonzero(hit), order[pos[hit]]] = np.inf
            row_min = reduced.min(axis=1)
            worst[block] = np.minimum(worst[block], row_min)
            rows = np.flatnonzero(row_min < 0)
            if rows.size == 0:
                continue
            sub = reduced[rows]
            kk = min(per_staff, sub.shape[1])
            idx = np.argpartition(sub, kk - 1, axis=1)[:, :kk]
            r = np.take_along_axis(sub, idx, axis=1)
            keep = r < 0
            c = np.take_along_axis(cost[rows], idx, axis=1)
            parts.append((np.repeat(block[rows], kk)[keep.ravel()], need_ids[idx[keep]], c[keep], r[keep]))
        return self._best_per_staff(parts, per_staff), float(-worst.sum())
