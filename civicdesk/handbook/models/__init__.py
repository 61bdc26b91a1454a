"""Handbook content: procedures (fields of the national procedure database), guides and FAQ entries.

Every record carries its source, its verification state and a workflow state; its revisions are kept as JSON snapshots.
The JSON shapes of `steps`, `methods`, `components` etc. are those of docs/handbook/schema.md, so a catalogue export
maps 1:1 and round-trips through import/export.
"""

from datetime import timedelta

import pycountry
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicdesk.kernel.languages import VIETNAMESE, language_name, validate_language_code
from civicdesk.kernel.roles import DEPARTMENT_ROLES, PROVINCE_ROLES
from civicdesk.kernel.scoping import scope_filter

from ..permissions import is_editor


class Field(models.Model):
    """A field (lĩnh vực) of administrative work, with the provincial department that guides it by default."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    default_department_code = models.SlugField(
        _("mã sở, ngành mặc định"),
        max_length=40,
        blank=True,
        help_text=_("Mã của sở, ngành hướng dẫn chuyên môn lĩnh vực này (ví dụ tu-phap)."),
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Content.Status.PUBLISHED)

    def visible_to(self, user):
        """Who reads which records.

        Published content is for everyone (the public pages add their own audience rule). Unpublished records
        (drafts, reviews, archive) are seen by province roles, by the experts of the responsible department (and
        of records that have no department yet) and by their own author; commune roles see published content only.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.published()
        if user.is_superuser or user.role in PROVINCE_ROLES:
            return self
        q = models.Q(status=Content.Status.PUBLISHED) | models.Q(created_by=user)
        if user.role in DEPARTMENT_ROLES:
            q |= scope_filter(user, department="department") | models.Q(department__isnull=True)
        return self.filter(q)

    def stale(self, months=None):
        """Not verified, or verified longer ago than HANDBOOK_STALE_MONTHS."""
        return self.filter(
            models.Q(verified_at__isnull=True) | models.Q(verified_at__lt=stale_cutoff(months))
        )

    def overdue(self, months=None):
        """Verified once, but longer ago than HANDBOOK_STALE_MONTHS: due for a new check."""
        return self.filter(verified_at__lt=stale_cutoff(months))

    def needs_verification(self):
        return self.filter(verification=Content.Verification.NEEDS_VERIFICATION)


def stale_cutoff(months=None):
    months = months or getattr(settings, "HANDBOOK_STALE_MONTHS", 12)
    return timezone.now() - timedelta(days=30 * months)


class Content(models.Model):
    """Fields every handbook record has: workflow, verification, source, ownership."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        IN_REVIEW = "in_review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã công bố")
        ARCHIVED = "archived", _("Lưu trữ")

    class Verification(models.TextChoices):
        VERIFIED = "verified", _("Đã kiểm chứng")
        NEEDS_VERIFICATION = "needs_verification", _("Cần kiểm chứng")

    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    verification = models.CharField(
        _("kiểm chứng"), max_length=20, choices=Verification.choices, default=Verification.NEEDS_VERIFICATION
    )
    verification_note = models.TextField(_("cần kiểm tra"), blank=True)
    verified_at = models.DateTimeField(_("kiểm chứng lúc"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người kiểm chứng"),
    )
    source = models.TextField(_("nguồn"), blank=True)
    keywords = models.JSONField(_("từ khóa thường dùng"), default=list, blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sở, ngành chịu trách nhiệm"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    revisions = GenericRelation("handbook.Revision")
    # Translations into a minority language, each with its own verification by a speaker (see Translation).
    translations = GenericRelation("handbook.Translation")
    # A change to a published record waits here (draft or in review) while the published text stays live.
    pending_revision = models.ForeignKey(
        "handbook.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thay đổi đang chờ"),
    )
    # Accent-folded plain text (lower case, no diacritics, đ→d) for the database search.
    search_text = models.TextField(blank=True, editable=False)
    # Hash of the last imported data: re-running an import or the seed skips unchanged records.
    import_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "search_text" in update_fields:
            from ..text import fold, plain_text

            self.search_text = fold(plain_text(self))
        super().save(*args, **kwargs)

    @property
    def is_stale(self):
        return self.verified_at is None or self.verified_at < stale_cutoff()

    @property
    def key(self):
        """The record's stable identifier: the code of a procedure, the slug of a guide or FAQ entry."""
        return self.code if self.kind == "procedure" else self.slug

    @property
    def workflow_state(self):
        """The state of the editable version: a pending change's state, else the record's own status."""
        if self.pending_revision_id:
            return self.pending_revision.status or self.Status.DRAFT
        return self.status


