"""A trip of the mobile team: planned on the page, routed between the hamlets (OR-Tools), shown with its order,
times, distance and the hamlets the day cannot fit. Hamlets on a line east of the centre, 0.02° of longitude apart
(about 2.2 km; with the road factor 1.4 at 30 km/h, about 6–7 minutes a leg)."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from civicdesk.mobile import services
from civicdesk.mobile.models import Trip
from tests.factories import HamletFactory


@pytest.fixture
def hamlets(cat_tien):
    cat_tien.lat, cat_tien.lon = 11.60, 107.35
    cat_tien.save()
    return {
        name: HamletFactory(commune=cat_tien, name=name, lat=11.60, lon=107.35 + 0.02 * i)
        for i, name in enumerate(["Thôn 1", "Thôn 2", "Thôn 3"], start=1)
    }


def _stop(hamlet, start, end, minutes=60):
    return {"hamlet": hamlet, "window_start": start, "window_end": end, "service_minutes": minutes}


def test_the_route_follows_the_windows_not_the_map(mai, cat_tien, hamlets):
    # Thôn 3 (the farthest) gathers its people first: the route goes there first, then comes back west.
    trip = services.plan_trip(
        mai, cat_tien, day=date(2026, 3, 5), title="Ba thôn phía đông", leave_at=time(7, 30), back_by=time(17, 0),
        stops=[_stop(hamlets["Thôn 1"], time(13, 0), time(16, 0)), _stop(hamlets["Thôn 2"], time(10, 0), time(12, 0)),
               _stop(hamlets["Thôn 3"], time(8, 0), time(9, 30))],
    )  # fmt: skip
    order = [s.hamlet.name for s in trip.stops.exclude(position=None).order_by("position")]
    assert order == ["Thôn 3", "Thôn 2", "Thôn 1"]
    arrivals = {s.hamlet.name: s.planned_arrival for s in trip.stops.all()}
    assert (
        arrivals["Thôn 3"] == time(8, 0)
        and arrivals["Thôn 2"] == time(10, 0)
        and arrivals["Thôn 1"] == time(13, 0)
    )
    assert 12 < trip.route_km < 20 and trip.route_minutes > 0


def test_a_hamlet_the_day_cannot_fit_is_left_out_with_its_reason(client_for, mai, cat_tien, hamlets):
    trip = services.plan_trip(
        mai, cat_tien, day=date(2026, 3, 5), title="Sáng sớm", leave_at=time(7, 30), back_by=time(17, 0),
        stops=[_stop(hamlets["Thôn 3"], time(7, 30), time(7, 40), 10), _stop(hamlets["Thôn 1"], time(8, 0), time(11, 0))],
    )  # fmt: skip
    left = trip.stops.get(hamlet=hamlets["Thôn 3"])
    assert left.position is None and left.left_out == "window_closed_before_reach"
    page = client_for(mai).get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert "Thôn chưa xếp được" in page and "đã quá giờ tập trung dân" in page and "<svg" in page


def test_bad_plans_are_refused_in_words(mai, cat_tien, hamlets, khai_sinh):
    bare = HamletFactory(commune=cat_tien, name="Thôn Mới")  # no coordinates yet
    with pytest.raises(ValidationError) as refused:
        services.plan_trip(
            mai, cat_tien, day=date(2026, 3, 2), title="", leave_at=time(7, 30), back_by=time(7, 0),
            stops=[_stop(bare, time(9, 0), time(8, 0))], procedure_codes=["XX-999"],
        )  # fmt: skip
    errors = refused.value.message_dict
    assert set(errors) == {"title", "day", "back_by", "stops", "procedure_codes"}
    assert any("Thôn Mới chưa có tọa độ" in e for e in errors["stops"])
    assert not Trip.objects.exists()


def test_the_team_plans_a_trip_on_the_page(client_for, mai, cat_tien, hamlets, khai_sinh):
    client = client_for(mai)
    page = client.get("/mobile/trips/new/")
    assert page.status_code == 200 and "Thôn 2" in page.content.decode()
    ids = [h.pk for h in hamlets.values()]
    data = {
        "title": "Thôn 1 và 2", "day": "2026-03-05", "leave_at": "07:30", "back_by": "17:00",
        "procedure_codes": ["HT-001"],
        "stops-TOTAL_FORMS": "3", "stops-INITIAL_FORMS": "3", "stops-MIN_NUM_FORMS": "0", "stops-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, pk in enumerate(ids):
        data |= {f"stops-{i}-hamlet": pk, f"stops-{i}-window_start": "08:00", f"stops-{i}-window_end": "11:00",
                 f"stops-{i}-service_minutes": "45"}  # fmt: skip
    data |= {"stops-0-include": "on", "stops-1-include": "on"}
    # A title with an invisible character: refused, and everything typed stays.
    refused = client.post("/mobile/trips/new/", {**data, "title": "Thôn\x071"})
    assert refused.status_code == 200 and "ký tự điều khiển" in refused.content.decode()
    assert 'value="08:00"' in refused.content.decode() and not Trip.objects.exists()
    done = client.post("/mobile/trips/new/", data, follow=True)
    trip = Trip.objects.get()
    assert done.redirect_chain[-1][0] == f"/mobile/trips/{trip.pk}/"
    assert trip.procedure_codes == ["HT-001"] and trip.stops.count() == 2
    assert "Thứ tự đi" in done.content.decode() and "Thôn 1" in done.content.decode()


def test_another_commune_cannot_see_the_trip(client_for, alice, mai, cat_tien, hamlets):
    trip = services.plan_trip(
        mai, cat_tien, day=date(2026, 3, 5), title="Thôn 1", leave_at=time(7, 30), back_by=time(17, 0),
        stops=[_stop(hamlets["Thôn 1"], time(8, 0), time(11, 0))],
    )  # fmt: skip
    assert client_for(alice).get(f"/mobile/trips/{trip.pk}/").status_code == 404
    own = client_for(alice).get("/mobile/trips/new/").content.decode()  # her own commune's form
    assert "Xã Di Linh" in own and "Thôn 1" not in own


def test_the_trip_report_counts_what_came_back_and_estimates_the_time_saved(
    client_for, tien, mai, cat_tien, hamlets, phone, khai_sinh
):
    import uuid

    from civicdesk.mobile.reports import trip_report
    from civicdesk.servicedesk.services import receive_dossier

    from .conftest import field_dossier, vn

    trip = services.plan_trip(
        mai, cat_tien, day=date(2026, 3, 3), title="Thôn 1", leave_at=time(7, 30), back_by=time(17, 0),
        stops=[_stop(hamlets["Thôn 1"], time(8, 0), time(11, 0))],
    )  # fmt: skip
    # One citizen also went to the centre on Monday: their dossier waits for the officer (a likely duplicate).
    receive_dossier(tien, commune=cat_tien, procedure=khai_sinh, present=[0, 1], applicant_name="Điểu K'Lang",
                    applicant_id_number="068190001234", applicant_phone="0912345678", channel="truc_tiep",
                    received_at=vn(2026, 3, 2, 8, 30))  # fmt: skip
    common = {"trip": trip.pk, "hamlet": hamlets["Thôn 1"].pk}
    services.sync_field_dossier(mai, uuid.uuid4(), field_dossier(phone, 1, **common))
    services.sync_field_dossier(
        mai, uuid.uuid4(), field_dossier(phone, 2, applicant_id_number="068190009999", **common)
    )
    services.sync_field_dossier(
        mai, uuid.uuid4(), field_dossier(phone, 3, applicant_id_number="068190008888", trip=trip.pk)
    )
    report = trip_report(trip)
    assert (report.taken, report.in_register, report.waiting, report.citizens) == (3, 2, 1, 3)
    # Thôn 1 is 0.02° of longitude east of the centre at 11.6° N: 2.18 km straight, 3.05 km by road, 7 minutes at
    # 30 km/h (rounded up) — a round trip each for the two dossiers with a hamlet; the third has none.
    assert report.km_saved == pytest.approx(12.2, abs=0.05) and report.minutes_saved == 28
    assert report.without_distance == 1 and report.by_hamlet == [("Thôn 1", 2), ("", 1)]
    page = client_for(tien).get(f"/mobile/trips/{trip.pk}/").content.decode()
    assert "Kết quả chuyến đi" in page and "12,2 km và 28 phút" in page
