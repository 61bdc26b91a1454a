"""Outreach's contact history as a kind of record holding personal data (issue 21): registered with the privacy app
through `kernel.registry.add_personal_data` in `apps.py`. Reads here; writes in `services/privacy.py`.

The citizens themselves are `community.Person` rows (found through `community.privacy.matching_people`); outreach
holds what happened between them and the commune: list entries, attempts, messages, replies, consents. While a
campaign's history is kept, its people are kept too (`holds_people`).
"""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.community.privacy import matching_people
from civicdesk.kernel.personal_data import Erasure, HeldRecord, PersonalDataSource, record_ids

from .models import Campaign, InboundReply, Target
from .services import privacy as services

KEY = "outreach.contact"
REASON = "retention"


def _campaigns_past(province_id, cutoff):
    """Campaigns of the province that ended before the cutoff and whose history is still kept."""
    return Campaign.objects.filter(
        province_id=province_id, pseudonymised_at__isnull=True, end_date__lt=timezone.localdate(cutoff)
    )


def _replies_past(province_id, cutoff):
    """Replies received before the cutoff from the province's people, or from numbers nobody in CivicDesk has."""
    return (
        InboundReply.objects.filter(received_at__lt=cutoff)
        .exclude(phone="")
        .filter(Q(people__province_id=province_id) | Q(people__isnull=True))
        .distinct()
    )


def due(province_id, cutoff):
    return _campaigns_past(province_id, cutoff).count() + _replies_past(province_id, cutoff).count()


