"""Fields of expertise (lĩnh vực chuyên môn) used for commune capacity, needs, the staff pool and plans.

A short, stable list of codes: CSV files and the optimiser carry the code, the pages show the label. The codes
are broader than the procedure fields of the handbook on purpose: a seconded person covers a line of work
(civil status and certification together, for instance), not one procedure.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    HO_TICH = "ho_tich", _("Hộ tịch, chứng thực")
    DAT_DAI = "dat_dai", _("Đất đai")
    TAI_CHINH = "tai_chinh", _("Tài chính – ngân sách")
    CNTT = "cntt", _("Công nghệ thông tin, chuyển đổi số")
    VAN_HOA_XA_HOI = "van_hoa_xa_hoi", _("Văn hóa – xã hội")
    XAY_DUNG = "xay_dung", _("Xây dựng")
    NONG_NGHIEP = "nong_nghiep", _("Nông nghiệp, môi trường")
    DANG_KY_KINH_DOANH = "dang_ky_kinh_doanh", _("Đăng ký kinh doanh")
    MOT_CUA = "mot_cua", _("Một cửa, kiểm soát thủ tục hành chính")


FIELD_CODES = frozenset(Field.values)


def field_label(code):
    """The Vietnamese label of a field code (the code itself if unknown, e.g. from a CLI file)."""
    try:
        return Field(code).label
    except ValueError:
        return code
