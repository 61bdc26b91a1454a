"""The Excel export of the hotline report (recorded in the audit log: it carries officials' questions)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicdesk.core import audit
from civicdesk.core.exports import table_sheet
from civicdesk.kernel.languages import REGIONAL_NAMES, VIETNAMESE

from ..queries import report

YES_NO = {True: "Đạt", False: "Không đạt", None: ""}


def _served_language(ticket):
    """The export's "Ngôn ngữ phục vụ": the language's name, "Tiếng Việt" when nothing special was recorded."""
    return ticket.served_language_name or str(REGIONAL_NAMES[VIETNAMESE])


def _sheet(workbook, title, header, rows):
    # Officials' titles, names and teams are user text: `table_sheet` writes them as text, never as formulas.
    return table_sheet(workbook, title, header, rows)


def export_xlsx(actor, start=None, end=None):
    """The report of the tickets `actor` may see, as .xlsx bytes (summary, tickets, teams, experts)."""
    data = report(actor, start, end)
    workbook = Workbook()
    workbook.remove(workbook.active)
    s = data["summary"]
    _sheet(
        workbook,
        _("Tổng hợp"),
        [_("Chỉ số"), _("Giá trị")],
        [
            (_("Số câu hỏi"), s["count"]),
            (_("Đang mở"), s["open"]),
            (_("Phản hồi đầu tiên — trung vị (giờ làm việc)"), s["first_median"]),
            (_("Phản hồi đầu tiên — p90 (giờ làm việc)"), s["first_p90"]),
            (_("Giải quyết — trung vị (giờ làm việc)"), s["resolution_median"]),
            (_("Giải quyết — p90 (giờ làm việc)"), s["resolution_p90"]),
            (_("Đúng hạn phản hồi (%)"), s["first_compliance"]),
            (_("Đúng hạn giải quyết (%)"), s["resolution_compliance"]),
            (_("Mức hài lòng trung bình (1–5)"), s["csat_avg"]),
            (_("Số lượt đánh giá"), s["csat_count"]),
        ],
    )
    _sheet(
        workbook,
        _("Câu hỏi"),
        [
            _("Mã"),
            _("Gửi lúc"),
            _("Xã"),
            _("Lĩnh vực"),
            _("Nhóm"),
            _("Chuyên viên"),
            _("Mức độ"),
            _("Trạng thái"),
            _("Kênh"),
            _("Tiêu đề"),
            _("Phản hồi (giờ LV)"),
            _("Giải quyết (giờ LV)"),
            _("Đúng hạn phản hồi"),
            _("Đúng hạn giải quyết"),
            _("Hài lòng"),
            _("Ngôn ngữ phục vụ"),
            _("Phiên dịch"),
        ],
        [
            (
                r["ticket"].reference,
                r["ticket"].created_at,
                r["ticket"].commune.name,
                r["ticket"].field.name if r["ticket"].field else "",
                r["ticket"].team.name if r["ticket"].team else "",
                r["ticket"].assignee.get_full_name() if r["ticket"].assignee else "",
                r["ticket"].get_urgency_display(),
                r["ticket"].get_status_display(),
                r["ticket"].get_channel_display(),
                r["ticket"].title,
                r["first_hours"],
                r["resolution_hours"],
                YES_NO[r["first_met"]],
                YES_NO[r["resolution_met"]],
                r["ticket"].csat_score,
                _served_language(r["ticket"]),
                _("Có") if r["ticket"].interpreter_used else _("Không"),
            )
            for r in data["rows"]
        ],
    )
    team_header = [
        _("Số câu hỏi"),
        _("Đang mở"),
        _("Phản hồi trung vị"),
        _("Giải quyết trung vị"),
        _("Giải quyết p90"),
        _("Đúng hạn giải quyết (%)"),
        _("Hài lòng TB"),
        _("Lượt đánh giá"),
    ]

    def numbers(r):
        return [
            r["count"],
            r["open"],
            r["first_median"],
            r["resolution_median"],
            r["resolution_p90"],
            r["resolution_compliance"],
            r["csat_avg"],
            r["csat_count"],
        ]

    _sheet(
        workbook,
        _("Theo nhóm"),
        [_("Nhóm"), *team_header],
        [[r["team"].name if r["team"] else _("Chưa có nhóm"), *numbers(r)] for r in data["by_team"]],
    )
    _sheet(
        workbook,
        _("Theo chuyên viên"),
        [_("Chuyên viên"), *team_header],
        [[r["expert"].get_full_name(), *numbers(r)] for r in data["by_expert"]],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record(
        actor,
        audit.Action.EXPORT,
        object_type="hotline.ticket",
        object_repr=_("Báo cáo đường dây nóng (%(n)s câu hỏi)") % {"n": s["count"]},
        changes={"start": str(start or ""), "end": str(end or ""), "rows": s["count"]},
    )
    return buffer.getvalue()
