"""Import dossiers exported by the provincial one-stop system (CSV), all or nothing, idempotent by `code`.

Columns: code, commune_code, procedure_code, procedure_name, channel, received_at, due_at, finished_at,
returned_at, status, supplement_requests, rating; optional: served_language (an ISO 639-3 code or a name such as
"K'Ho", "tiếng Mạ") and interpreter_used (1/0, có/không, yes/no, true/false). Timestamps are ISO 8601 with an
offset; an empty `due_at` is computed from the handbook's processing days; a procedure code the catalogue does not
know is kept and flagged.
Every row is validated first; on any error nothing is written and the errors name the line and the column.
"""

import csv
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.core import audit
from civicdesk.core.jobs import start_job
from civicdesk.geo.models import Commune
from civicdesk.handbook.models import Procedure
from civicdesk.kernel import csvfiles
from civicdesk.kernel.actors import is_system
from civicdesk.kernel.languages import VIETNAMESE, parse_language
from civicdesk.kernel.validators import describe, has_control_characters

from .. import jobs
from ..due import DueDates
from ..models import CHANNEL_METHOD, Channel, Dossier, DueSource, Status
from .stats import refresh_stats

COLUMNS = [
    "code",
    "commune_code",
    "procedure_code",
    "procedure_name",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "supplement_requests",
    "rating",
]
# Optional columns (language access, issue 15): absent from a file, they leave the dossiers' values as they are.
OPTIONAL_COLUMNS = ["served_language", "interpreter_used"]
IMPORT_FIELDS = [
    "commune",
    "province",
    "procedure",
    "procedure_code",
    "procedure_name",
    "channel",
    "status",
    "received_at",
    "received_date",
    "due_at",
    "due_source",
    "processing_days",
    "finished_at",
    "returned_at",
    "is_on_time",
    "working_days_taken",
    "supplement_count",
    "rating",
    "is_imported",
]
MAX_ERRORS = 200
BATCH = 2000


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line, column, message)
    unknown_procedures: dict = field(default_factory=dict)  # code -> number of rows
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        return [
            _("Dòng %(line)s, cột %(col)s: %(msg)s") % {"line": line, "col": col, "msg": msg}
            if col
            else _("Dòng %(line)s: %(msg)s") % {"line": line, "msg": msg}
            for line, col, msg in self.errors
        ]

    def as_dict(self):
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "errors": self.error_lines(),
            "unknown_procedures": self.unknown_procedures,
            "dry_run": self.dry_run,
        }


# What people write for yes and no in a spreadsheet (lower case, accents optional); an empty cell is no.
YES = {"1", "có", "co", "yes", "true"}
NO = {"", "0", "không", "khong", "no", "false"}

# Instants outside these years are typing errors (0001, 9999) and would overflow the calendar arithmetic.
YEARS = (1990, 2100)
DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is True and int("²") raises


def _instant(value):
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError("naive")
    if not YEARS[0] <= dt.year <= YEARS[1]:
        raise OverflowError(dt.year)
    return dt


