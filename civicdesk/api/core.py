from ninja import Router, Schema

from .base import answers

router = Router(tags=["core"])


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    province_code: int | None
    commune_code: int | None
    department: str | None


@router.get("/me", response=answers(MeOut), summary="Người dùng hiện tại")
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "province_code": user.province.code if user.province_id else None,
        "commune_code": user.commune.code if user.commune_id else None,
        "department": user.department.name if user.department_id else None,
    }
