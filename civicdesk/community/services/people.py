"""Writes to the register of people and their languages: one person at a time, or a whole CSV file at once."""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.kernel import csvfiles
from civicdesk.kernel.languages import parse_language
from civicdesk.kernel.validators import has_control_characters

from ..models import SKILLS, Person, PersonLanguage
from ..permissions import can_manage_pool_person, require, require_edit_person, require_manage_people

PERSON_FIELDS = (
    "kind",
    "full_name",
    "phone",
    "id_number",
    "address",
    "hamlet",
    "preferred_language",
    "interpreter_needed",
    "weekly_capacity",
    "available_slots",
    "note",
    "is_active",
)
LANGUAGE_FIELDS = (
    "code",
    "dialect",
    *SKILLS,
    "certificate_number",
    "certificate_date",
    "certificate_issuer",
    "is_preferred",
)
SLOT_PATTERN = re.compile(r"^[0-6]:(am|pm)$")


def _check_slots(slots):
    if not isinstance(slots, list) or not all(isinstance(s, str) and SLOT_PATTERN.match(s) for s in slots):
        raise ValidationError(
            {"available_slots": _("Buổi có thể đi phải có dạng “0:am” (thứ Hai sáng) … “6:pm”.")}
        )


@transaction.atomic
def save_person(actor, *, commune, data, person=None, province=None):
    """Create a person of `commune` (None for the provincial pool, then `province` is required) or update `person`.

    `data` holds any of PERSON_FIELDS (`hamlet` a geo.Hamlet of the commune). Citizens never have an account.
    """
    if person is None:
        person = Person(commune=commune, province=province or commune.province)
        if commune is None:
            require(
                can_manage_pool_person(actor, person.province_id), _("Bạn không được sửa nguồn cán bộ tỉnh.")
            )
        else:
            require_manage_people(actor, commune)
    else:
        require_edit_person(actor, person)
    changes = audit.diff(person, data, PERSON_FIELDS)
    if "user" in data:
        person.user = data["user"]
    if person.hamlet_id and person.hamlet.commune_id != person.commune_id:
        raise ValidationError({"hamlet": _("Thôn, tổ dân phố không thuộc xã này.")})
    _check_slots(person.available_slots)
    person.full_clean()
    created = person.pk is None
    person.save()
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, person, changes=changes)
    return person


def _unset_other_preferred(language):
    if language.is_preferred:
        PersonLanguage.objects.filter(person=language.person, is_preferred=True).exclude(
            pk=language.pk
        ).update(is_preferred=False)


@transaction.atomic
def save_language(actor, person, data, language=None):
    """Add a language to `person`, or update `language`; one preferred language per person."""
    require_edit_person(actor, person)
    if language is None:
        language = PersonLanguage(person=person)
    elif language.person_id != person.pk:
        raise ValidationError(_("Ngôn ngữ này không thuộc người đang sửa."))
    created = language.pk is None
    changes = audit.diff(language, data, LANGUAGE_FIELDS)
    exclude = ["person"] if person.pk is None else []
    try:
        language.full_clean(exclude=exclude)
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"code": _("Người này đã có ngôn ngữ này; hãy sửa dòng đã có.")}) from exc
        raise
    language.save()
    _unset_other_preferred(language)
    audit.record(actor, audit.Action.CREATE if created else audit.Action.UPDATE, language, changes=changes)
    return language


@transaction.atomic
def delete_language(actor, language):
    require_edit_person(actor, language.person)
    audit.record(actor, audit.Action.DELETE, language)
    language.delete()


@transaction.atomic
def replace_languages(actor, person, entries):
    """Set `person`'s languages to exactly `entries` (dicts of LANGUAGE_FIELDS, `code` required): rows of codes not
    listed are removed, the others created or updated. For the staff pool's form and CSV (staffing)."""
    require_edit_person(actor, person)
    keep = set()
    current = {lang.code: lang for lang in person.languages.all()}
    for entry in entries:
        keep.add(entry["code"])
        save_language(actor, person, entry, current.get(entry["code"]))
    for code, language in current.items():
        if code not in keep:
            delete_language(actor, language)


