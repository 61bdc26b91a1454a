"""Capacity and gaps: noi (Home Affairs) reviews and edits; everyone else is refused."""

import pytest

from civicdesk.core.models import AuditEvent
from civicdesk.staffing import services
from civicdesk.staffing.models import CapacityRecord, GapWeights, Need

from .factories import CapacityRecordFactory, NeedFactory

PLANNING_GETS = [
    "/staffing/gaps/",
    "/staffing/gaps/weights/",
    "/staffing/gaps/25000/",
    "/staffing/capacity/import/",
    "/staffing/capacity/export.csv",
    "/staffing/needs/",
    "/staffing/needs/import/",
    "/staffing/needs/export.csv",
    "/staffing/pool/",
    "/staffing/pool/new/",
    "/staffing/pool/import/",
    "/staffing/pool/quotas/import/",
    "/staffing/plans/",
    "/staffing/plans/compare/",
]
PLANNING_POSTS = [
    "/staffing/gaps/weights/",
    "/staffing/capacity/25000/ho_tich/",
    "/staffing/capacity/25000/ho_tich/override/",
    "/staffing/capacity/refresh/",
    "/staffing/needs/save/",
    "/staffing/needs/generate/",
    "/staffing/pool/quotas/",
    "/staffing/plans/",
]


@pytest.fixture
def capacity(di_linh, cam_ly):
    return [
        CapacityRecordFactory(commune=di_linh, field="ho_tich"),
        CapacityRecordFactory(
            commune=cam_ly,
            field="ho_tich",
            current_staff=4,
            avg_experience_years=8,
            dossiers_per_month=60,
            late_rate=0.01,
            supplement_rate=0.02,
            sla_breaches=0,
        ),
    ]


@pytest.mark.parametrize("user", ["alice", "linh", "charlie", "phap"])
def test_only_home_affairs_sees_or_edits_planning_data(request, client_for, user, capacity):
    client = client_for(request.getfixturevalue(user))
    for url in PLANNING_GETS:
        assert client.get(url).status_code == 403, url
    for url in PLANNING_POSTS:
        assert client.post(url, {"units": 5}).status_code == 403, url
    assert CapacityRecord.objects.get(commune__code=25000).override_score is None
    assert not Need.objects.exists()


def test_anonymous_is_sent_to_login(client):
    assert client.get("/staffing/gaps/").status_code == 302


