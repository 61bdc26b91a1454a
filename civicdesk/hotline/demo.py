"""Hotline demo for Lâm Đồng: teams, routing rules, SLA policies, canned replies and a few tickets in every state
for Xã Di Linh, Phường Cam Ly - Đà Lạt and Xã Cát Tiên 3. Idempotent: configuration is created once, tickets
only when the province has none."""

from datetime import timedelta

from django.db import transaction
from django.test import override_settings

from civicdesk.core.models import User
from civicdesk.core.workcal import get_calendar
from civicdesk.geo.models import Province
from civicdesk.handbook.fields import ensure_fields
from civicdesk.handbook.models import Procedure
from civicdesk.kernel.actors import DEMO

from . import services
from .models import CannedResponse, RoutingRule, SlaPolicy, Team, Ticket
from .models.teams import DEFAULT_SLA

PROVINCE_CODE = 68
# Field → working group (the rest go to the field's default department, e.g. hộ tịch → Sở Tư pháp).
GROUP_RULES = {
    "cu_tru": "ho-tich-cu-tru",
    "dat_dai": "dat-dai-xay-dung",
    "xay_dung": "dat-dai-xay-dung",
    "chuyen_doi_so": "chuyen-doi-so",
    "bao_tro_xa_hoi": "an-sinh-xa-hoi",
    "nguoi_co_cong": "an-sinh-xa-hoi",
}
CANNED = {
    "tu-phap": [
        (
            "Đề nghị bổ sung thông tin",
            "Để trả lời chính xác, đề nghị xã cho biết thêm: giấy tờ người yêu cầu đã nộp, tình huống cụ thể "
            "và bước đang vướng. Không gửi số định danh cá nhân của người dân qua đường dây nóng.",
        ),
        (
            "Tra cứu thủ tục trong cẩm nang",
            "Trình tự, thành phần hồ sơ và thời hạn giải quyết của thủ tục này có trong Cẩm nang nghiệp vụ "
            "(mục Hộ tịch). Xã đối chiếu hồ sơ với danh mục thành phần hồ sơ; vướng ở bước nào xin trao đổi tiếp.",
        ),
    ]
}


def _at(clock, days_ago, hour=8, minute=0):
    """An office-hours instant about `days_ago` calendar days before the demo's now (further back over weekends
    and holidays)."""
    now = clock.now
    calendar = get_calendar()
    while True:
        moment = (now - timedelta(days=days_ago)).replace(hour=hour, minute=minute, second=0, microsecond=0)
        moment = calendar.next_working_instant(moment)
        if moment < now - timedelta(hours=1):
            return moment
        days_ago += 1


def _later(clock, moment, hours):
    """`hours` of office time after `moment`, but never after the demo's now (the anchor may be a Monday)."""
    return min(get_calendar().add_working_hours(moment, hours), clock.now - timedelta(minutes=10))


def load(stdout, clock):
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        return
    # The console backend would print every notification of the demo tickets; the demo sends none.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        fields = ensure_fields()
        _configure(province, fields)
        if not Ticket.objects.filter(province=province).exists():
            _tickets(province, fields, clock)


def _configure(province, fields):
    services.ensure_teams(DEMO, province)
    teams = {t.department.code: t for t in Team.objects.filter(province=province, department__isnull=False)}
    teams.update(
        {t.working_group.code: t for t in Team.objects.filter(province=province, working_group__isnull=False)}
    )
    expert = User.objects.filter(username="tuphap.chuyenvien").first()
    tu_phap = teams.get("tu-phap")
    if tu_phap and expert and tu_phap.leader_id is None:
        # Sở Tư pháp puts its hotline expert on the rota; colleagues (e.g. staff in the secondment pool) still see
        # and answer the team's questions but are not assigned new ones automatically.
        services.update_team(DEMO, tu_phap, strategy=Team.Strategy.ROUND_ROBIN, leader=expert, rota=[expert])
    for field_code, group_code in GROUP_RULES.items():
        if (
            group_code in teams
            and not RoutingRule.objects.filter(province=province, field=fields[field_code]).exists()
        ):
            services.set_routing_rule(
                DEMO, province=province, field=fields[field_code], team=teams[group_code]
            )
    for urgency, (first, resolution, warn) in DEFAULT_SLA.items():
        if not SlaPolicy.objects.filter(province=province, urgency=urgency).exists():
            services.set_sla_policy(
                DEMO,
                province=province,
                urgency=urgency,
                first_response_hours=first,
                resolution_hours=resolution,
                warn_percent=warn,
            )
    for dept_code, replies in CANNED.items():
        team = teams.get(dept_code)
        for title, body in replies:
            if team and not CannedResponse.objects.filter(team=team, title=title).exists():
                services.save_canned_response(DEMO, team=team, title=title, body=body)