# --- CSV import -----------------------------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "kind",
    "full_name",
    "phone",
    "id_number",
    "hamlet",
    "username",
    "preferred_language",
    "interpreter_needed",
    "language",
    "dialect",
    "listening",
    "speaking",
    "reading",
    "writing",
    "certificate_number",
    "certificate_date",
    "certificate_issuer",
    "preferred",
)
REQUIRED_COLUMNS = ("kind", "full_name")
_KINDS = {
    "official": Person.Kind.OFFICIAL,
    "can bo": Person.Kind.OFFICIAL,
    "cán bộ": Person.Kind.OFFICIAL,
    "volunteer": Person.Kind.VOLUNTEER,
    "tinh nguyen vien": Person.Kind.VOLUNTEER,
    "tình nguyện viên": Person.Kind.VOLUNTEER,
    "citizen": Person.Kind.CITIZEN,
    "nguoi dan": Person.Kind.CITIZEN,
    "người dân": Person.Kind.CITIZEN,
}
_TRUE = {"1", "x", "co", "có", "yes", "true", "y"}
_FALSE = {"", "0", "khong", "không", "no", "false", "n"}
EXAMPLE_CSV = (
    "kind,full_name,phone,hamlet,username,language,dialect,listening,speaking,reading,writing,"
    "certificate_number,certificate_date,certificate_issuer,preferred,preferred_language,interpreter_needed\n"
    "official,Nguyễn Thị Hoa,0912345678,,camly.canbo,kpm,Lạch,4,4,2,2,KHO-2024-015,15/06/2024,"
    "Trường Chính trị tỉnh Lâm Đồng,1,,\n"
    "citizen,Ka Hòa,0987654321,Thôn Đa Phú,,kpm,,5,5,0,0,,,,1,kpm,1\n"
)


@dataclass
class ImportReport:
    people_created: int = 0
    people_updated: int = 0
    languages: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _level(value, line, column, errors):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 0 <= int(value) <= 5:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: trình độ “%(value)s” phải là số từ 0 đến 5.")
            % {"line": line, "col": column, "value": value[:20]}
        )
        return None
    return int(value)


def _date(value, line, column, errors):
    value = (value or "").strip()
    if not value:
        return None
    for pattern in (r"^(\d{1,2})/(\d{1,2})/(\d{4})$", r"^(\d{4})-(\d{2})-(\d{2})$"):
        match = re.match(pattern, value)
        if match:
            parts = [int(x) for x in match.groups()]
            day, month, year = parts if pattern.startswith(r"^(\d{1,2})") else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError:
                break
    errors.append(
        _("Dòng %(line)s, cột %(col)s: ngày “%(value)s” không hợp lệ (dd/mm/yyyy).")
        % {"line": line, "col": column, "value": value[:20]}
    )
    return None


def _flag(value, line, column, errors):
    folded = (value or "").strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    errors.append(
        _("Dòng %(line)s, cột %(col)s: ghi 1 (có) hoặc 0 (không), không phải “%(value)s”.")
        % {"line": line, "col": column, "value": folded[:20]}
    )
    return False


def _language(value, line, column, errors, required=False):
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(_("Dòng %(line)s, cột %(col)s: thiếu ngôn ngữ.") % {"line": line, "col": column})
        return ""
    try:
        return parse_language(value)
    except ValidationError as exc:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: %(msg)s") % {"line": line, "col": column, "msg": exc.messages[0]}
        )
        return ""


def _parse_row(row, line, hamlets, users, errors):
    kind = _KINDS.get((row.get("kind") or "").strip().lower())
    if kind is None:
        errors.append(
            _("Dòng %(line)s, cột kind: ghi official, volunteer hoặc citizen (không phải “%(value)s”).")
            % {"line": line, "value": (row.get("kind") or "")[:20]}
        )
    name = (row.get("full_name") or "").strip()
    if not name:
        errors.append(_("Dòng %(line)s, cột full_name: thiếu họ tên.") % {"line": line})
    elif len(name) > 150:
        errors.append(_("Dòng %(line)s, cột full_name: dài quá 150 ký tự.") % {"line": line})
    hamlet_name = (row.get("hamlet") or "").strip()
    hamlet = None
    if hamlet_name:
        hamlet = hamlets.get(hamlet_name.lower())
        if hamlet is None:
            errors.append(
                _("Dòng %(line)s, cột hamlet: xã không có thôn, tổ dân phố “%(name)s”.")
                % {"line": line, "name": hamlet_name[:60]}
            )
    username = (row.get("username") or "").strip()
    user = None
    if username:
        user = users.get(username)
        if user is None:
            errors.append(
                _("Dòng %(line)s, cột username: không có tài khoản “%(name)s” trong xã.")
                % {"line": line, "name": username[:60]}
            )
        elif kind == Person.Kind.CITIZEN:
            errors.append(_("Dòng %(line)s, cột username: người dân không có tài khoản.") % {"line": line})
    person = {
        "kind": kind,
        "full_name": name,
        "phone": (row.get("phone") or "").strip()[:20],
        "id_number": (row.get("id_number") or "").strip(),
        "hamlet": hamlet,
        "user": user,
        "preferred_language": _language(row.get("preferred_language"), line, "preferred_language", errors),
        "interpreter_needed": _flag(row.get("interpreter_needed"), line, "interpreter_needed", errors),
    }
    if person["id_number"] and not re.fullmatch(r"\d{12}", person["id_number"]):
        errors.append(_("Dòng %(line)s, cột id_number: số CCCD phải có 12 chữ số.") % {"line": line})
    language = None
    if (row.get("language") or "").strip():
        language = {
            "code": _language(row.get("language"), line, "language", errors, required=True),
            "dialect": (row.get("dialect") or "").strip()[:60],
            **{skill: _level(row.get(skill), line, skill, errors) for skill in SKILLS},
            "certificate_number": (row.get("certificate_number") or "").strip()[:60],
            "certificate_date": _date(row.get("certificate_date"), line, "certificate_date", errors),
            "certificate_issuer": (row.get("certificate_issuer") or "").strip()[:200],
            "is_preferred": _flag(row.get("preferred"), line, "preferred", errors),
        }
    return person, language


