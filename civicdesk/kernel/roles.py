from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")
    DEPARTMENT_EXPERT = "department_expert", _("Chuyên viên sở, ngành")
    HOME_AFFAIRS_PLANNER = "home_affairs_planner", _("Chuyên viên Sở Nội vụ (điều động, biệt phái)")
    COMMUNE_LEADER = "commune_leader", _("Lãnh đạo UBND cấp xã")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ, công chức cấp xã")
    HOTLINE_OPERATOR = "hotline_operator", _("Điều phối viên đường dây nóng")
    VOLUNTEER = "volunteer", _("Tình nguyện viên")
    MOBILE_TEAM = "mobile_team", _("Thành viên tổ lưu động")


PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HOME_AFFAIRS_PLANNER, Role.HOTLINE_OPERATOR})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_EXPERT})
COMMUNE_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER, Role.VOLUNTEER, Role.MOBILE_TEAM})