class _Rows:
    """Validates rows one by one against preloaded lookups."""

    def __init__(self, actor, result, optional=()):
        self.actor, self.result = actor, result
        self.optional = set(optional)
        self.communes = {c.code: c for c in Commune.objects.only("id", "code", "province_id", "name")}
        self.procedures = {p.code: p for p in Procedure.objects.only("id", "code", "name", "methods")}
        self.days_cache = {}
        self.due = DueDates()
        self.seen = set()

    def error(self, line, col, msg):
        self.result.errors.append((line, col, msg))

    def days(self, procedure, channel):
        key = (procedure.pk, channel)
        if key not in self.days_cache:
            self.days_cache[key] = procedure.processing_days(CHANNEL_METHOD[channel])
        return self.days_cache[key]

    def when(self, row, col, line, required=False):
        value = (row[col] or "").strip()
        if not value:
            if required:
                self.error(line, col, _("bắt buộc."))
            return None
        try:
            return _instant(value)
        except OverflowError:
            self.error(
                line,
                col,
                _("năm %(y)s nằm ngoài khoảng %(a)s–%(b)s.") % {"y": value[:4], "a": YEARS[0], "b": YEARS[1]},
            )
        except ValueError:
            self.error(line, col, _("“%(v)s” không phải thời điểm ISO 8601 có múi giờ.") % {"v": value[:60]})
        return None

    def parse(self, line, row):
        errors_before = len(self.result.errors)
        for column, value in row.items():
            if has_control_characters(value):
                self.error(
                    line, column, _("có ký tự điều khiển không nhìn thấy (%(c)s).") % {"c": describe(value)}
                )
        if len(self.result.errors) > errors_before:
            return None
        code = (row["code"] or "").strip()
        if not code or len(code) > 40:
            self.error(line, "code", _("mã hồ sơ bắt buộc, tối đa 40 ký tự."))
        elif code in self.seen:
            self.error(line, "code", _("mã hồ sơ “%(c)s” bị lặp trong tệp.") % {"c": code})
        self.seen.add(code)
        commune_code = (row["commune_code"] or "").strip()
        commune = self.communes.get(int(commune_code)) if DIGITS.fullmatch(commune_code) else None
        if commune is None:
            self.error(line, "commune_code", _("mã xã “%(c)s” không tồn tại.") % {"c": commune_code[:40]})
        elif (
            not is_system(self.actor)
            and not self.actor.is_superuser
            and commune.province_id != self.actor.province_id
        ):
            self.error(line, "commune_code", _("%(n)s không thuộc tỉnh của bạn.") % {"n": commune.name})
        procedure_code = (row["procedure_code"] or "").strip()
        if not procedure_code or len(procedure_code) > 40:
            self.error(line, "procedure_code", _("mã thủ tục bắt buộc, tối đa 40 ký tự."))
        procedure = self.procedures.get(procedure_code)
        channel = (row["channel"] or "").strip()
        if channel not in Channel.values:
            self.error(
                line,
                "channel",
                _("kênh “%(v)s” không hợp lệ (%(ok)s).") % {"v": channel, "ok": ", ".join(Channel.values)},
            )
        status = (row["status"] or "").strip()
        if status not in Status.values:
            self.error(
                line,
                "status",
                _("trạng thái “%(v)s” không hợp lệ (%(ok)s).")
                % {"v": status, "ok": ", ".join(Status.values)},
            )
        received_at = self.when(row, "received_at", line, required=True)
        due_at = self.when(row, "due_at", line)
        finished_at = self.when(row, "finished_at", line)
        returned_at = self.when(row, "returned_at", line)
        if received_at and finished_at and finished_at < received_at:
            self.error(line, "finished_at", _("trước thời điểm tiếp nhận."))
        if received_at and due_at and due_at < received_at:
            self.error(line, "due_at", _("trước thời điểm tiếp nhận."))
        if returned_at and not finished_at:
            self.error(line, "finished_at", _("có ngày trả kết quả thì phải có thời điểm có kết quả."))
        if status in (Status.DONE, Status.RETURNED) and not (row["finished_at"] or "").strip():
            self.error(line, "finished_at", _("trạng thái “%(s)s” cần thời điểm có kết quả.") % {"s": status})
        supplements = (row["supplement_requests"] or "").strip() or "0"
        if not DIGITS.fullmatch(supplements) or int(supplements) > 100:
            self.error(
                line, "supplement_requests", _("“%(v)s” không phải số lần hợp lệ.") % {"v": supplements[:40]}
            )
        rating = (row["rating"] or "").strip()
        if rating and rating not in {"1", "2", "3", "4", "5"}:
            self.error(line, "rating", _("đánh giá phải từ 1 đến 5 hoặc để trống."))
        served_language, interpreter_used = self.language_access(line, row)
        if len(self.result.errors) > errors_before:
            return None

        if procedure is None:
            self.result.unknown_procedures[procedure_code] = (
                self.result.unknown_procedures.get(procedure_code, 0) + 1
            )
        days = self.days(procedure, channel) if procedure is not None else None
        if due_at is not None:
            due_source = DueSource.IMPORTED
        elif days is not None:
            due_at, due_source = self.due.due_at(received_at, days), DueSource.COMPUTED
        else:
            due_source = DueSource.UNKNOWN
        is_on_time = working_days = None
        if finished_at is not None:
            is_on_time = due_at is not None and finished_at <= due_at
            working_days = self.due.working_days(received_at, finished_at)
        # A plain dict in a fixed key order: new rows are inserted as tuples (see _insert), updates as models.
        return {
            "code": code,
            "commune_id": commune.pk,
            "province_id": commune.province_id,
            "procedure_id": procedure.pk if procedure else None,
            "procedure_code": procedure_code,
            "procedure_name": (
                (row["procedure_name"] or "").strip() or (procedure.name if procedure else "")
            )[:400],
            "channel": channel,
            "status": status,
            "received_at": received_at,
            "received_date": self.due.local_date(received_at),
            "due_at": due_at,
            "due_source": due_source,
            "processing_days": days,
            "finished_at": finished_at,
            "returned_at": returned_at,
            "is_on_time": is_on_time,
            "working_days_taken": working_days,
            "supplement_count": int(supplements),
            "rating": int(rating) if rating else None,
            "is_imported": True,
            "served_language": served_language,
            "interpreter_used": interpreter_used,
        }

    def language_access(self, line, row):
        """(code, interpreter used) from the optional columns: a code or a name; Vietnamese is stored as blank."""
        served_language, interpreter_used = "", False
        if "served_language" in self.optional:
            text = (row["served_language"] or "").strip()
            if text:
                try:
                    served_language = parse_language(text[:100])
                except ValidationError as exc:
                    self.error(line, "served_language", " ".join(exc.messages))
                if served_language == VIETNAMESE:
                    served_language = ""
        if "interpreter_used" in self.optional:
            flag = unicodedata.normalize("NFC", (row["interpreter_used"] or "").strip().lower())
            if flag in YES:
                interpreter_used = True
            elif flag not in NO:
                self.error(
                    line,
                    "interpreter_used",
                    _("“%(v)s” không hợp lệ: ghi 1/0, có/không, yes/no hoặc true/false.") % {"v": flag[:40]},
                )
        return served_language, interpreter_used


