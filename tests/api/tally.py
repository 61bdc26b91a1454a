"""Counts for `make test-api`'s closing line: operations, calls, and the statuses they answered."""

from collections import Counter

operations = set()
statuses = Counter()


def record(operation, status):
    operations.add(operation)
    statuses[status] += 1


def export():
    """What this process counted, for pytest-xdist's controller (`make test-api` runs on several workers)."""
    return {"operations": sorted(operations), "statuses": sorted(statuses.items())}


def merge(counted):
    if counted:
        operations.update(counted["operations"])
        statuses.update(dict(counted["statuses"]))


def summary():
    if not statuses:
        return None
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    return f"schemathesis: {len(operations)} operations, {sum(statuses.values())} calls ({codes})"