def test_planner_reviews_gaps_with_components(client_for, noi, capacity):
    client = client_for(noi)
    html = client.get("/staffing/gaps/").content.decode()
    assert "Xã Di Linh" in html and "Khối lượng hồ sơ" in html and "Trễ hạn" in html
    # the weakest commune comes first
    assert html.index("Xã Di Linh") < html.index("Phường Cam Ly")
    partial = client.get("/staffing/gaps/", {"q": "Cam"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Phường Cam Ly" in partial and "Xã Di Linh" not in partial and "<html" not in partial
    assert client.get("/staffing/gaps/25000/").status_code == 200


def test_planner_of_another_province_cannot_open_our_commune(client_for, capacity, other_province_commune):
    from tests.factories import UserFactory

    other = UserFactory(role="home_affairs_planner", province=other_province_commune.province)
    assert client_for(other).get("/staffing/gaps/25000/").status_code == 404
    assert "Xã Di Linh" not in client_for(other).get("/staffing/gaps/").content.decode()


def test_tuning_weights_is_saved_and_audited(client_for, noi, capacity, lam_dong):
    client = client_for(noi)
    page = client.get("/staffing/gaps/weights/").content.decode()
    assert 'name="w_language"' in page and "Thiếu người nói tiếng dân tộc" in page
    response = client.post(
        "/staffing/gaps/weights/",
        {
            **{f: 1 for f in GapWeights.EDITABLE},
            "reference_load": 50,
            "need_threshold": 30,
            "max_units": 3,
            "w_language": 2.5,
        },
    )
    assert response.status_code == 302
    weights = GapWeights.objects.get(province=lam_dong)
    assert (weights.reference_load, weights.need_threshold, weights.max_units) == (50, 30, 3)
    assert weights.w_language == 2.5
    event = AuditEvent.objects.get(object_type="staffing.gapweights", actor=noi)
    assert event.changes["w_language"] == [1.0, 2.5]
    assert (
        client.post(
            "/staffing/gaps/weights/", {**{f: 1 for f in GapWeights.EDITABLE}, "w_language": -1}
        ).status_code
        == 400
    )


def test_a_commune_without_language_data_shows_a_dash_and_keeps_its_score(client_for, noi, capacity):
    from civicdesk.staffing import scoring

    record = capacity[0]
    html = client_for(noi).get("/staffing/gaps/25000/").content.decode()
    assert "Thiếu người nói tiếng dân tộc" in html and ">—</span>" in html
    before = scoring.gap(record, scoring.Weights()).computed
    record.language_gap = 1.0
    record.save()
    html = client_for(noi).get("/staffing/gaps/25000/").content.decode()
    assert ">—</span>" not in html
    assert scoring.gap(record, scoring.Weights()).computed > before


def test_override_needs_a_reason_and_keeps_what_was_typed(client_for, noi, capacity):
    client = client_for(noi)
    bad = client.post("/staffing/capacity/25000/ho_tich/override/", {"o-ho_tich-override_score": "95"})
    assert (
        bad.status_code == 400
        and "Cần ghi lý do" in bad.content.decode()
        and 'value="95' in bad.content.decode()
    )
    ok = client.post(
        "/staffing/capacity/25000/ho_tich/override/",
        {"o-ho_tich-override_score": "95", "o-ho_tich-override_reason": "Công chức hộ tịch nghỉ sinh"},
    )
    assert ok.status_code == 302
    record = CapacityRecord.objects.get(commune__code=25000, field="ho_tich")
    assert record.override_score == 95 and "nghỉ sinh" in record.override_reason
    assert AuditEvent.objects.filter(
        object_type="staffing.capacityrecord", reason__contains="nghỉ sinh"
    ).exists()


def test_capacity_edit_in_the_app(client_for, noi, capacity):
    data = {
        f"ho_tich-{f}": v
        for f, v in [
            ("current_staff", 3),
            ("avg_experience_years", 6),
            ("dossiers_per_month", 90),
            ("hotline_questions", 5),
            ("late_rate", 0.05),
            ("supplement_rate", 0.1),
            ("sla_breaches", 1),
        ]
    }
    assert client_for(noi).post("/staffing/capacity/25000/ho_tich/", data).status_code == 302
    assert CapacityRecord.objects.get(commune__code=25000, field="ho_tich").current_staff == 3
    bad = client_for(noi).post("/staffing/capacity/25000/ho_tich/", {**data, "ho_tich-late_rate": "2"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()


CSV_OK = "commune_code,field,current_staff,dossiers_per_month,late_rate\n25000,dat_dai,0,150,0.2\n24787,cntt,2,30,0.01\n"
CSV_BAD = (
    "commune_code,field,current_staff,late_rate\n25000,dat_dai,0,0.2\n99999,ho_tich,1,0.1\n24787,thue,1,1.5\n"
)


def test_capacity_csv_is_all_or_nothing_with_line_numbers(client_for, noi, di_linh, cam_ly):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(noi)
    bad = client.post("/staffing/capacity/import/", {"file": SimpleUploadedFile("c.csv", CSV_BAD.encode())})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert (
        "Dòng 3, cột commune_code" in html and "Dòng 4, cột field" in html and "Dòng 4, cột late_rate" in html
    )
    assert not CapacityRecord.objects.exists()
    ok = client.post(
        "/staffing/capacity/import/", {"file": SimpleUploadedFile("c.csv", CSV_OK.encode("utf-8-sig"))}
    )
    assert ok.status_code == 302
    assert CapacityRecord.objects.get(commune=di_linh, field="dat_dai").source == "csv"
    export = client.get("/staffing/capacity/export.csv").content.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("commune_code,field,current_staff") and "24787,cntt,2" in export


def test_needs_table_from_gaps_keeps_manual_rows(noi, capacity, di_linh, cam_ly):
    NeedFactory(commune=cam_ly, field="ho_tich", units=3, priority=1, origin="manual")
    created, _updated, _deleted = services.generate_needs(noi, di_linh.province)
    assert created == 1
    generated = Need.objects.get(commune=di_linh, field="ho_tich")
    assert generated.origin == "gap" and generated.units >= 1 and generated.gap_score >= 40
    assert Need.objects.get(commune=cam_ly).units == 3  # the planner's row is untouched
    # a better commune loses its generated row when regenerated
    CapacityRecord.objects.filter(commune=di_linh).update(
        dossiers_per_month=1,
        late_rate=0,
        supplement_rate=0,
        sla_breaches=0,
        avg_experience_years=9,
        current_staff=5,
    )
    services.generate_needs(noi, di_linh.province)
    assert not Need.objects.filter(commune=di_linh).exists()


def test_planner_edits_and_imports_needs(client_for, noi, di_linh, cam_ly):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(noi)
    assert (
        client.post(
            "/staffing/needs/save/", {"commune_code": 25000, "field": "ho_tich", "units": 2, "priority": 5}
        ).status_code
        == 302
    )
    bad = client.post(
        "/staffing/needs/save/", {"commune_code": 26734, "field": "ho_tich", "units": 2, "priority": 9}
    )
    assert bad.status_code == 400 and 'value="26734"' in bad.content.decode()
    csv_bad = "commune_code,field,units,priority\n25000,ho_tich,1,6\n24787,cntt,,2\n"
    report = client.post("/staffing/needs/import/", {"file": SimpleUploadedFile("n.csv", csv_bad.encode())})
    assert (
        "Dòng 2, cột priority" in report.content.decode() and "Dòng 3, cột units" in report.content.decode()
    )
    assert Need.objects.get(commune=di_linh).units == 2
    csv_ok = "commune_code,field,units,priority\n25000,ho_tich,0,1\n24787,cntt,1,4\n"
    assert (
        client.post(
            "/staffing/needs/import/", {"file": SimpleUploadedFile("n.csv", csv_ok.encode())}
        ).status_code
        == 302
    )
    assert list(Need.objects.values_list("commune__code", "field", "units", "priority", "origin")) == [
        (24787, "cntt", 1, 4, "csv")
    ]
    page = client.get("/staffing/needs/").content.decode()
    assert "Phường Cam Ly" in page
    assert (
        client.get("/staffing/needs/export.csv").content.decode("utf-8-sig").splitlines()[1]
        == "24787,cntt,1,4"
    )


def test_refresh_uses_servicedesk_and_hotline_when_they_answer(monkeypatch, noi, capacity, di_linh):
    from datetime import date

    from civicdesk.hotline.queries import CommuneTicketStats
    from civicdesk.servicedesk.queries import CommuneKpis
    from civicdesk.staffing import signals_in

    monkeypatch.setattr(
        signals_in,
        "commune_kpis",
        lambda c, a, b: (
            CommuneKpis(received=300, finished=250, on_time=200, supplemented=75) if c.code == 25000 else None
        ),
    )
    monkeypatch.setattr(
        signals_in,
        "hotline_stats",
        lambda c, a, b: CommuneTicketStats(questions=30, sla_breaches=3) if c.code == 25000 else None,
    )
    changed = services.refresh_signals(noi, di_linh.province, since=date(2026, 1, 1), until=date(2026, 3, 31))
    assert changed == 1
    record = CapacityRecord.objects.get(commune=di_linh)
    months = 90 / 30.44
    assert record.source == "servicedesk" and record.late_rate == pytest.approx(0.2)
    assert record.dossiers_per_month == pytest.approx(round(300 / months, 1))
    assert record.hotline_questions == pytest.approx(round(30 / months, 2))
    # Cam Ly had no signal: its manual figures stay
    assert CapacityRecord.objects.get(commune__code=24787).source == "manual"


def test_refresh_button_runs_as_a_job(client_for, noi, capacity, django_capture_on_commit_callbacks):
    from civicdesk.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(noi).post("/staffing/capacity/refresh/")
    job = Job.objects.get(kind="staffing.refresh")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.result["url"] == "/staffing/gaps/"


@pytest.fixture
def k_ho_speakers(settings, di_linh):
    """Di Linh: 2,000 people speak K'Ho in one hamlet (two speakers needed at one per 1,000), one official speaks it:
    a language gap of 0.5. Cam Ly has no language data."""
    from civicdesk.community.models import Person, PersonLanguage
    from civicdesk.geo.models import HamletLanguage
    from tests.factories import HamletFactory

    settings.COMMUNITY_PEOPLE_PER_SPEAKER = 1000
    hamlet = HamletFactory(commune=di_linh, name="Thôn 2")
    HamletLanguage.objects.create(hamlet=hamlet, code="kpm", population=2000)
    official = Person.objects.create(
        kind="official", province=di_linh.province, commune=di_linh, full_name="K'Brơi Thị Hoa"
    )
    PersonLanguage.objects.create(person=official, code="kpm", listening=4, speaking=4)


def test_refresh_sets_the_language_gap_from_community(noi, capacity, di_linh, cam_ly, k_ho_speakers):
    from datetime import date

    from civicdesk.staffing import scoring

    weights = scoring.Weights()
    before = {r.commune_id: scoring.gap(r, weights).computed for r in CapacityRecord.objects.all()}
    changed = services.refresh_signals(noi, di_linh.province, since=date(2026, 1, 1), until=date(2026, 3, 31))
    assert changed == 1
    di_linh_record = CapacityRecord.objects.get(commune=di_linh)
    cam_ly_record = CapacityRecord.objects.get(commune=cam_ly)
    assert di_linh_record.language_gap == pytest.approx(0.5)
    assert cam_ly_record.language_gap is None
    # No dossier nor ticket in the period: the figures and their source stay; only the language gap came in.
    assert di_linh_record.source == "manual" and di_linh_record.late_rate == 0.3
    event = AuditEvent.objects.get(object_type="staffing.capacityrecord", object_id=str(di_linh_record.pk))
    assert event.reason == "community" and event.changes["language_gap"] == [None, 0.5]
    # Di Linh's score takes the gap in; Cam Ly's is exactly what it was.
    assert scoring.gap(di_linh_record, weights).computed != before[di_linh.pk]
    assert scoring.gap(di_linh_record, weights).components["language"] == pytest.approx(0.5)
    assert scoring.gap(cam_ly_record, weights).computed == before[cam_ly.pk]
    # A second refresh with nothing new changes nothing.
    assert (
        services.refresh_signals(noi, di_linh.province, since=date(2026, 1, 1), until=date(2026, 3, 31)) == 0
    )


def test_refresh_clears_a_language_gap_community_no_longer_has(noi, capacity, di_linh):
    from datetime import date

    CapacityRecord.objects.filter(commune=di_linh).update(language_gap=0.7)
    assert (
        services.refresh_signals(noi, di_linh.province, since=date(2026, 1, 1), until=date(2026, 3, 31)) == 1
    )
    assert CapacityRecord.objects.get(commune=di_linh).language_gap is None


def test_refresh_reads_the_language_gaps_once_and_sets_every_field(monkeypatch, noi, di_linh, cam_ly):
    from datetime import date

    from civicdesk.staffing import signals_in

    for field in ("ho_tich", "dat_dai", "cntt"):
        CapacityRecordFactory(commune=di_linh, field=field)
    CapacityRecordFactory(commune=cam_ly, field="ho_tich")
    calls = []

    def gaps(province):
        calls.append(province.code)
        return {25000: 0.25}

    monkeypatch.setattr(signals_in, "language_gaps", gaps)
    services.refresh_signals(noi, di_linh.province, since=date(2026, 1, 1), until=date(2026, 3, 31))
    assert calls == [68]
    assert set(CapacityRecord.objects.filter(commune=di_linh).values_list("language_gap", flat=True)) == {
        0.25
    }
    assert CapacityRecord.objects.get(commune=cam_ly).language_gap is None
