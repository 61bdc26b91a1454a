"""Legal texts (docs/handbook.md, "Legal texts and changes of law"): the catalogue and who cites what.

- `build_catalogue` reads every record's citations (`citations.find`) and adds the texts the handbook cites that the
  catalogue lacks, so an editor starts from what the handbook cites. Existing entries are never changed by it.
- `citing_records(text)` reads, each time, the records whose legal basis, notes, source, requirements or steps (a
  procedure), or source and body (a guide, an FAQ entry) cite the text.

Changes of law (marking a text superseded, the flags, the bulk confirmation) are in `legal_changes.py`.

Every write checks permissions, runs in a transaction and is audited.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel.actors import is_system, person

from . import citations, permissions
from .models import Content, Faq, Guide, LegalText, Procedure

MODELS = {"procedure": Procedure, "guide": Guide, "faq": Faq}
Status = Content.Status

# Where a record cites its legal texts.
CITING_FIELDS = {
    "procedure": ("legal_basis", "notes", "source", "requirements", "steps"),
    "guide": ("source", "summary", "sections"),
    "faq": ("source", "sources", "answer"),
}
TEXT_LIMITS = {"identifier": 200, "title": 500}


def require_manager(actor):
    if not is_system(actor) and not permissions.can_manage_legal_texts(actor):
        raise PermissionDenied(
            _(
                "Chỉ người biên tập cẩm nang (chuyên viên sở, ngành, quản trị cấp tỉnh) được sửa danh mục văn bản."
            )
        )


# Reading citations -----------------------------------------------------------------------------------------------


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def record_texts(record):
    """The texts of `record` where it cites legal texts: its live fields and those of its pending change."""
    names = CITING_FIELDS[record.kind]
    texts = [text for name in names for text in _strings(getattr(record, name))]
    if record.pending_revision_id:
        data = record.pending_revision.data
        texts += [text for name in names for text in _strings(data.get(name))]
    return [text for text in texts if text]


def keys_of(legal_text):
    """The parsed keys a legal text is cited by: its own and those of its aliases."""
    keys = [legal_text.key] + [citations.key_of(alias) for alias in legal_text.aliases or []]
    return [citations.parse_key(key) for key in dict.fromkeys(keys) if key]


def digest_related(kind):
    """The foreign keys a record's page and `records.content_digest` read (its field, department, pending change)."""
    return (
        ("department", "pending_revision", "field") if kind != "guide" else ("department", "pending_revision")
    )


def _candidates(kind, years):
    """Records that may cite a text of one of `years` (every key carries its year): the folded search text holds
    the legal basis, notes, requirements, steps, bodies and FAQ sources; `source` is read as it is; a pending change
    may cite anything."""
    q = Q(pending_revision__isnull=False)
    for year in years:
        q |= Q(search_text__contains=str(year)) | Q(source__contains=str(year))
    return (
        MODELS[kind]
        .objects.exclude(status=Status.ARCHIVED)
        .filter(q)
        .select_related(*digest_related(kind))
        # What `records.content_digest` reads, for all of them at once.
        .prefetch_related("related" if kind == "procedure" else "related_procedures")
    )


def cites(record, keys):
    return any(citations.cites(text, keys) for text in record_texts(record))


def citing_records(legal_text, user=None):
    """The records (archived ones aside) that cite `legal_text`, those `user` may read when a user is given."""
    keys = keys_of(legal_text)
    years = {key.year for key in keys}
    found = []
    for kind in MODELS:
        qs = _candidates(kind, years)
        if user is not None:
            qs = qs.filter(pk__in=MODELS[kind].objects.visible_to(user).values("pk"))
        found += [record for record in qs if cites(record, keys)]
    return found


@dataclass
class Cited:
    """A citation in a record, with the catalogue entry it names (None: not in the catalogue yet)."""

    written: str
    key: str
    legal_text: LegalText | None


def cited_texts(record, catalogue=None):
    """What `record` cites, one entry per text, in the order first cited; `catalogue` (all LegalTexts with
    `keys_of`) may be passed when many records are read."""
    if catalogue is None:
        catalogue = [(text, keys_of(text)) for text in LegalText.objects.select_related("superseded_by")]
    seen = {}
    for text in record_texts(record):
        for citation in citations.find(text):
            known = next(
                (lt for lt, keys in catalogue if any(citations.matches(citation, key) for key in keys)), None
            )
            if known is None and not citation.key:
                continue
            ident = f"pk:{known.pk}" if known is not None else citation.key
            if ident not in seen:
                seen[ident] = Cited(text[citation.start : citation.end], citation.key, known)
    return list(seen.values())


