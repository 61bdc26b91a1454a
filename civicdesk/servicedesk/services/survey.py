"""Citizens' satisfaction responses (public pages, no account): one per dossier, or anonymous per centre."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicdesk.core import audit

from ..models import Dossier, Status, SurveyReason, SurveyResponse
from .stats import refresh_for


def _clean(stars, reasons, comment):
    errors = {}
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        errors["stars"] = [_("Vui lòng chọn từ 1 đến 5 sao.")]
    reasons = [r for r in dict.fromkeys(reasons or ()) if r in SurveyReason.values]
    comment = (comment or "").strip()
    if len(comment) > 1000:
        errors["comment"] = [_("Góp ý tối đa 1.000 ký tự.")]
    if errors:
        raise ValidationError(errors)
    return stars, reasons, comment


@transaction.atomic
def rate_dossier(dossier, *, stars, reasons=(), comment=""):
    """Record the applicant's rating of their dossier, once its result has been returned to them.

    Before that there is nothing to rate yet (the survey page says when it opens); a second response for the same
    dossier is refused.
    """
    stars, reasons, comment = _clean(stars, reasons, comment)
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.rating is not None or SurveyResponse.objects.filter(dossier=locked).exists():
        raise ValidationError(_("Hồ sơ này đã được đánh giá. Cảm ơn ông/bà!"))
    if locked.status != Status.RETURNED:
        raise ValidationError(_("Phiếu đánh giá mở khi ông/bà đã nhận kết quả hồ sơ."))
    response = SurveyResponse.objects.create(
        commune_id=locked.commune_id, dossier=locked, stars=stars, reasons=reasons, comment=comment
    )
    locked.rating = stars
    locked.save(update_fields=["rating", "updated_at"])
    audit.record(None, audit.Action.CREATE, response, changes={"dossier": locked.code, "stars": stars})
    refresh_for(locked)
    return response


@transaction.atomic
def rate_centre(commune, *, stars, reasons=(), comment=""):
    """An anonymous response at the centre's counter (not tied to a dossier, not in the dossier KPIs)."""
    stars, reasons, comment = _clean(stars, reasons, comment)
    response = SurveyResponse.objects.create(commune=commune, stars=stars, reasons=reasons, comment=comment)
    audit.record(None, audit.Action.CREATE, response, changes={"commune": commune.code, "stars": stars})
    return response