_INSERT_DEFAULTS = {
    "applicant_name": "",
    "applicant_id_number": "",
    "applicant_phone": "",
    "phone_last4": "",
    "late_reason": "",
    "new_due_at": None,
    "apology_at": None,
    "checklist": "[]",
    "received_by_id": None,
    "note": "",
}


def _insert(rows):
    """Insert new dossiers as plain tuples: Django's per-field bulk_create compilation was most of the import time."""
    if not rows:
        return
    if connection.vendor not in ("sqlite", "postgresql"):
        Dossier.objects.bulk_create([Dossier(**row) for row in rows])
        return
    sqlite = connection.vendor == "sqlite"

    def db(value):
        # SQLite holds naive UTC text, exactly as Django writes it; PostgreSQL takes aware datetimes.
        if sqlite and isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return value

    now = db(timezone.now())
    columns = [*rows[0], *_INSERT_DEFAULTS, "updated_at"]
    tail = (*_INSERT_DEFAULTS.values(), now)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(Dossier._meta.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(db(v) for v in row.values()) + tail for row in rows])


def _existing_ids(codes):
    found = {}
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        for code, pk, commune_id, received_date in Dossier.objects.filter(code__in=chunk).values_list(
            "code", "id", "commune_id", "received_date"
        ):
            found[code] = (pk, commune_id, received_date)
    return found