class Procedure(Content):
    class Level(models.TextChoices):
        XA = "xa", _("Cấp xã")
        TINH = "tinh", _("Cấp tỉnh")
        LIEN_THONG = "lien_thong", _("Liên thông")

    class OnlineLevel(models.TextChoices):
        TOAN_TRINH = "toan_trinh", _("Toàn trình")
        MOT_PHAN = "mot_phan", _("Một phần")

    code = models.CharField(_("mã"), max_length=40, unique=True)
    national_code = models.CharField(_("mã thủ tục (CSDL quốc gia)"), max_length=40, blank=True)
    # Where the national code (and the online level that came with it) was read; a code is never filled without one.
    national_code_source = models.TextField(_("nguồn mã thủ tục quốc gia"), blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    decision = models.CharField(_("quyết định công bố"), max_length=200, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=12, choices=Level.choices, default=Level.XA)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=200, blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    agency = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list, blank=True)
    methods = models.JSONField(_("cách thức thực hiện"), default=list, blank=True)
    components = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    online_level = models.CharField(
        _("mức độ DVC trực tuyến"), max_length=12, choices=OnlineLevel.choices, blank=True
    )
    online_url = models.URLField(_("đường dẫn nộp trực tuyến"), blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("thủ tục liên quan"))
    summary = models.TextField(_("tóm tắt"), blank=True)
    notes = models.TextField(_("lưu ý cho cán bộ"), blank=True)
    police = models.BooleanField(_("do Công an cấp xã thực hiện"), default=False)
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0, editable=False)

    class Meta:
        ordering = ["field__order", "code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("handbook:procedure", args=[self.code])

    kind = "procedure"

    @property
    def title(self):
        return self.name

    def processing_days(self, method="truc_tiep"):
        """Working days for `method`, falling back to the first method that states a number; None if unknown."""
        known = [m for m in self.methods if m.get("processing_days") is not None]
        for m in known:
            if m.get("method") == method:
                return m["processing_days"]
        return known[0]["processing_days"] if known else None


class Guide(Content):
    class Handbook(models.TextChoices):
        PROFESSIONAL = "professional", _("Cẩm nang nghiệp vụ")
        TECHNOLOGY = "technology", _("Cẩm nang công nghệ")

    class Audience(models.TextChoices):
        OFFICIALS = "officials", _("Cán bộ, công chức")
        CITIZENS = "citizens", _("Người dân")
        BOTH = "both", _("Cán bộ và người dân")

    slug = models.SlugField(_("định danh"), max_length=120, unique=True)
    handbook = models.CharField(_("cẩm nang"), max_length=12, choices=Handbook.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    audience = models.CharField(
        _("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.OFFICIALS
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    sections = models.JSONField(_("các mục"), default=list, blank=True)
    tags = models.JSONField(_("thẻ"), default=list, blank=True)
    related_procedures = models.ManyToManyField(
        Procedure, blank=True, related_name="guides", verbose_name=_("thủ tục liên quan")
    )

    class Meta:
        ordering = ["handbook", "title"]
        verbose_name = _("hướng dẫn")
        verbose_name_plural = _("hướng dẫn")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("handbook:guide", args=[self.slug])

    kind = "guide"


class Faq(Content):
    slug = models.SlugField(_("định danh"), max_length=120, unique=True)
    question = models.CharField(_("câu hỏi"), max_length=500)
    answer = models.TextField(_("trả lời"))
    field = models.ForeignKey(
        Field,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="faqs",
        verbose_name=_("lĩnh vực"),
    )
    sources = models.JSONField(_("nguồn trích dẫn"), default=list, blank=True)
    related_procedures = models.ManyToManyField(
        Procedure, blank=True, related_name="faqs", verbose_name=_("thủ tục liên quan")
    )

    class Meta:
        ordering = ["question"]
        verbose_name = _("hỏi đáp")
        verbose_name_plural = _("hỏi đáp")

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("handbook:faq", args=[self.slug])

    kind = "faq"

    @property
    def title(self):
        return self.question


class Revision(models.Model):
    """A snapshot of a record after a change: who, when, why, and the full data (for diff and restore)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    status = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["content_type", "object_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="handbook_revision_number"
            )
        ]
        verbose_name = _("phiên bản")
        verbose_name_plural = _("phiên bản")

    def __str__(self):
        return f"#{self.number}"


class TranslationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification=Content.Verification.VERIFIED)

    def of(self, record):
        """The translations of one handbook record (a Procedure, Guide or Faq)."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
            object_id=record.pk,
        )

    def visible_to(self, user):
        """Readers see a translation only once a speaker has checked it; handbook editors see the others too."""
        if user is not None and is_editor(user):
            return self
        return self.verified()


class Translation(models.Model):
    """A handbook record told in a minority language, written by a speaker and shown only once a speaker checked it.

    The honesty rule (issue 15): CivicDesk publishes no machine or unchecked translation. `summary` says in plain
    words what the citizen brings and does; it is not the legal text, and the Vietnamese record stays the one that
    counts. The translation carries its own verification, in the vocabulary of the records' (`Content.Verification`):
    `verifier_name` is the speaker who checked it (often someone outside CivicDesk), `verified_by` the user who
    recorded that check, `verified_at` when. Changing the text sends it back to "needs verification".
    """

    Verification = Content.Verification

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("ngôn ngữ"), max_length=3, validators=[validate_language_code])
    title = models.CharField(_("tiêu đề"), max_length=400)
    summary = models.TextField(
        _("tóm tắt dễ hiểu"),
        help_text=_("Người dân cần mang gì, làm gì; không dịch toàn bộ văn bản pháp lý."),
    )
    translator_name = models.CharField(_("người dịch"), max_length=150)
    verification = models.CharField(
        _("kiểm tra"),
        max_length=20,
        choices=Content.Verification.choices,
        default=Content.Verification.NEEDS_VERIFICATION,
    )
    verifier_name = models.CharField(_("người nói tiếng này đã kiểm tra"), max_length=150, blank=True)
    verified_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận kiểm tra"),
    )
    source = models.TextField(_("nguồn, ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="handbook_translation_language"
            ),
            models.CheckConstraint(
                condition=~models.Q(language=VIETNAMESE), name="handbook_translation_not_vietnamese"
            ),
        ]
        verbose_name = _("bản dịch")
        verbose_name_plural = _("bản dịch")

    def __str__(self):
        return f"{self.language_name}: {self.title}"

    @property
    def language_name(self):
        return language_name(self.language)

    @property
    def html_lang(self):
        """The `lang` attribute of the translated text: the two-letter code where one exists (km, en), else the
        three-letter one, which BCP 47 accepts as it is (kpm, cma)."""
        entry = pycountry.languages.get(alpha_3=self.language)
        return getattr(entry, "alpha_2", None) or self.language

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED


class NationalListQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Province admins see every uploaded list; other editors their own; everyone else none."""
        if not is_editor(user):
            return self.none()
        if user.is_superuser or user.is_province_admin:
            return self
        return self.filter(uploaded_by=user)


class NationalList(models.Model):
    """A procedure list published by the national database, as uploaded by an editor: the rows that matching reads.

    Nothing in a procedure changes on upload; an editor accepts proposals one by one (`national_codes.accept`).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # [{"line", "national_code", "name", "level", "field", "online_level"}], in file order.
    rows = models.JSONField(default=list)

    objects = NationalListQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("danh sách TTHC quốc gia tải lên")
        verbose_name_plural = _("danh sách TTHC quốc gia tải lên")

    def __str__(self):
        return f"{self.file_name} ({self.uploaded_at:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("handbook:national_list", args=[self.pk])


from .legal import LegalFlag, LegalText  # noqa: E402

__all__ = [
    "Content",
    "Faq",
    "Field",
    "Guide",
    "LegalFlag",
    "LegalText",
    "NationalList",
    "Procedure",
    "Revision",
    "Translation",
    "stale_cutoff",
]