# Building the catalogue from the records ---------------------------------------------------------------------------

KIND_LABELS = {
    "law": "Luật",
    "ordinance": "Pháp lệnh",
    "decree": "Nghị định",
    "resolution": "Nghị quyết",
    "decision": "Quyết định",
    "circular": "Thông tư",
    "directive": "Chỉ thị",
}
# "Luật Đất đai năm 2024 (Luật số 31/2024/QH15)": the number in brackets right after a law's name is the same law.
_LAW_NUMBER_BETWEEN = re.compile(r"^\s*\(\s*(?:luat\s+)?(?:so\s*)?$")
# What follows a decree's number in a legal basis line is its subject: "… 101/2024/NĐ-CP quy định về …".
_SUBJECT = re.compile(r"^\s*(?:của [^;,()]{0,40}?\s)?((?:quy định|hướng dẫn|sửa đổi|về|ban hành)\b[^()]*)")


@dataclass
class Found:
    key: str
    identifier: str
    kind: str
    title: str = ""
    aliases: list = field(default_factory=list)
    records: set = field(default_factory=set)
    existing: LegalText | None = None

    @property
    def count(self):
        return len(self.records)


@dataclass
class BuildReport:
    found: list
    created: list

    @property
    def new(self):
        return [f for f in self.found if f.existing is None]


def _subject(line, citation):
    m = _SUBJECT.match(line[citation.end :])
    if not m:
        return ""
    subject = re.sub(r"\s*\((?:và|hoặc)\b.*$", "", m.group(1)).strip(" ;,.")
    return subject[:400]


def _scan(found, aliases_of, record):
    ident = (record.kind, record.pk)
    for name in CITING_FIELDS[record.kind]:
        for line in _strings(getattr(record, name)):
            cited = citations.find(line)
            for i, citation in enumerate(cited):
                if not citation.key:
                    continue
                entry = found.get(citation.key)
                if entry is None:
                    entry = found[citation.key] = Found(
                        citation.key, line[citation.start : citation.end], citation.kind
                    )
                entry.records.add(ident)
                if not entry.title and name == "legal_basis" and citation.number is not None:
                    subject = _subject(line, citation)
                    if subject:
                        entry.title = f"{KIND_LABELS.get(citation.kind, '')} {subject}".strip()
                following = cited[i + 1] if i + 1 < len(cited) else None
                if (
                    citation.number is None
                    and following is not None
                    and following.kind == "law"
                    and following.key
                    and _LAW_NUMBER_BETWEEN.match(
                        citations.fold_case(line[citation.end : following.start]).lower()
                    )
                ):
                    aliases_of[following.key] = (citation.key, line[following.start : following.end])


def find_cited(records=None):
    """Every text the records cite, merged: a law's number written next to its name is an alias of that law, and
    a number with only its kind ("Nghị định số 20/2021") joins the full one ("20/2021/NĐ-CP") when there is one."""
    found, aliases_of = {}, {}
    if records is None:
        records = (
            record
            for model in MODELS.values()
            for record in model.objects.exclude(status=Status.ARCHIVED)
            .only("pk", *CITING_FIELDS[model.kind])
            .iterator(chunk_size=500)
        )
    for record in records:
        _scan(found, aliases_of, record)
    for number_key, (law_key, written) in aliases_of.items():
        law = found.get(law_key)
        if law is None:
            continue
        if written not in law.aliases:
            law.aliases.append(written)
        number = found.pop(number_key, None)
        if number is not None:
            law.records |= number.records
    by_number = defaultdict(list)
    for entry in found.values():
        key = citations.parse_key(entry.key)
        if key.number is not None:
            by_number[(key.number, key.year)].append((key, entry))
    for entries in by_number.values():
        for key, entry in entries:
            if len(key.symbol) != 1:
                continue
            fuller = [e for k, e in entries if len(k.symbol) > 1 and k.symbol[0] == key.symbol[0]]
            if len(fuller) == 1:
                fuller[0].records |= entry.records
                found.pop(entry.key, None)
    return sorted(found.values(), key=lambda f: (-f.count, f.key))


def catalogue_keys():
    """{key: LegalText} for every key and alias key of the catalogue."""
    known = {}
    for text in LegalText.objects.all():
        for key in [text.key, *(citations.key_of(a) for a in text.aliases or [])]:
            if key:
                known.setdefault(key, text)
    return known


