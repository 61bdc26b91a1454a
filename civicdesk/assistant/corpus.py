"""What the index is built from: handbook records turned into the engine's `Doc` (export line + structured card).

Two sources give the same shape: published records in the database (the live index) and the seed JSON files
(for evaluation and benchmarks without a database). Both go through `civicdesk.handbook.text`, so the indexed text
is exactly the handbook's export text.
"""

import json
from pathlib import Path
from types import SimpleNamespace

from django.urls import NoReverseMatch, reverse

from civicdesk.handbook.fields import FIELDS
from civicdesk.handbook.models import Faq, Guide, Procedure
from civicdesk.handbook.text import export_line

from .engine.doc import Doc

SEED_DIR = Path(__file__).resolve().parent.parent / "handbook" / "seed"

# Field codes and names for seed records read without a database: the handbook's own list (fields.FIELDS), so a
# field added there reads the same here as in the database (a copy of the list once left new fields as their codes).
FIELD_NAMES = {code: name for code, name, _department in FIELDS}
HANDBOOK_TOPICS = {"professional": "Cẩm nang nghiệp vụ", "technology": "Cẩm nang công nghệ"}
_URL_NAMES = {"procedure": ("handbook:procedure", "procedures"), "guide": ("handbook:guide", "guides"),
              "faq": ("handbook:faq", "faq")}  # fmt: skip


def record_url(kind, key):
    """The handbook page of a record; a stable path while the handbook's URLs are not mounted."""
    name, segment = _URL_NAMES[kind]
    try:
        return reverse(name, args=[key])
    except (NoReverseMatch, ImportError):  # ImportError: the URLconf is being edited (dev tree)
        return f"/handbook/{segment}/{key}/"


def _card(kind, get):
    if kind == "procedure":
        names = ("code", "name", "agency", "applicants", "steps", "methods", "components", "requirements",
                 "result", "legal_basis", "online_level", "online_url", "summary", "police", "verification")  # fmt: skip
    elif kind == "guide":
        names = ("slug", "title", "summary", "sections", "handbook", "audience", "verification")
    else:
        names = ("slug", "question", "answer", "sources", "verification")
    return {name: get(name) for name in names}


def doc_from_record(record):
    """A published database record (Procedure, Guide or Faq) → Doc."""
    try:
        line = export_line(record)
    except NoReverseMatch:
        line = export_line(_WithUrl(record))
    kind = record.kind
    if kind == "procedure":
        topic = record.field.name if record.field_id else ""
    elif kind == "faq":
        topic = record.field.name if record.field_id else HANDBOOK_TOPICS["professional"]
    else:
        topic = HANDBOOK_TOPICS.get(record.handbook, "")
    keywords = list(record.keywords or []) + (list(record.tags or []) if kind == "guide" else [])
    return Doc(
        id=line["id"], kind=kind, title=line["title"], url=line["url"], text=line["text"],
        keywords=keywords, summary=getattr(record, "summary", "") or "", topic=topic,
        card=_card(kind, lambda name: getattr(record, name, None)),
    )  # fmt: skip


class _WithUrl:
    """Wraps a record whose handbook page is not routable yet, so export_line still works."""

    def __init__(self, record):
        self._record = record

    def __getattr__(self, name):
        return getattr(self._record, name)

    def get_absolute_url(self):
        key = self._record.code if self._record.kind == "procedure" else self._record.slug
        return record_url(self._record.kind, key)


def _seed_object(data):
    """A seed dict dressed as a model instance for `civicdesk.handbook.text`."""
    kind = data["kind"]
    values = {"keywords": data.get("keywords", []), "kind": kind}
    if kind == "procedure":
        code = data.get("field") or ""
        values.update(
            name=data["name"], summary=data.get("summary") or "", level=data.get("level") or "xa",
            field=SimpleNamespace(name=FIELD_NAMES.get(code, code)), agency=data.get("agency") or "",
            applicants=data.get("applicants") or "", steps=data.get("steps") or [],
            methods=data.get("methods") or [], components=data.get("components") or [],
            requirements=data.get("requirements") or "", result=data.get("result") or "",
            notes=data.get("notes") or "", legal_basis=data.get("legal_basis") or [], code=data["code"],
            title=data["name"],
        )  # fmt: skip
    elif kind == "guide":
        values.update(
            slug=data["slug"], title=data["title"], summary=data.get("summary") or "",
            sections=data.get("sections") or [], tags=data.get("tags") or [],
        )  # fmt: skip
    else:
        values.update(
            slug=data["slug"], question=data["question"], answer=data.get("answer") or "",
            sources=data.get("sources") or [], title=data["question"],
        )  # fmt: skip
    key = data["code"] if kind == "procedure" else data["slug"]
    obj = SimpleNamespace(**values)
    obj.get_absolute_url = lambda: record_url(kind, key)
    return obj


def doc_from_seed(data):
    """A seed JSON record (docs/handbook/schema.md) → Doc, without a database."""
    line = export_line(_seed_object(data))
    kind = data["kind"]
    if kind == "procedure":
        topic = FIELD_NAMES.get(data.get("field") or "", "")
    elif kind == "faq":
        topic = FIELD_NAMES.get(data.get("field") or "", "") or HANDBOOK_TOPICS["professional"]
    else:
        topic = HANDBOOK_TOPICS.get(data.get("handbook"), "")
    keywords = list(data.get("keywords") or []) + (list(data.get("tags") or []) if kind == "guide" else [])
    return Doc(
        id=line["id"], kind=kind, title=line["title"], url=line["url"], text=line["text"],
        keywords=keywords, summary=data.get("summary") or "", topic=topic,
        card=_card(kind, lambda name: data.get(name, "verified" if name == "verification" else None)),
    )  # fmt: skip


def seed_records(seed_dir=SEED_DIR):
    records = []
    for path in sorted(Path(seed_dir).glob("*.json")):
        for data in json.loads(path.read_text(encoding="utf-8")):
            if data.get("status", "published") == "published":
                records.append(data)
    return records


def seed_docs(seed_dir=SEED_DIR):
    """Docs for every published record of the seed corpus (for eval and benchmarks)."""
    return [doc_from_seed(data) for data in seed_records(seed_dir)]


def published_docs():
    """Docs for every published record in the database: what the live index holds."""
    docs = []
    for record in Procedure.objects.published().select_related("field"):
        docs.append(doc_from_record(record))
    for record in Guide.objects.published():
        docs.append(doc_from_record(record))
    for record in Faq.objects.published().select_related("field"):
        docs.append(doc_from_record(record))
    return docs
