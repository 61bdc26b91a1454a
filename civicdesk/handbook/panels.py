"""The handbook's home-page card and demo loader (registered in apps.py)."""

from . import queries
from .permissions import is_editor


def handbook_panel(request):
    user = request.user
    context = {
        "counts": queries.published_counts(),
        "most_used": queries.most_used_procedures(5),
        "recent": queries.recently_updated(5),
        "is_editor": is_editor(user),
        "queue": None,
    }
    if context["is_editor"]:
        context["queue"] = {name: len(items) for name, items in queries.editor_queue(user).items()}
    return context


def load_demo(stdout, clock):
    """`civicdesk demo`: the field list and the seed corpus, published (unchanged records are skipped).

    The corpus is real content, not generated data: it dates nothing around the demo's clock.
    """
    from .services import load_seed

    report = load_seed()
    stdout.write(
        f"  · cẩm nang: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi"
    )
