"""The result in plain Vietnamese: one sentence a leader reads, and the caveats in words."""

from django.utils.translation import gettext as _

MIN_TREATED = 5
MIN_PRE_MONTHS = 3


def number(value, digits=1):
    """1 decimal, Vietnamese style (comma), a true minus sign, no "-0"."""
    text = f"{abs(value):.{digits}f}".replace(".", ",")
    if text.endswith(",0"):
        text = text[:-2]
    return ("−" + text) if value < 0 and text not in ("0",) else text


def interval(low, high):
    if low >= 0:
        return f"{number(low)}–{number(high)}"
    return _("từ %(low)s đến %(high)s") % {"low": number(low), "high": number(high)}


def sentence(result, words):
    after, treated, others = (str(w) for w in words)
    did, indicator = result.did, result.indicator
    unit = str(indicator.unit)
    values = {
        "after": after,
        "indicator": str(indicator.label),
        "treated": treated,
        "others": others,
        "amount": number(abs(did.estimate)),
        "estimate": ("+" if did.estimate > 0 else "") + number(did.estimate),
        "unit": unit,
        "interval": interval(did.low, did.high),
    }
    if did.covers_zero:
        return (
            _(
                "%(after)s, số liệu chưa cho thấy %(indicator)s của %(treated)s thay đổi so với %(others)s "
                "(ước tính %(estimate)s %(unit)s, khoảng tin cậy 95 %%: %(interval)s %(unit)s, có cả số 0)."
            )
            % values
        )
    template = (
        _(
            "%(after)s, %(indicator)s của %(treated)s tăng %(amount)s %(unit)s so với %(others)s "
            "(khoảng tin cậy 95 %%: %(interval)s %(unit)s)."
        )
        if did.estimate > 0
        else _(
            "%(after)s, %(indicator)s của %(treated)s giảm %(amount)s %(unit)s so với %(others)s "
            "(khoảng tin cậy 95 %%: %(interval)s %(unit)s)."
        )
    )
    return template % values


def caveats(result):
    did, notes = result.did, []
    if did.n_treated < MIN_TREATED:
        notes.append(
            _(
                "Chỉ có %(n)s xã được can thiệp: kết quả dựa trên rất ít xã, dễ thay đổi khi thêm một tháng số liệu."
            )
            % {"n": did.n_treated}
        )
    if len(result.pre) < MIN_PRE_MONTHS:
        notes.append(
            _(
                "Giai đoạn trước chỉ có %(n)s tháng: khó biết các xã đã đi cùng xu hướng trước khi bắt đầu hay chưa."
            )
            % {"n": len(result.pre)}
        )
    if len(result.post) < 2:
        notes.append(
            _("Giai đoạn sau chỉ có 1 tháng: tác động có thể chưa kịp thể hiện, hoặc chỉ là tạm thời.")
        )
    if result.placebo is None:
        notes.append(_("Không kiểm tra được xu hướng trước (cần ít nhất 2 tháng trước ngày bắt đầu)."))
    elif not result.placebo.covers_zero:
        notes.append(
            _(
                "Kiểm tra xu hướng trước không đạt: ngay trong giai đoạn trước, các xã được can thiệp đã khác các xã "
                "so sánh %(estimate)s %(unit)s (khoảng %(interval)s). Hãy đọc kết quả thận trọng."
            )
            % {
                "estimate": number(result.placebo.estimate),
                "unit": str(result.indicator.unit),
                "interval": interval(result.placebo.low, result.placebo.high),
            }
        )
    if did.n_control < did.n_treated:
        notes.append(
            _(
                "Ít xã so sánh hơn xã được can thiệp (%(c)s so với %(t)s): nhiều xã được dùng làm đối chứng nhiều lần."
            )
            % {"c": did.n_control, "t": did.n_treated}
        )
    if result.dropped:
        notes.append(
            _("Không tính %(n)s xã thiếu số liệu trước hoặc sau ngày bắt đầu: %(names)s.")
            % {"n": len(result.dropped), "names": ", ".join(name for _c, name in result.dropped)}
        )
    notes.append(
        _(
            "Đây là so sánh trên số liệu, không phải thí nghiệm: một thay đổi khác cùng lúc chỉ ở các xã này "
            "(cán bộ mới, thủ tục mới) cũng có thể góp phần."
        )
    )
    return notes
