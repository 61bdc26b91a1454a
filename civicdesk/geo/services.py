"""Writes for administrative units: loading the official list, coordinates, hamlets (by form or CSV)."""

import csv
import io
import json
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.kernel import audit, csvfiles
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.languages import parse_language
from civicdesk.kernel.scoping import can_manage_commune
from civicdesk.kernel.validators import has_control_characters

from .models import Commune, Hamlet, HamletLanguage, Province

DIGITS = re.compile(r"[0-9]+")  # ASCII digits: "²".isdigit() is True and int("²") raises

_TYPES = {"xã": Commune.Type.XA, "phường": Commune.Type.PHUONG, "đặc khu": Commune.Type.DAC_KHU}


def official_units():
    """The official list from the `vietnam-provinces` package: [(province dict, [ward dicts])]."""
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    return json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


@transaction.atomic
def load_units(provinces=None):
    """Create or update all provinces and commune-level units; return counts. Idempotent.

    `provinces` limits the load to some province codes. Existing coordinates and hamlets are never touched.
    """
    data = official_units()
    if provinces:
        data = [p for p in data if p["code"] in set(provinces)]
    existing_p = {p.code: p for p in Province.objects.all()}
    created = updated = 0
    for item in data:
        values = {
            "name": item["name"],
            "codename": item["codename"],
            "division_type": item["division_type"],
            "phone_code": item.get("phone_code"),
        }
        province = existing_p.get(item["code"])
        if province is None:
            existing_p[item["code"]] = Province.objects.create(code=item["code"], **values)
            created += 1
        elif any(getattr(province, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(province, k, v)
            province.save()
            updated += 1

    existing_c = {c.code: c for c in Commune.objects.all()}
    to_create, to_update = [], []
    for item in data:
        province = existing_p[item["code"]]
        for ward in item["wards"]:
            values = {
                "name": ward["name"],
                "codename": ward["codename"],
                "division_type": _TYPES[ward["division_type"]],
                "province_id": province.pk,
            }
            commune = existing_c.get(ward["code"])
            if commune is None:
                to_create.append(Commune(code=ward["code"], **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(commune, k, v)
                to_update.append(commune)
    Commune.objects.bulk_create(to_create, batch_size=1000)
    Commune.objects.bulk_update(
        to_update, ["name", "codename", "division_type", "province_id"], batch_size=1000
    )
    return {
        "provinces": len(data),
        "communes": sum(len(p["wards"]) for p in data),
        "created": created + len(to_create),
        "updated": updated + len(to_update),
    }


def _check(actor, commune):
    if not is_system(actor) and not can_manage_commune(actor, commune):
        raise PermissionDenied(_("Bạn không có quyền cập nhật dữ liệu của đơn vị này."))


@transaction.atomic
def set_coordinates(actor, commune, *, lat, lon):
    _check(actor, commune)
    changes = audit.diff(commune, {"lat": lat, "lon": lon}, ["lat", "lon"])
    commune.full_clean()
    commune.save(update_fields=["lat", "lon"])
    if changes:
        audit.record(actor, audit.Action.UPDATE, commune, changes=changes)
    return commune


@transaction.atomic
def add_hamlet(actor, commune, *, name, kind=Hamlet.Kind.THON, lat=None, lon=None, population=None):
    _check(actor, commune)
    hamlet = Hamlet(commune=commune, name=name.strip(), kind=kind, lat=lat, lon=lon, population=population)
    hamlet.full_clean()
    hamlet.save()
    audit.record(actor, audit.Action.CREATE, hamlet)
    return hamlet


@transaction.atomic
def delete_hamlet(actor, hamlet):
    _check(actor, hamlet.commune)
    audit.record(actor, audit.Action.DELETE, hamlet)
    hamlet.delete()


_KIND_ALIASES = {
    **{k: k for k in Hamlet.Kind.values},
    "thôn": "thon",
    "bon": "bon",
    "buôn": "buon",
    "ấp": "ap",
    "tổ dân phố": "to_dan_pho",
    "tdp": "to_dan_pho",
    "khác": "khac",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = None

    @property
    def ok(self):
        return not self.errors


def _number(value, line, column, errors, lo, hi, integer=False):
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: “%(value)s” không phải là số.")
            % {"line": line, "col": column, "value": value}
        )
        return None
    if not lo <= number <= hi:
        errors.append(
            _("Dòng %(line)s, cột %(col)s: giá trị %(value)s nằm ngoài khoảng cho phép.")
            % {"line": line, "col": column, "value": value}
        )
    return number


def _languages(value, line, errors):
    """{code: count} from "kpm:420;cma:35" (codes or names), errors named by line and column."""
    out = {}
    for part in (value or "").split(";"):
        if not part.strip():
            continue
        name, sep, count = part.rpartition(":")
        count = count.strip()
        if not sep or not count.isdigit() or int(count) > 10**7:
            errors.append(
                _("Dòng %(line)s, cột languages: “%(part)s” phải có dạng mã:số người, ví dụ kpm:420.")
                % {"line": line, "part": part.strip()[:40]}
            )
            continue
        try:
            code = parse_language(name)
        except ValidationError as exc:
            errors.append(_("Dòng %(line)s, cột languages: %(msg)s") % {"line": line, "msg": exc.messages[0]})
            continue
        if code in out:
            errors.append(
                _("Dòng %(line)s, cột languages: tiếng “%(name)s” ghi hai lần.")
                % {"line": line, "name": name.strip()}
            )
        out[code] = int(count)
    return out


def import_hamlets(actor, text, *, dry_run=False):
    """Import hamlets from CSV text (columns: commune_code,name,kind,lat,lon,population[,languages]).

    `languages` (optional) gives how many people of the hamlet speak each minority language at home, as
    "code or name:count" pairs separated by ";" — e.g. "kpm:420;cma:35" or "K'Ho:420; Mạ:35". When the column is
    present, a hamlet's figures are replaced by the file's (an empty cell clears them).

    Every row is checked first; nothing is written unless the whole file is valid. Re-importing updates the
    hamlets matched by (commune, name). The actor must be allowed to manage every commune named in the file.
    """
    report = ImportReport(errors=[])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))

    def unreadable(line, message):
        report.errors.append(_("Dòng %(line)s: %(msg)s") % {"line": line, "msg": message})

    header = csvfiles.header(reader, unreadable)
    if header is None:
        return report
    reader.fieldnames = header
    missing = [c for c in ("commune_code", "name") if c not in header]
    if missing:
        report.errors.append(_("Dòng 1: thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
        return report
    communes = {c.code: c for c in Commune.objects.all()}
    name_limit = Hamlet._meta.get_field("name").max_length
    rows, seen = [], set()
    for line, row in csvfiles.records(reader, unreadable):
        bad = [column for column, value in row.items() if has_control_characters(value)]
        for column in bad:
            report.errors.append(
                _("Dòng %(line)s, cột %(col)s: có ký tự điều khiển không nhìn thấy.")
                % {"line": line, "col": column}
            )
        if bad:
            continue
        code = (row.get("commune_code") or "").strip()
        name = (row.get("name") or "").strip()
        commune = communes.get(int(code)) if DIGITS.fullmatch(code) else None
        if commune is None:
            report.errors.append(
                _("Dòng %(line)s, cột commune_code: mã xã “%(code)s” không tồn tại.")
                % {"line": line, "code": code[:40]}
            )
        elif not is_system(actor) and not can_manage_commune(actor, commune):
            report.errors.append(
                _("Dòng %(line)s: bạn không có quyền cập nhật %(name)s.")
                % {"line": line, "name": commune.name}
            )
        if not name:
            report.errors.append(_("Dòng %(line)s, cột name: thiếu tên thôn, tổ dân phố.") % {"line": line})
        elif len(name) > name_limit:
            report.errors.append(
                _("Dòng %(line)s, cột name: tên dài %(n)s ký tự, tối đa %(max)s.")
                % {"line": line, "n": len(name), "max": name_limit}
            )
            name = ""
        kind_raw = (row.get("kind") or "thon").strip().lower()
        kind = _KIND_ALIASES.get(kind_raw)
        if kind is None:
            report.errors.append(
                _("Dòng %(line)s: loại “%(kind)s” không hợp lệ.") % {"line": line, "kind": kind_raw}
            )
        lat = _number(row.get("lat"), line, "lat", report.errors, -90, 90)
        lon = _number(row.get("lon"), line, "lon", report.errors, -180, 180)
        population = _number(row.get("population"), line, "population", report.errors, 0, 10**7, integer=True)
        languages = _languages(row.get("languages"), line, report.errors) if "languages" in header else None
        if commune and name:
            if (commune.pk, name.lower()) in seen:
                report.errors.append(
                    _("Dòng %(line)s: “%(name)s” bị lặp trong tệp.") % {"line": line, "name": name}
                )
            seen.add((commune.pk, name.lower()))
        rows.append((commune, name, kind, lat, lon, population, languages))
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for commune, name, kind, lat, lon, population, languages in rows:
            hamlet, created = Hamlet.objects.update_or_create(
                commune=commune,
                name=name,
                defaults={"kind": kind, "lat": lat, "lon": lon, "population": population},
            )
            if languages is not None:
                hamlet.languages.exclude(code__in=languages).delete()
                for code, count in languages.items():
                    HamletLanguage.objects.update_or_create(
                        hamlet=hamlet, code=code, defaults={"population": count}
                    )
            report.created += created
            report.updated += not created
        audit.record(
            actor,
            audit.Action.IMPORT,
            object_type="geo.hamlet",
            object_repr=_("%(n)s thôn, tổ dân phố") % {"n": len(rows)},
            changes={"created": report.created, "updated": report.updated},
        )
    return report


__all__ = [
    "ValidationError",
    "add_hamlet",
    "delete_hamlet",
    "import_hamlets",
    "load_units",
    "set_coordinates",
]
