"""What a plan has to tell its reader, stored as codes and said in the reader's language.

A plan's messages (`Plan.message_codes`) come from three places: the input snapshot's warnings (people or needs left
out, `services.plans.build_snapshot`), the optimiser's reasons why the locks cannot hold (`optimizer.MESSAGE_CODES`;
its progress codes are rendered here too, for the job page and the command line), and the shortfall paragraph
(`shortfall.py`, recorded by `services.plans.record_result`). Each is stored as `{"code": …, "params": {…}}` and
rendered here with gettext when it is shown, so the same plan reads in Vietnamese to one planner and in English to
another. Plans solved before messages were codes hold plain Vietnamese sentences: they are shown as they are.

Params hold data only (codes, names, numbers, ISO dates); labels such as a field's name are looked up at render time.
"""

import json
import logging
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fields import field_label

log = logging.getLogger(__name__)

# Messages that are one sentence with their params filled in. The optimiser's say what it found in the planner's
# terms; its field and commune codes are shown as they are, as in the locks file they usually come from.
_SENTENCES = {
    "lock_unknown_staff": gettext_lazy(
        "Không có cán bộ '%(staff_id)s' trong danh sách nhưng lại bị khóa (bắt buộc cử/cố định)."
    ),
    "lock_send_and_not_send": gettext_lazy("Cán bộ '%(staff_id)s' vừa bắt buộc cử vừa không được cử."),
    "fixed_twice": gettext_lazy(
        "Phân công cố định (%(staff_id)s, %(commune_code)s, %(field)s): "
        "cán bộ '%(staff_id)s' được cố định nhiều hơn một lần."
    ),
    "fixed_not_send": gettext_lazy(
        "Phân công cố định (%(staff_id)s, %(commune_code)s, %(field)s): "
        "cán bộ này nằm trong danh sách không được cử."
    ),
    "fixed_field_missing": gettext_lazy(
        "Phân công cố định (%(staff_id)s, %(commune_code)s, %(field)s): cán bộ không có lĩnh vực '%(field)s'."
    ),
    "fixed_no_need": gettext_lazy(
        "Phân công cố định (%(staff_id)s, %(commune_code)s, %(field)s): "
        "xã '%(commune_code)s' không có nhu cầu lĩnh vực '%(field)s'."
    ),
    "fixed_forbidden": gettext_lazy(
        "Phân công cố định (%(staff_id)s, %(commune_code)s, %(field)s): cặp cán bộ–xã này bị cấm."
    ),
    "fixed_over_need": gettext_lazy(
        "Số phân công cố định vào xã '%(commune_code)s', lĩnh vực '%(field)s' vượt nhu cầu (%(units)s)."
    ),
    "fixed_over_commune": gettext_lazy(
        "Số phân công cố định vào xã '%(commune_code)s' vượt giới hạn %(max_per_commune)s người/xã."
    ),
    "forced_over_quota": gettext_lazy(
        "Phòng/ban '%(department)s': số người bắt buộc cử hoặc cố định vượt hạn mức (%(quota)s)."
    ),
    "forced_over_total": gettext_lazy(
        "Số người bắt buộc cử và cố định (%(forced)s) vượt tổng số được cử (%(total)s)."
    ),
    "must_send_no_need": gettext_lazy(
        "Cán bộ '%(staff_id)s' bắt buộc cử nhưng không còn nhu cầu nào phù hợp lĩnh vực "
        "(hoặc các xã phù hợp đã đủ người)."
    ),
    "locks_jointly_infeasible": gettext_lazy(
        "Không có phương án thỏa mãn đồng thời các cán bộ bắt buộc cử, hạn mức phòng/ban, "
        "giới hạn mỗi xã và nhu cầu."
    ),
    "timeout_preparing": gettext_lazy("Hết thời gian khi đang chuẩn bị dữ liệu."),
    "progress_checking": gettext_lazy("Đang kiểm tra dữ liệu và ràng buộc khóa"),
    "progress_arcs": gettext_lazy("Đang tính khoảng cách và các phương án khả dĩ"),
    "progress_flow": gettext_lazy("Đang giải bài toán luồng chi phí nhỏ nhất (vòng %(round)s)"),
    "progress_done": gettext_lazy("Xong"),
}


