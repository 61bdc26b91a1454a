"""Who answers: teams (a department or a working group), routing rules, SLA policies, absences, canned replies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.core.models import User
from civicdesk.kernel.roles import Role

# Roles of people who answer questions for a department team (a Home Affairs planner belongs to Sở Nội vụ).
EXPERT_ROLES = (Role.DEPARTMENT_EXPERT, Role.HOME_AFFAIRS_PLANNER)


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Teams of the user's province (officials need to know who answers)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(province_id=user.province_id) if user.province_id else self.none()

    def for_member(self, user):
        """Teams `user` answers for: their department's team and the working groups they belong to."""
        if not user.is_authenticated:
            return self.none()
        q = Q(working_group__members=user) | Q(leader=user) | Q(working_group__leader=user)
        if user.department_id and user.role in EXPERT_ROLES:
            q |= Q(department_id=user.department_id)
        return self.filter(q, is_active=True).distinct()


class Team(models.Model):
    """A provincial department or a multidisciplinary working group answering hotline questions."""

    class Strategy(models.TextChoices):
        ROUND_ROBIN = "round_robin", _("Lần lượt (xoay vòng)")
        LEAST_OPEN = "least_open", _("Người đang có ít câu hỏi nhất")
        MANUAL = "manual", _("Chuyên viên tự nhận")

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="hotline_teams")
    department = models.OneToOneField(
        "core.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hotline_team",
        verbose_name=_("sở, ngành"),
    )
    working_group = models.OneToOneField(
        "core.WorkingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="hotline_team",
        verbose_name=_("tổ công tác"),
    )
    name = models.CharField(_("tên"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trưởng nhóm"),
        help_text=_("Nhận cảnh báo khi câu hỏi quá hạn. Để trống: tổ trưởng của tổ công tác."),
    )
    strategy = models.CharField(
        _("cách phân công"), max_length=12, choices=Strategy.choices, default=Strategy.ROUND_ROBIN
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("đang nhận câu hỏi"), default=True)
    rota = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="hotline_rotas",
        verbose_name=_("chuyên viên trực"),
        help_text=_(
            "Những người nhận câu hỏi khi phân công tự động. Để trống: mọi chuyên viên của nhóm. "
            "Các chuyên viên khác vẫn xem và trả lời được câu hỏi của nhóm."
        ),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["province", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False, working_group__isnull=True))
                | (Q(department__isnull=True, working_group__isnull=False)),
                name="hotline_team_is_department_or_group",
            )
        ]
        verbose_name = _("nhóm trả lời")
        verbose_name_plural = _("nhóm trả lời")

    def __str__(self):
        return self.name

    @property
    def kind(self):
        return "department" if self.department_id else "working_group"

    def members(self):
        """The experts of the team: the department's experts, or the working group's members."""
        if self.department_id:
            return User.objects.filter(
                department_id=self.department_id, role__in=EXPERT_ROLES, is_active=True
            )
        return self.working_group.members.filter(is_active=True)

    def rota_members(self):
        """Who takes new questions by automatic assignment: the rota if the team has one, else every member."""
        members = self.members()
        rota = list(self.rota.values_list("pk", flat=True))
        return members.filter(pk__in=rota) if rota else members

    @property
    def leader_user(self):
        if self.leader_id:
            return self.leader
        if self.working_group_id:
            return self.working_group.leader
        return None

    def has_member(self, user):
        if not user.is_authenticated:
            return False
        if user.pk in (self.leader_id, getattr(self.leader_user, "pk", None)):
            return True
        return self.members().filter(pk=user.pk).exists()


class RoutingRule(models.Model):
    """Field (lĩnh vực) → the team that answers its questions in one province."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    field = models.ForeignKey(
        "handbook.Field", on_delete=models.CASCADE, related_name="+", verbose_name=_("lĩnh vực")
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="rules", verbose_name=_("nhóm trả lời")
    )
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        ordering = ["field__order", "field__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "field"], name="hotline_rule_field_per_province")
        ]
        verbose_name = _("quy tắc chuyển câu hỏi")
        verbose_name_plural = _("quy tắc chuyển câu hỏi")

    def __str__(self):
        return f"{self.field} → {self.team}"


class Urgency(models.TextChoices):
    LOW = "low", _("Thấp")
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Cao")
    URGENT = "urgent", _("Khẩn")


# Used when a province has not set its own policy: first response, resolution (working hours), warning at %.
DEFAULT_SLA = {
    Urgency.URGENT: (2, 8, 75),
    Urgency.HIGH: (4, 16, 75),
    Urgency.NORMAL: (8, 24, 75),
    Urgency.LOW: (16, 40, 75),
}


class SlaPolicy(models.Model):
    """Targets for one urgency, in working hours of the province's calendar (core/workcal.py)."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    urgency = models.CharField(_("mức độ khẩn"), max_length=10, choices=Urgency.choices)
    first_response_hours = models.DecimalField(
        _("phản hồi đầu tiên (giờ làm việc)"), max_digits=6, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("giải quyết xong (giờ làm việc)"), max_digits=6, decimal_places=2
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("cảnh báo khi đã dùng (%)"),
        default=75,
        help_text=_("Gửi cảnh báo khi thời gian đã dùng đạt mức này."),
    )

    class Meta:
        ordering = ["province", "resolution_hours"]
        constraints = [
            models.UniqueConstraint(fields=["province", "urgency"], name="hotline_sla_urgency_per_province")
        ]
        verbose_name = _("chỉ tiêu thời gian (SLA)")
        verbose_name_plural = _("chỉ tiêu thời gian (SLA)")

    def __str__(self):
        return f"{self.get_urgency_display()}: {self.first_response_hours} h / {self.resolution_hours} h"


class AbsenceQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(start__lte=day, end__gte=day)

    def current(self):
        return self.on(timezone.localdate())


class Absence(models.Model):
    """An expert away (leave, mission, training): no new questions are assigned to them in that period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hotline_absences"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    note = models.CharField(_("lý do"), max_length=200, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="hotline_absence_order")
        ]
        verbose_name = _("lịch vắng")
        verbose_name_plural = _("lịch vắng")

    def __str__(self):
        return f"{self.user} {self.start:%d/%m}–{self.end:%d/%m}"


class CannedResponse(models.Model):
    """A reply a team uses often (a template an expert adapts before sending)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="canned_responses")
    title = models.CharField(_("tiêu đề"), max_length=120)
    body = models.TextField(_("nội dung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["team", "title"]
        verbose_name = _("câu trả lời mẫu")
        verbose_name_plural = _("câu trả lời mẫu")

    def __str__(self):
        return self.title
