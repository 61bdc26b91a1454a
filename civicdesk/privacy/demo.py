"""The privacy app's part of `civicdesk demo`: one citizen of Di Linh asks what the commune holds about them.

The request names the CCCD and phone of the applicant of one of the service desk's demo dossiers in Di Linh — one
the register of people knows too (outreach listed them), so its page finds records of several kinds; it was
received the day before the anchor, and is open.
"""

from datetime import timedelta

from civicdesk.geo.models import Commune
from civicdesk.kernel.actors import DEMO
from civicdesk.kernel.personal_data import PersonKey
from civicdesk.kernel.registry import registry
from civicdesk.servicedesk.models import Dossier, Status

from .models import RequestChannel, RequestKind, SubjectRequest
from .services.requests import record_request

DI_LINH = 25000
DETAIL = "Đề nghị cung cấp các thông tin cá nhân xã đang lưu về tôi (minh họa)."


def load(stdout, clock):
    commune = Commune.objects.filter(code=DI_LINH).first()
    if commune is None or SubjectRequest.objects.filter(commune=commune, detail=DETAIL).exists():
        return
    dossiers = list(
        Dossier.objects.filter(commune=commune, status=Status.RETURNED)
        .exclude(applicant_id_number="")
        .order_by("received_at", "pk")[:400]
    )
    if not dossiers:
        return
    people = registry.personal_data.get("community.person")
    dossier = next(
        (
            d
            for d in dossiers
            if people is not None and people.find(DEMO, PersonKey(id_number=d.applicant_id_number))
        ),
        dossiers[0],
    )
    request = record_request(
        DEMO,
        commune,
        {
            "kind": RequestKind.EXPORT,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "subject_name": dossier.applicant_name,
            "requester": "subject",
            "channel": RequestChannel.IN_PERSON,
            "received_at": clock.now - timedelta(hours=14),  # the day before the anchor, 10:00
            "detail": DETAIL,
        },
    )
    # Recorded when it was received, not when the demo was loaded (the demo reads no wall clock).
    request.steps.update(at=request.received_at)
    if stdout is not None:
        stdout.write("    privacy: 1 yêu cầu cung cấp dữ liệu cá nhân (Di Linh)\n")