def _d(iso_day):
    return date_format(date.fromisoformat(iso_day), "d/m/Y")


def _no_coordinates(p):
    return _("Bỏ qua nhu cầu của %(n)s xã chưa có tọa độ: %(names)s.") % {
        "n": p["n"],
        "names": ", ".join(p["names"]),
    }


def _pool_left_out(p):
    left_out = []
    if p["busy"]:
        left_out.append(_("%(n)s người đang được biệt phái") % {"n": p["busy"]})
    if p["unavailable"]:
        left_out.append(_("%(n)s người ngoài thời gian sẵn sàng") % {"n": p["unavailable"]})
    return _("Trong thời gian biệt phái %(start)s – %(end)s, nguồn không gồm: %(list)s.") % {
        "start": _d(p["start"]),
        "end": _d(p["end"]),
        "list": "; ".join(left_out),
    }


def _shortfall(p):
    """One paragraph: how many the plan could not send, and which limits held them back, with the fix."""
    parts = [
        _("Phương án chỉ cử được %(assigned)s trên %(total)s người: không còn ai cử thêm mà có ích.")
        % {"assigned": p["assigned"], "total": p["total"]}
    ]
    if not p["open_units"]:
        parts.append(
            _("Mọi nhu cầu đã có người; muốn cử thêm, hãy bổ sung nhu cầu ở trang Nhu cầu hoặc giảm tổng số.")
        )
    else:
        parts.append(
            _("Nhu cầu còn thiếu: %(list)s.")
            % {"list": ", ".join(f"{field_label(f)} {n}" for f, n in p["open_units"])}
        )
    if p["full_departments"]:
        parts.append(
            _("Đã hết hạn mức cử: %(list)s — tăng hạn mức ở trang Nguồn cán bộ.")
            % {"list": ", ".join(f"{name} ({quota})" for name, quota in p["full_departments"])}
        )
    if p["full_communes"]:
        parts.append(
            _("%(n)s xã còn thiếu người đã đủ %(max)s người/xã — tăng giới hạn mỗi xã.")
            % {"n": p["full_communes"], "max": p["max_per_commune"]}
        )
    if p["too_far"] and p["distance_weight"] > 0:
        parts.append(
            _(
                "%(n)s cặp người – nhu cầu bị bỏ vì nơi ở quá xa so với mức ưu tiên (với trọng số %(w)s/km, "
                "nhu cầu ưu tiên 1 chỉ nhận người ở trong vòng %(km)s km) — giảm trọng số khoảng cách."
            )
            % {"n": p["too_far"], "w": p["distance_weight"], "km": round(1 / p["distance_weight"])}
        )
    if p["nobody_with_field"]:
        parts.append(
            _("Không còn ai trong nguồn có lĩnh vực: %(list)s — bổ sung cán bộ có lĩnh vực này.")
            % {"list": ", ".join(str(field_label(f)) for f in p["nobody_with_field"])}
        )
    return " ".join(parts)


# Messages whose wording depends on their params (lists, dates, optional parts).
_COMPOSED = {
    "no_coordinates": _no_coordinates,
    "pool_left_out": _pool_left_out,
    "shortfall": _shortfall,
}

CODES = frozenset(_SENTENCES) | frozenset(_COMPOSED)


def render(msg):
    """`msg` as a sentence in the active language: a stored `{"code", "params"}` dict, or the plain string of a plan
    stored before messages were codes."""
    if isinstance(msg, str):
        return msg
    code, params = msg["code"], msg.get("params") or {}
    if code in _COMPOSED:
        return _COMPOSED[code](params)
    if code in _SENTENCES:
        return str(_SENTENCES[code]) % params
    # A code this version does not know (written by a newer one): show what it holds rather than break the page.
    log.warning("Unknown plan message code %r", code)
    return f"{code} {json.dumps(params, ensure_ascii=False)}"
