"""`civicdesk demo`: the handbook's field list and seed corpus, published (unchanged records are skipped).

The corpus is real content, not generated data: it dates nothing around the demo's clock.
"""

from civicdesk.kernel.actors import DEMO

from .services import load_seed


def load(stdout, clock):
    report = load_seed(DEMO)
    stdout.write(
        f"  · cẩm nang: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi"
    )
