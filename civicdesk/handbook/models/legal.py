"""Legal texts the handbook cites, and the flags a change of law raises on the records that cite them.

A `LegalText` is one decree, circular, law… as the handbook cites it ("20/2021/NĐ-CP", "Luật Hộ tịch 2014"), with its
state (in force / superseded) and its successor. Which records cite it is not stored: it is read from the records'
text each time (`legal_texts.citing_records`), so a record edited to cite it, or to stop citing it, is counted right.

When an editor marks a text superseded, every record citing it gets a `LegalFlag`. The flag is a model rather than
two fields on the record (`stale_reason`, `stale_since`) because one record often cites several texts (a procedure
cites a law, its decree and a circular): each change of law is flagged, reviewed and closed on its own, the legal
text's page lists its own flags, and the flag keeps what the record's content was when it was raised
(`content_hash`), which is how a bulk "still right" confirmation knows that nobody has edited the record since. A
unique (record, legal text) pair makes flagging idempotent, and closed flags stay as history.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..permissions import is_editor


class LegalTextQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue of legal texts is a tool of the handbook's editors (department experts, province admins)."""
        if user is not None and is_editor(user):
            return self
        return self.none()

    def superseded(self):
        return self.filter(status=LegalText.Status.SUPERSEDED)


class LegalText(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("Luật, bộ luật")
        ORDINANCE = "ordinance", _("Pháp lệnh")
        DECREE = "decree", _("Nghị định")
        RESOLUTION = "resolution", _("Nghị quyết")
        DECISION = "decision", _("Quyết định")
        CIRCULAR = "circular", _("Thông tư")
        DIRECTIVE = "directive", _("Chỉ thị")
        OTHER = "other", _("Văn bản khác")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("Còn hiệu lực")
        SUPERSEDED = "superseded", _("Đã bị thay thế")

    identifier = models.CharField(
        _("số hiệu hoặc tên"),
        max_length=200,
        help_text=_("Như văn bản ghi: “20/2021/NĐ-CP”, hoặc tên luật kèm năm: “Luật Hộ tịch 2014”."),
    )
    # The normalised identifier (`citations.key_of`): "20/2021/ND-CP", "luat ho tich 2014". Unique.
    key = models.CharField(max_length=200, unique=True, editable=False)
    aliases = models.JSONField(
        _("cách ghi khác"),
        default=list,
        blank=True,
        help_text=_("Số hiệu khác của cùng văn bản, ví dụ số của một luật: 60/2014/QH13."),
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True, editable=False)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    status = models.CharField(
        _("hiệu lực"), max_length=12, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("được thay thế bởi"),
    )
    superseded_at = models.DateTimeField(_("ghi nhận bị thay thế lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )

    objects = LegalTextQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "identifier"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True) | ~models.Q(superseded_by=models.F("pk")),
                name="handbook_legaltext_not_own_successor",
            )
        ]
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")

    def __str__(self):
        return self.identifier

    def get_absolute_url(self):
        return reverse("handbook:legal_text", args=[self.pk])

    @property
    def full_name(self):
        """ "Nghị định 20/2021/NĐ-CP"; a law's identifier already says what it is ("Luật Hộ tịch 2014")."""
        if self.kind in (self.Kind.LAW, self.Kind.OTHER) or not self.identifier[:1].isdigit():
            return self.identifier
        return f"{self.get_kind_display()} {self.identifier}"

    @property
    def is_superseded(self):
        return self.status == self.Status.SUPERSEDED


class LegalFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def of(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
            object_id=record.pk,
        )

    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class LegalFlag(models.Model):
    """A record that cites a superseded legal text, from the moment the text was marked superseded until reviewed."""

    class Resolution(models.TextChoices):
        CONFIRMED = "confirmed", _("Vẫn đúng sau khi văn bản thay đổi")
        VERIFIED = "verified", _("Đã kiểm chứng lại")
        WITHDRAWN = "withdrawn", _("Văn bản được ghi nhận lại là còn hiệu lực")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    legal_text = models.ForeignKey(
        LegalText, on_delete=models.CASCADE, related_name="flags", verbose_name=_("văn bản")
    )
    flagged_at = models.DateTimeField(_("gắn cờ lúc"), auto_now_add=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # `records.digest` of the record's content (its working version, verification fields aside) when flagged.
    content_hash = models.CharField(max_length=64)
    resolution = models.CharField(_("kết quả"), max_length=12, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = LegalFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-flagged_at", "pk"]
        constraints = [
            # Also the index that finds a record's flags (its first two columns).
            models.UniqueConstraint(
                fields=["content_type", "object_id", "legal_text"], name="handbook_legalflag_once"
            )
        ]
        verbose_name = _("cờ thay đổi văn bản")
        verbose_name_plural = _("cờ thay đổi văn bản")

    def __str__(self):
        return f"{self.legal_text} → {self.content_type.model}:{self.object_id}"

    @property
    def is_open(self):
        return self.resolved_at is None