def _tickets(province, fields, clock):
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    dilinh, camly, cattien = users.get("dilinh.canbo"), users.get("camly.canbo"), users.get("cattien3.canbo")
    phap, lam, noi, operator = (
        users.get("tuphap.chuyenvien"),
        users.get("nnmt.chuyenvien"),
        users.get("noivu.chuyenvien"),
        users.get("tongdai.vien"),
    )
    if not all([dilinh, camly, cattien, phap, lam, operator]):
        return

    # 1. Di Linh, civil status: answered, accepted and rated — ready to become a handbook FAQ.
    start = _at(clock, 9, 8, 10)
    t = services.create_ticket(
        dilinh,
        title="Đăng ký khai sinh cho trẻ có cha là người nước ngoài, mẹ là người K'Ho",
        body="Chị H'Nga (thôn Đồng Lạc) sinh con tại Trạm y tế xã; cha của bé là người nước ngoài, hai người chưa "
        "đăng ký kết hôn. Xã có thẩm quyền đăng ký khai sinh không, và ghi phần khai về người cha thế nào?",
        field=fields["ho_tich"],
        now=start,
    )
    procedure = Procedure.objects.published().filter(field=fields["ho_tich"]).first()
    if procedure:
        services.link_record(phap, t, procedure, now=_later(clock, start, 2))
    services.reply(
        phap,
        t,
        "Từ ngày 01/7/2025, việc đăng ký khai sinh có yếu tố nước ngoài thuộc thẩm quyền của UBND cấp xã nơi cư "
        "trú của người mẹ. Khi cha mẹ chưa đăng ký kết hôn, phần khai về người cha chỉ ghi khi có thủ tục nhận "
        "cha con (có thể kết hợp cùng lúc với đăng ký khai sinh nếu người cha có mặt và có giấy tờ chứng minh "
        "quan hệ cha con). Xã đối chiếu thành phần hồ sơ theo thủ tục trong Cẩm nang nghiệp vụ.",
        now=_later(clock, start, 3),
    )
    services.resolve(dilinh, t, now=_later(clock, start, 5))
    services.rate(
        dilinh, t, score=5, reason="Trả lời rõ, có dẫn thủ tục trong cẩm nang.", now=_later(clock, start, 5.5)
    )

    # 2. Di Linh, certification: assigned, never answered — overdue, the SLA check escalates it.
    start = _at(clock, 6, 14, 0)
    services.create_ticket(
        dilinh,
        title="Chứng thực bản sao giấy tờ do cơ quan nước ngoài cấp",
        body="Người dân đề nghị chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp, chưa hợp pháp "
        "hóa lãnh sự. Xã có được chứng thực không?",
        field=fields["chung_thuc"],
        urgency="high",
        now=start,
    )

    # 3. Di Linh, land: the group asks the commune for information (clock paused).
    start = _at(clock, 4, 9, 30)
    t = services.create_ticket(
        dilinh,
        title="Cấp giấy chứng nhận lần đầu cho hộ đồng bào K'Ho không có giấy tờ về đất",
        body="Hộ ông K'Brũ sử dụng đất ổn định từ trước năm 2004, không có giấy tờ, đất nằm giáp hành lang suối. "
        "Xã cần xác nhận những nội dung gì?",
        field=fields["dat_dai"],
        now=start,
    )
    services.reply(
        lam,
        t,
        "Đề nghị xã gửi bổ sung: sơ đồ thửa đất, biên bản xác minh nguồn gốc và thời điểm sử dụng đất, ý kiến "
        "của khu dân cư, và cho biết phần diện tích nằm trong hành lang bảo vệ nguồn nước (nếu có).",
        then="waiting",
        now=_later(clock, start, 4),
    )

    # 4. Cam Ly, civil status: answered, waiting for the ward to confirm.
    start = _at(clock, 2, 10, 0)
    t = services.create_ticket(
        camly,
        title="Đăng ký kết hôn có yếu tố nước ngoài tại phường: có phải phỏng vấn không?",
        body="Công dân phường đăng ký kết hôn với người nước ngoài. Phường có phải tổ chức phỏng vấn hai bên không, "
        "và trao giấy chứng nhận kết hôn thế nào?",
        field=fields["ho_tich"],
        now=start,
    )
    services.reply(
        phap,
        t,
        "Phường kiểm tra hồ sơ và xác minh khi cần làm rõ nhân thân, sự tự nguyện kết hôn; không bắt buộc "
        "phỏng vấn mọi trường hợp. Khi trao giấy chứng nhận kết hôn, hai bên phải có mặt. Chi tiết trình tự "
        "xem thủ tục đăng ký kết hôn có yếu tố nước ngoài trong Cẩm nang nghiệp vụ.",
        now=_later(clock, start, 2),
    )

    # 5. Cam Ly, digital services: the group has no member on CivicDesk yet — unassigned, overdue.
    start = _at(clock, 5, 15, 0)
    services.create_ticket(
        camly,
        title="Không ký số được trên hệ thống một cửa điện tử",
        body="Từ sáng nay cán bộ một cửa phường không ký số được văn bản trả kết quả, hệ thống báo lỗi chứng thư.",
        field=fields["chuyen_doi_so"],
        urgency="urgent",
        now=start,
    )

    # 6. Cát Tiên 3, social assistance: new, assigned to the Home Affairs member of the working group.
    if noi:
        services.create_ticket(
            cattien,
            title="Hồ sơ trợ cấp xã hội hằng tháng cho người cao tuổi sống một mình",
            body="Cụ bà 82 tuổi ở thôn 3 sống một mình, không có lương hưu. Xã lập hồ sơ trợ cấp hằng tháng cần "
            "những giấy tờ gì và ai ký xác nhận?",
            field=fields["bao_tro_xa_hoi"],
            now=_at(clock, 0, 8, 0),
        )

    # 7. Cát Tiên 3, a phone call logged by the operator (residence → the civil status and residence group).
    caller = services.create_ticket(
        operator,
        commune=cattien.commune,
        requester=cattien,
        title="Đăng ký thường trú cho người từ tỉnh khác chuyển đến ở nhờ nhà người thân",
        body="Cán bộ xã gọi hỏi: người ở nhờ nhà người thân cần giấy tờ gì để đăng ký thường trú, xã hướng dẫn "
        "người dân nộp ở đâu.",
        field=fields["cu_tru"],
        now=_at(clock, 1, 9, 0),
    )
    services.reply(
        phap,
        caller,
        "Đăng ký cư trú do Công an cấp xã thực hiện; xã hướng dẫn người dân nộp hồ sơ tại Công an xã hoặc trực "
        "tuyến qua Cổng dịch vụ công, VNeID. Giấy tờ chứng minh chỗ ở hợp pháp và ý kiến đồng ý của chủ hộ là "
        "phần người dân hay thiếu.",
        then="resolved",
        now=_later(clock, _at(clock, 1, 9, 0), 1),
    )

    # 8. Di Linh, no field chosen: waits in the operator's triage queue.
    services.create_ticket(
        dilinh,
        title="Xin mẫu báo cáo tình hình tiếp nhận hồ sơ hằng tháng",
        body="Xã cần mẫu báo cáo tình hình tiếp nhận, giải quyết hồ sơ hằng tháng gửi về tỉnh.",
        urgency="low",
        now=_at(clock, 1, 14, 0),
    )