def import_people(actor, commune, text, *, dry_run=False):
    """Import people and their languages from CSV text, one row per person and language (IMPORT_COLUMNS).

    A person is found again by (kind, full name, phone) in the commune, so a person with three languages takes three
    rows. Every row is checked first; nothing is written unless the whole file is valid (errors name line and column).
    """
    require_manage_people(actor, commune)
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))

    def unreadable(line, message):
        report.errors.append(_("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message})

    header = csvfiles.header(reader, unreadable)
    if header is None:
        return report
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        report.errors.append(_("Dòng 1: thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
        return report
    unknown = [c for c in header if c and c not in IMPORT_COLUMNS]
    if unknown:
        report.errors.append(
            _("Dòng 1: cột không dùng được: %(cols)s (các cột: %(known)s).")
            % {"cols": ", ".join(unknown), "known": ", ".join(IMPORT_COLUMNS)}
        )
        return report
    hamlets = {h.name.lower(): h for h in commune.hamlets.all()}
    users = {u.username: u for u in commune.users.all()}
    rows = []
    seen_languages = set()
    for line, row in csvfiles.records(reader, unreadable):
        bad = [column for column, value in row.items() if has_control_characters(value)]
        for column in bad:
            report.errors.append(
                _("Dòng %(line)s, cột %(col)s: có ký tự điều khiển không nhìn thấy.")
                % {"line": line, "col": column}
            )
        if bad:
            continue
        person, language = _parse_row(row, line, hamlets, users, report.errors)
        key = (person["kind"], person["full_name"].lower(), person["phone"])
        if language and language["code"]:
            if (key, language["code"]) in seen_languages:
                report.errors.append(
                    _("Dòng %(line)s: ngôn ngữ này của %(name)s đã có ở dòng trên.")
                    % {"line": line, "name": person["full_name"]}
                )
            seen_languages.add((key, language["code"]))
        rows.append((line, key, person, language))
    if not rows and not report.errors:
        report.errors.append(_("Tệp không có dòng dữ liệu nào."))
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            _write_rows(actor, commune, rows, report)
    except ValidationError as exc:
        # A rule only the model knows (a phone format, a length): the whole file is refused, naming the line.
        line = getattr(exc, "line", "?")
        for message in exc.messages:
            report.errors.append(_("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message})
        report.people_created = report.people_updated = report.languages = 0
    return report


def _write_rows(actor, commune, rows, report):
    people = {}
    existing = {(p.kind, p.full_name.lower(), p.phone): p for p in Person.objects.filter(commune=commune)}
    for line, key, data, language in rows:
        try:
            person = people.get(key)
            if person is None:
                found = existing.get(key)
                fields = {k: v for k, v in data.items() if v not in (None, "") or k == "interpreter_needed"}
                person = save_person(actor, commune=commune, data=fields, person=found)
                people[key] = person
                if found is None:
                    report.people_created += 1
                else:
                    report.people_updated += 1
            if language:
                current = person.languages.filter(code=language["code"]).first()
                save_language(actor, person, language, current)
                report.languages += 1
        except ValidationError as exc:
            exc.line = line
            raise
    audit.record(
        actor,
        audit.Action.IMPORT,
        object_type="community.person",
        object_repr=_("%(n)s người của %(commune)s") % {"n": len(people), "commune": commune.name},
        changes={
            "created": report.people_created,
            "updated": report.people_updated,
            "languages": report.languages,
        },
    )
