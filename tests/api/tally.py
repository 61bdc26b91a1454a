"""Counts for `make test-api`'s closing line: operations, calls, and the statuses they answered."""

from collections import Counter

operations = set()
statuses = Counter()


def record(operation, status):
    operations.add(operation)
    statuses[status] += 1


def summary():
    if not statuses:
        return None
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    return f"schemathesis: {len(operations)} operations, {sum(statuses.values())} calls ({codes})"
