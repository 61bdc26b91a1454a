"""The record of processing activities (Sổ ghi nhận hoạt động xử lý dữ liệu cá nhân): one row per kind of record,
generated from the sources the apps register, so it says what the code does — a new kind of record appears here the
day its app registers it, and the retention is the province's current figure."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .services.retention import policies


@dataclass(frozen=True)
class Activity:
    key: str
    label: str
    subjects: str
    purpose: str
    legal_basis: str
    categories: tuple
    recipients: tuple
    retention: str
    retention_months: int
    retention_is_default: bool
    closed_when: str
    kept: tuple
    erasure: str
    notes: tuple


def activities(province):
    """[Activity] for `province` (its retention figures; the sources' proposals where it set none)."""
    rows = []
    for policy in policies(province):
        source = policy.source
        if policy.is_default:
            retention = _("%(n)s tháng sau khi đóng (đề xuất, cần kiểm chứng với quy định lưu trữ)") % {
                "n": policy.months
            }
        else:
            retention = _("%(n)s tháng sau khi đóng (do tỉnh đặt)") % {"n": policy.months}
        rows.append(
            Activity(
                key=source.key,
                label=str(source.label),
                subjects=str(source.subjects),
                purpose=str(source.purpose),
                legal_basis=str(source.legal_basis),
                categories=tuple(str(c) for c in source.categories),
                recipients=tuple(str(r) for r in source.recipients),
                retention=retention,
                retention_months=policy.months,
                retention_is_default=policy.is_default,
                closed_when=str(source.closed_when),
                kept=tuple(str(k) for k in source.kept),
                erasure=str(source.erasure),
                notes=tuple(str(n) for n in source.notes),
            )
        )
    return rows


def as_table(rows):
    """(header, rows) for the register's Excel file."""
    header = [
        _("Loại bản ghi"),
        _("Chủ thể dữ liệu"),
        _("Mục đích xử lý"),
        _("Căn cứ pháp lý"),
        _("Loại dữ liệu"),
        _("Bên nhận"),
        _("Thời hạn lưu"),
        _("Bắt đầu tính từ"),
        _("Giữ lại sau khi ẩn danh hóa"),
        _("Khi người dân yêu cầu xóa"),
        _("Lưu ý"),
    ]
    table = [
        [
            a.label,
            a.subjects,
            a.purpose,
            a.legal_basis,
            "; ".join(a.categories),
            "; ".join(a.recipients),
            a.retention,
            a.closed_when,
            "; ".join(a.kept),
            a.erasure,
            "; ".join(a.notes),
        ]
        for a in rows
    ]
    return header, table