def import_dossiers(actor, source, *, dry_run=False, progress=None):
    """Validate every row of the CSV `source` (text or a text file object), then create or update by `code`.

    `actor` is the system (`kernel.actors.system`: the command line) or a province admin, for their province only.
    `progress(percent, message)` is called as the work advances. Returns an ImportResult; nothing is written
    unless the whole file is valid (and not with `dry_run`).
    """
    if not is_system(actor) and not actor.is_province_admin:
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được nhập hồ sơ từ hệ thống một cửa của tỉnh."))
    progress = progress or (lambda percent, message="": None)
    result = ImportResult(dry_run=dry_run)
    stream = io.StringIO(source.lstrip("\ufeff")) if isinstance(source, str) else source
    reader = csv.DictReader(stream)

    def unreadable(line, message):
        result.errors.append((line, "", message))

    header = csvfiles.header(reader, unreadable)
    if header is None:
        return result
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append((1, "", _("thiếu cột: %(c)s.") % {"c": ", ".join(missing)}))
        return result
    reader.fieldnames = header
    optional = [c for c in OPTIONAL_COLUMNS if c in header]
    rows = _Rows(actor, result, optional)
    parsed = []
    progress(0, _("Đang kiểm tra dữ liệu…"))
    for line, row in csvfiles.records(reader, unreadable):
        if None in row or any(v is None for v in row.values()):
            result.errors.append((line, "", _("số cột không khớp với dòng tiêu đề.")))
            continue
        dossier = rows.parse(line, row)
        if dossier is not None:
            parsed.append(dossier)
        if len(result.errors) >= MAX_ERRORS:
            result.errors.append((line, "", _("quá nhiều lỗi, dừng kiểm tra.")))
            break
        if line % 20000 == 0:
            progress(min(45, line // 5000), _("Đã kiểm tra %(n)s dòng") % {"n": line - 1})
    result.rows = len(parsed) + len({e[0] for e in result.errors})
    if result.errors or dry_run:
        return result

    existing = _existing_ids([d["code"] for d in parsed])
    to_create = [d for d in parsed if d["code"] not in existing]
    to_update = []
    # An update may move a dossier to another commune or day: the old counters are refreshed too.
    touched = {(d["commune_id"], d["received_date"]) for d in parsed}
    for d in parsed:
        if d["code"] in existing:
            pk, old_commune, old_date = existing[d["code"]]
            to_update.append(Dossier(pk=pk, **d))
            touched.add((old_commune, old_date))
    update_fields = [*IMPORT_FIELDS, *optional]
    total = max(1, len(parsed))
    with transaction.atomic():
        for start in range(0, len(to_create), BATCH):
            _insert(to_create[start : start + BATCH])
            done = start + BATCH
            progress(
                50 + 40 * min(done, len(to_create)) // total,
                _("Đã ghi %(n)s hồ sơ") % {"n": min(done, len(to_create))},
            )
        for start in range(0, len(to_update), 500):
            Dossier.objects.bulk_update(to_update[start : start + 500], update_fields)
            done = len(to_create) + start + 500
            progress(
                50 + 40 * min(done, total) // total,
                _("Đã cập nhật %(n)s hồ sơ") % {"n": min(start + 500, len(to_update))},
            )
        if parsed:
            progress(92, _("Đang cập nhật số liệu tổng hợp…"))
            days = sorted({day for _commune, day in touched})
            refresh_stats({commune for commune, _day in touched}, days[0], days[-1])
        result.created, result.updated = len(to_create), len(to_update)
        audit.record(
            actor,
            audit.Action.IMPORT,
            object_type="servicedesk.dossier",
            object_repr=_("%(n)s hồ sơ từ hệ thống một cửa của tỉnh") % {"n": len(parsed)},
            changes={
                "created": result.created,
                "updated": result.updated,
                "unknown_procedures": sorted(result.unknown_procedures),
            },
        )
    progress(100, _("Hoàn tất"))
    return result


def start_import(actor, upload):
    """Keep an uploaded CSV file and import it in a background job with progress; returns the job.

    A province admin only (the same rule as `import_dossiers`, checked now so the upload is not even kept).
    The job deletes the file once it has run.
    """
    if not is_system(actor) and not actor.is_province_admin:
        raise PermissionDenied(_("Chỉ quản trị cấp tỉnh được nhập hồ sơ từ hệ thống một cửa của tỉnh."))
    folder = Path(settings.MEDIA_ROOT) / "servicedesk-imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.csv"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return start_job(
        actor,
        "servicedesk.import",
        _("Nhập hồ sơ từ hệ thống một cửa của tỉnh"),
        jobs.import_dossiers,
        path=str(path),
        user_id=actor.pk,
    )
