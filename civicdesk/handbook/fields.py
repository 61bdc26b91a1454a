"""The fields (lĩnh vực) of administrative work and the provincial department that guides each by default.

This list is the table "Field codes" of docs/handbook/schema.md; the responsible department of a record defaults to its
field's department, and that department's experts review it.
"""

from .models import Field

# code, name, default department code (civicdesk/core/demo.py DEPARTMENTS)
FIELDS = [
    ("ho_tich", "Hộ tịch", "tu-phap"),
    ("chung_thuc", "Chứng thực", "tu-phap"),
    ("nuoi_con_nuoi", "Nuôi con nuôi", "tu-phap"),
    ("hoa_giai", "Hòa giải ở cơ sở", "tu-phap"),
    ("dat_dai", "Đất đai", "nong-nghiep-moi-truong"),
    ("moi_truong", "Môi trường", "nong-nghiep-moi-truong"),
    ("nong_nghiep", "Nông nghiệp, thủy lợi", "nong-nghiep-moi-truong"),
    ("ho_kinh_doanh", "Hộ kinh doanh", "tai-chinh"),
    ("tai_chinh", "Tài chính, ngân sách", "tai-chinh"),
    ("xay_dung", "Xây dựng", "xay-dung"),
    ("bao_tro_xa_hoi", "Bảo trợ xã hội, trẻ em", "y-te"),
    ("nguoi_co_cong", "Người có công", "noi-vu"),
    ("noi_vu", "Tổ chức, cán bộ, thi đua", "noi-vu"),
    ("cu_tru", "Cư trú, căn cước (Công an)", "cong-an"),
    ("giao_duc", "Giáo dục và Đào tạo", "giao-duc"),
    ("van_hoa", "Văn hóa, thể thao, du lịch", "van-hoa"),
    ("chuyen_doi_so", "Chuyển đổi số, dịch vụ công trực tuyến", "khoa-hoc-cong-nghe"),
    ("ton_giao", "Tín ngưỡng, tôn giáo", "dan-toc-ton-giao"),
    ("quan_su", "Quân sự địa phương, nghĩa vụ quân sự", "quan-su"),
    ("xu_ly_vi_pham", "Xử lý vi phạm hành chính, trật tự xây dựng", "tu-phap"),
    ("kinh_te_tap_the", "Hợp tác xã, kinh tế tập thể", "tai-chinh"),
    ("cong_thuong", "Công thương (rượu, thuốc lá, thương mại)", "cong-thuong"),
    ("an_toan_thuc_pham", "An toàn thực phẩm", "y-te"),
    ("phong_chay", "Phòng cháy, chữa cháy và cứu nạn, cứu hộ", "cong-an"),
    ("thien_tai", "Phòng, chống thiên tai", "nong-nghiep-moi-truong"),
    ("tai_san_cong", "Quản lý tài sản công", "tai-chinh"),
]


def ensure_fields():
    """Create or update the field list; return {code: Field}. Idempotent, one query when nothing changed."""
    existing = {f.code: f for f in Field.objects.all()}
    for order, (code, name, department_code) in enumerate(FIELDS, start=1):
        values = {"name": name, "default_department_code": department_code, "order": order * 10}
        field = existing.get(code)
        if field is None:
            existing[code] = Field.objects.create(code=code, **values)
        elif any(getattr(field, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(field, k, v)
            field.save()
    return existing