@transaction.atomic
def build_catalogue(actor, *, dry_run=False):
    """Add to the catalogue every text the handbook cites that it lacks (in force, kind from its symbol, subject
    from the legal basis line when there is one). Re-running adds nothing new; existing entries are left alone."""
    require_manager(actor)
    found = find_cited()
    known = catalogue_keys()
    for entry in found:
        entry.existing = known.get(entry.key) or next(
            (known[citations.key_of(a)] for a in entry.aliases if citations.key_of(a) in known), None
        )
    created = []
    if not dry_run:
        for entry in found:
            if entry.existing is not None:
                continue
            key = citations.parse_key(entry.key)
            text = LegalText.objects.create(
                identifier=entry.identifier[: TEXT_LIMITS["identifier"]],
                key=entry.key,
                aliases=entry.aliases,
                kind=entry.kind,
                title=entry.title[: TEXT_LIMITS["title"]],
                year=key.year,
                updated_by=person(actor),
            )
            created.append(text)
        if created:
            audit.record(
                actor,
                audit.Action.IMPORT,
                object_type="handbook.legaltext",
                object_repr=_("Lập danh mục văn bản từ nội dung cẩm nang"),
                changes={"created": [t.identifier for t in created]},
            )
    return BuildReport(found=found, created=created)


# Editing an entry --------------------------------------------------------------------------------------------------


def _aliases(value):
    if isinstance(value, str):
        value = value.splitlines()
    return [str(a).strip() for a in value or [] if str(a).strip()]


def _clean(legal_text, data):
    errors = defaultdict(list)
    identifier = unicodedata.normalize("NFC", " ".join(str(data.get("identifier") or "").split()))
    key = citations.key_of(identifier)
    cited = next((c for c in citations.find(identifier) if key and c.key == key), None)
    if cited is not None and cited.number is not None and cited.symbol:
        # "Thông tư số 99/2026/TT-BTP" is kept as its number, as the records cite it; the kind is its own field.
        identifier = identifier[cited.start : cited.end]
    if not identifier:
        errors["identifier"].append(
            _("Hãy ghi số hiệu (20/2021/NĐ-CP) hoặc tên luật kèm năm (Luật Hộ tịch 2014).")
        )
    elif not key:
        errors["identifier"].append(
            _(
                "Không đọc được số hiệu: ghi số/năm/ký hiệu (20/2021/NĐ-CP) hoặc “Luật … năm …” (Luật Hộ tịch 2014)."
            )
        )
    aliases = _aliases(data.get("aliases"))
    alias_keys = []
    for alias in aliases:
        alias_key = citations.key_of(alias)
        if not alias_key:
            errors["aliases"].append(_("Không đọc được số hiệu “%(alias)s”.") % {"alias": alias})
        elif alias_key != key:
            alias_keys.append(alias_key)
    others = catalogue_keys()
    for k in [key, *alias_keys]:
        other = others.get(k)
        if k and other is not None and (legal_text is None or other.pk != legal_text.pk):
            errors["identifier" if k == key else "aliases"].append(
                _("Văn bản này đã có trong danh mục: %(text)s.") % {"text": other.identifier}
            )
    kind = data.get("kind") or next(
        (c.kind for c in citations.find(identifier) if c.key), LegalText.Kind.OTHER
    )
    if kind not in LegalText.Kind.values:
        errors["kind"].append(_("Loại văn bản không hợp lệ."))
    clean = {
        "identifier": identifier,
        "aliases": aliases,
        "kind": kind,
        "title": " ".join(str(data.get("title") or "").split()),
        "issued_on": data.get("issued_on") or None,
        "note": str(data.get("note") or "").strip(),
    }
    for name, limit in TEXT_LIMITS.items():
        if len(clean[name]) > limit:
            errors[name].append(_("Tối đa %(n)s ký tự.") % {"n": limit})
    if errors:
        raise ValidationError(dict(errors))
    return clean, key


@transaction.atomic
def save_legal_text(actor, legal_text, data):
    """Add (`legal_text` None) or change a catalogue entry from a dict (identifier, aliases, kind, title, issued_on,
    note). Its state changes only through `mark_superseded` / `reinstate`. ValidationError per field."""
    require_manager(actor)
    clean, key = _clean(legal_text, data)
    year = citations.parse_key(key).year
    if legal_text is None:
        legal_text = LegalText.objects.create(key=key, year=year, updated_by=person(actor), **clean)
        audit.record(actor, audit.Action.CREATE, legal_text, changes={"identifier": legal_text.identifier})
        return legal_text
    changes = audit.diff(legal_text, {**clean, "key": key, "year": year}, [*clean, "key", "year"])
    if not changes:
        return legal_text
    legal_text.updated_by = person(actor)
    legal_text.save()
    audit.record(actor, audit.Action.UPDATE, legal_text, changes=changes)
    return legal_text
