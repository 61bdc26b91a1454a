from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from civicdesk.geo import services
from civicdesk.geo.models import Commune, Hamlet

from .base import answers

router = Router(tags=["geo"])


class CommuneOut(Schema):
    code: int
    name: str
    division_type: str
    province_code: int
    lat: float | None
    lon: float | None


class HamletIn(Schema):
    name: str
    kind: str = Hamlet.Kind.THON
    lat: float | None = None
    lon: float | None = None
    population: int | None = None


class HamletOut(Schema):
    id: int
    name: str
    kind: str
    lat: float | None
    lon: float | None
    population: int | None


def _commune_out(c):
    return {
        "code": c.code,
        "name": c.name,
        "division_type": c.division_type,
        "province_code": c.province.code,
        "lat": c.lat,
        "lon": c.lon,
    }


@router.get(
    "/communes", response=answers(list[CommuneOut], 422), summary="Đơn vị cấp xã mà người dùng được xem"
)
def list_communes(request, province: int | None = None):
    qs = Commune.objects.visible_to(request.user).select_related("province")
    if province:
        qs = qs.filter(province__code=province)
    return [_commune_out(c) for c in qs]


@router.get("/communes/{code}", response=answers(CommuneOut, 404, 422))
def get_commune(request, code: int):
    return _commune_out(
        get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), code=code)
    )


@router.get("/communes/{code}/hamlets", response=answers(list[HamletOut], 404, 422))
def list_hamlets(request, code: int):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), code=code)
    return list(commune.hamlets.all())


@router.post("/communes/{code}/hamlets", response=answers({201: HamletOut}, 400, 403, 404, 422))
def create_hamlet(request, code: int, payload: HamletIn):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), code=code)
    return Status(201, services.add_hamlet(request.user, commune, **payload.dict()))