def pseudonymise(actor, province_id, cutoff, limit):
    ids = list(_campaigns_past(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    done = services.pseudonymise_campaigns(actor, ids, reason=REASON) if ids else 0
    if done < limit:
        ids = list(
            _replies_past(province_id, cutoff).order_by("pk").values_list("pk", flat=True)[: limit - done]
        )
        done += services.forget_replies(actor, ids, reason=REASON) if ids else 0
    return done


def holds_people(person_ids):
    """People on the list of a campaign whose history is still kept (it names them)."""
    return set(
        Target.objects.filter(person_id__in=person_ids, campaign__pseudonymised_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def _when(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _records(actor, key):
    """[(record id, HeldRecord)] for the person's targets, consents and replies."""
    records = []
    for person, how in matching_people(actor, key):
        targets = person.outreach_targets.select_related("campaign").prefetch_related("attempts", "messages")
        for target in targets.order_by("created_at", "pk"):
            attempts = "; ".join(
                f"{_when(a.at)} {a.get_channel_display()}: {a.get_outcome_display()}"
                + (f" — {a.note}" if a.note else "")
                for a in sorted(target.attempts.all(), key=lambda a: (a.at, a.pk))
            )
            messages = "; ".join(
                f"{_when(m.created_at)} {m.get_channel_display()} {m.phone}: {m.body} ({m.get_status_display()})"
                for m in sorted(target.messages.all(), key=lambda m: (m.created_at, m.pk))
            )
            records.append(
                HeldRecord(
                    source=KEY,
                    id=f"target:{target.pk}",
                    reference=target.campaign.name,
                    commune_id=target.commune_id,
                    when=target.created_at,
                    status=target.get_status_display(),
                    fields=(
                        (_("Chiến dịch"), target.campaign.name),
                        (_("Nguồn danh sách"), target.get_source_display()),
                        (_("Ghi chú"), target.note),
                        (_("Các lần liên hệ"), attempts),
                        (_("Tin nhắn đã gửi"), messages),
                    ),
                    matched_by=how,
                    url=reverse("outreach:target", args=[target.pk]),
                )
            )
        consents = "; ".join(
            f"{c.get_channel_display()}: {c.get_state_display()}, {c.get_basis_display()} — {c.source} ({_when(c.given_at)})"
            for c in person.consents.order_by("channel")
        )
        refusals = "; ".join(
            f"{d.get_channel_display() or _('mọi kênh')}: {d.get_reason_display()} — {d.source} ({_when(d.created_at)})"
            for d in person.do_not_contact.all()
        )
        if consents or refusals:
            records.append(
                HeldRecord(
                    source=KEY,
                    id=f"consent:{person.pk}",
                    reference=_("Đồng ý và từ chối liên hệ"),
                    commune_id=person.commune_id,
                    when=None,
                    status="",
                    fields=((_("Đồng ý liên hệ"), consents), (_("Không liên hệ"), refusals)),
                    matched_by=how,
                    hold=_(
                        "Căn cứ liên hệ và yêu cầu không liên hệ được giữ để chứng minh việc liên hệ đúng quy định "
                        "và để không liên hệ lại người đã từ chối."
                    ),
                )
            )
        for reply in InboundReply.objects.filter(people=person).exclude(phone="").order_by("received_at"):
            records.append(
                HeldRecord(
                    source=KEY,
                    id=f"reply:{reply.pk}",
                    reference=_("Tin nhắn người dân trả lời"),
                    commune_id=person.commune_id,
                    when=reply.received_at,
                    status=_("Từ chối nhận tin") if reply.opted_out else "",
                    fields=((_("Số điện thoại"), reply.phone), (_("Nội dung"), reply.text)),
                    matched_by=how,
                )
            )
    return records


def find(actor, key):
    return _records(actor, key)


def erase(actor, key, ids):
    wanted = set(ids)
    selected = [r for r in _records(actor, key) if r.id in wanted]
    kept = tuple((r.reference, r.hold) for r in selected if r.hold)
    chosen = [r.id for r in selected if not r.hold]
    erased = 0
    targets = record_ids(chosen, "target:")
    if targets:
        erased += services.erase_targets(actor, targets, reason="data-subject request")
    replies = record_ids(chosen, "reply:")
    if replies:
        erased += services.forget_replies(actor, replies, reason="data-subject request")
    return Erasure(erased=erased, kept=kept)


SOURCE = PersonalDataSource(
    key=KEY,
    label=gettext_lazy("Liên hệ chủ động tiếp cận người dân"),
    order=40,
    subjects=gettext_lazy("Người dân trong danh sách tiếp cận của xã, của tỉnh"),
    purpose=gettext_lazy(
        "Chủ động liên hệ, tư vấn người dân làm thủ tục (khai sinh, VNeID, nộp trực tuyến…), báo lịch tổ lưu động, "
        "đo kết quả chiến dịch."
    ),
    legal_basis=gettext_lazy(
        "Sự đồng ý của người dân cho từng kênh (im lặng không phải là đồng ý); gọi điện về hồ sơ người dân đã nộp: "
        "thực hiện nhiệm vụ của cơ quan nhà nước (cần kiểm chứng)."
    ),
    categories=(
        gettext_lazy("Họ tên, số điện thoại, CCCD, thôn (trong danh sách người dân)"),
        gettext_lazy("Các lần liên hệ, kết quả, ghi chú; nội dung tin nhắn đã gửi và nhận"),
        gettext_lazy("Đồng ý, rút đồng ý, yêu cầu không liên hệ"),
    ),
    recipients=(
        gettext_lazy("Công chức, tình nguyện viên được giao liên hệ"),
        gettext_lazy("Nhà cung cấp dịch vụ SMS, Zalo ZNS (số điện thoại và nội dung tin nhắn)"),
        gettext_lazy("Cấp tỉnh: chiến dịch của tỉnh và số liệu tổng hợp"),
    ),
    kept=(
        gettext_lazy("chiến dịch, xã, nguồn danh sách, trạng thái"),
        gettext_lazy("số lần liên hệ, kênh, kết quả, thời điểm; tin nhắn: kênh, trạng thái, thời điểm"),
        gettext_lazy("hồ sơ đã nộp nhờ chiến dịch"),
    ),
    closed_when=gettext_lazy("Từ ngày kết thúc chiến dịch; tin nhắn trả lời: từ ngày nhận"),
    default_months=12,
    erasure=gettext_lazy(
        "Ngừng liên hệ (người trong danh sách đang mở chuyển sang “không được liên hệ”), xóa ghi chú, số điện thoại "
        "và nội dung tin nhắn. Đồng ý và yêu cầu không liên hệ được giữ làm căn cứ."
    ),
    due=due,
    pseudonymise=pseudonymise,
    find=find,
    erase=erase,
    holds_people=holds_people,
)
