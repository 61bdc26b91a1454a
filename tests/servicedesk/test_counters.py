"""The daily and monthly counters always equal a recount of the dossier rows, for any period.

Hand-made data (seeded, so a failure is reproducible): dossiers in two communes over three months, then moved
through the real services (supplement requests, results, ratings, an import that moves dossiers to another
commune and day), and every KPI compared with a recount from the rows for random periods.
"""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import Count, Q

from civicdesk.servicedesk import kpi, services
from civicdesk.servicedesk.models import CommuneDayFieldStat, CommuneDayStat, CommuneMonthStat, Dossier
from tests.factories import SYSTEM
from tests.handbook.factories import FieldFactory, ProcedureFactory

from .factories import DossierFactory, vn

FIRST, LAST = date(2025, 6, 1), date(2025, 8, 31)
CHANNELS = ("truc_tiep", "truc_tuyen", "truc_tuyen_ho_tro", "buu_chinh", "luu_dong")


@pytest.fixture
def dossiers(di_linh, cam_ly, khai_sinh):
    rng = random.Random(766)
    land = ProcedureFactory(code="DD-001", field=FieldFactory(code="dat_dai", name="Đất đai"))
    made = []
    for n in range(70):
        day = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
        # Some receipts late in the evening local time: their UTC date is the day before or the same.
        received = vn(day.year, day.month, day.day, rng.choice((0, 8, 10, 15, 23)), rng.choice((0, 30)))
        due = received + timedelta(days=rng.choice((1, 3, 5))) if rng.random() < 0.9 else None
        finished = received + timedelta(hours=rng.uniform(1, 200)) if rng.random() < 0.6 else None
        made.append(
            DossierFactory(
                commune=di_linh if n % 3 else cam_ly,
                procedure=rng.choice((khai_sinh, khai_sinh, land, land, None)),
                received_at=received,
                due_at=due,
                finished_at=finished,
                is_on_time=None if finished is None or due is None else finished <= due,
                working_days_taken=None if finished is None else round(rng.uniform(0.1, 9), 2),
                channel=rng.choice(CHANNELS),
                supplement_count=rng.choice((0, 0, 0, 1, 2)),
                rating=rng.choice((None, None, 1, 3, 4, 5)) if finished else None,
                status="done" if finished else "processing",
                documents_digitised=rng.random() < 0.5,
                result_electronic=rng.random() < 0.5,  # on an open dossier too: only finished ones count
            )
        )
    return made


def _random_periods(rng, count):
    periods = [(FIRST, LAST), (date(2025, 7, 1), date(2025, 7, 31)), (date(2025, 8, 31), date(2025, 8, 31))]
    while len(periods) < count:
        a = FIRST - timedelta(days=5) + timedelta(days=rng.randrange(100))
        b = a + timedelta(days=rng.randrange(80))
        periods.append((a, b))
    return periods


def _field_counts_from_rows(commune, date_from, date_to):
    rows = (
        Dossier.objects.filter(
            commune=commune, received_date__gte=date_from, received_date__lte=date_to, procedure__isnull=False
        )
        .values("procedure__field__code")
        .annotate(
            received=Count("id"),
            finished=Count("id", filter=Q(finished_at__isnull=False)),
            on_time=Count("id", filter=Q(is_on_time=True)),
            supplemented=Count("id", filter=Q(supplement_count__gte=1)),
            digitised=Count("id", filter=Q(documents_digitised=True)),
            result_electronic=Count("id", filter=Q(finished_at__isnull=False, result_electronic=True)),
        )
        .order_by()
    )
    return {row.pop("procedure__field__code"): row for row in rows}


def _recount(date_from, date_to, *, province_id=None, commune_ids=None):
    """The counters straight from the dossier rows: what the stored counters must always equal."""
    rows = Dossier.objects.filter(received_date__gte=date_from, received_date__lte=date_to)
    if province_id is not None:
        rows = rows.filter(province_id=province_id)
    if commune_ids is not None:
        rows = rows.filter(commune_id__in=commune_ids)
    return kpi.add(kpi.empty(), rows.aggregate(**kpi.dossier_aggregates()))


def assert_counters_match_rows(lam_dong, communes, seed, count=40):
    rng = random.Random(seed)
    for date_from, date_to in _random_periods(rng, count):
        for scope in ({"province_id": lam_dong.pk}, {"commune_ids": [c.pk for c in communes[:1]]}):
            fast = kpi.total(date_from, date_to, **scope)
            slow = _recount(date_from, date_to, **scope)
            assert {k: fast[k] for k in kpi.COUNTERS} == {k: slow[k] for k in kpi.COUNTERS}, (
                date_from,
                date_to,
            )
            assert fast["working_days_sum"] == pytest.approx(slow["working_days_sum"])
            assert kpi.rates(fast) == kpi.rates(slow)
        assert kpi.field_counts(communes[0].pk, date_from, date_to) == _field_counts_from_rows(
            communes[0], date_from, date_to
        )
        by_commune = kpi.counts_by("commune_id", date_from, date_to, province_id=lam_dong.pk)
        for commune in communes:
            slow = _recount(date_from, date_to, commune_ids=[commune.pk])
            fast = by_commune.get(commune.pk, kpi.empty())
            assert fast["received"] == slow["received"] and fast["on_time"] == slow["on_time"]
            assert fast["rated"] == slow["rated"] and fast["timed"] == slow["timed"]


def test_counters_equal_a_recount_for_random_periods(dossiers, lam_dong, di_linh, cam_ly):
    assert len({d.received_date for d in dossiers}) > 40
    assert_counters_match_rows(lam_dong, [di_linh, cam_ly], seed=1)


def test_monthly_series_of_a_partial_period_matches_the_rows(dossiers, di_linh):
    date_from, date_to = date(2025, 6, 12), date(2025, 8, 20)
    series = dict(kpi.monthly_series(date_from, date_to, commune_ids=[di_linh.pk]))
    for month, (lo, hi) in {
        date(2025, 6, 1): (date_from, date(2025, 6, 30)),
        date(2025, 7, 1): (date(2025, 7, 1), date(2025, 7, 31)),
        date(2025, 8, 1): (date(2025, 8, 1), date_to),
    }.items():
        assert series[month] == kpi.rates(_recount(lo, hi, commune_ids=[di_linh.pk]))


@time_machine.travel(vn(2025, 9, 1, 9), tick=False)
def test_counters_follow_transitions_ratings_and_imports(dossiers, lam_dong, di_linh, cam_ly, alice):
    rng = random.Random(5)
    mine = [d for d in dossiers if d.commune_id == di_linh.pk and d.status == "processing"]
    for dossier in mine[:12]:
        if rng.random() < 0.5:
            services.request_supplement(alice, dossier, reason_category="missing_document", items=["Tờ khai"])
            services.resume_processing(alice, Dossier.objects.get(pk=dossier.pk))
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.due_at is None or dossier.due_at > dossier.received_at + timedelta(hours=1):
            services.mark_done(alice, dossier, finished_at=dossier.received_at + timedelta(hours=1))
            services.return_result(
                alice, Dossier.objects.get(pk=dossier.pk)
            )  # the survey opens once returned
            services.rate_dossier(Dossier.objects.get(pk=dossier.pk), stars=rng.choice((2, 4, 5)))
    # An import moves two dossiers to the other commune and to another day, and adds one.
    moved = [d for d in dossiers if d.commune_id == di_linh.pk][:2]
    header = (
        "code,commune_code,procedure_code,procedure_name,channel,received_at,due_at,finished_at,"
        "returned_at,status,supplement_requests,rating\n"
    )
    lines = [
        f"{d.code},24787,HT-001,,truc_tuyen,2025-07-0{i + 2}T09:00:00+07:00,,,,processing,0,\n"
        for i, d in enumerate(moved)
    ]
    lines.append("NEW-1,25000,HT-001,,truc_tiep,2025-06-30T16:00:00+07:00,,,,processing,1,\n")
    assert services.import_dossiers(SYSTEM, header + "".join(lines)).ok
    assert_counters_match_rows(lam_dong, [di_linh, cam_ly], seed=2)


def test_a_full_rebuild_gives_the_same_rows(dossiers, lam_dong):
    def snapshot(model, key):
        fields = [key, "commune_id", *kpi.COUNTERS]
        return sorted(model.objects.values_list(*fields))

    days, months = snapshot(CommuneDayStat, "day"), snapshot(CommuneMonthStat, "month")
    fields = sorted(
        CommuneDayFieldStat.objects.values_list("commune_id", "day", "field_id", *kpi.FIELD_COUNTERS)
    )
    assert {f[2] for f in fields} == set(
        Dossier.objects.exclude(procedure=None).values_list("procedure__field", flat=True)
    )
    for model in (CommuneDayStat, CommuneDayFieldStat, CommuneMonthStat):
        model.objects.all().delete()
    services.rebuild_all_stats()
    assert snapshot(CommuneDayStat, "day") == days and snapshot(CommuneMonthStat, "month") == months
    assert (
        sorted(CommuneDayFieldStat.objects.values_list("commune_id", "day", "field_id", *kpi.FIELD_COUNTERS))
        == fields
    )
    # Day rows exist only for days with dossiers; month rows are the sums of their days.
    assert len(days) == Dossier.objects.values("commune_id", "received_date").distinct().count()
    for month in CommuneMonthStat.objects.all():
        day_sum = kpi.counts_by(
            "commune_id", month.month, kpi.month_end(month.month), commune_ids=[month.commune_id]
        )
        assert day_sum[month.commune_id]["received"] == month.received


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_results_are_all_counted(alice, di_linh, khai_sinh):
    """Six results recorded at the same instant for dossiers of one commune and day: all six are counted."""
    import threading

    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite serialises every write, so there is no race to test.")
    made = [
        DossierFactory(
            commune=di_linh, procedure=khai_sinh, received_at=vn(2025, 10, 6, 9, i), status="processing"
        )
        for i in range(6)
    ]
    barrier = threading.Barrier(len(made))
    errors = []

    def finish(dossier):
        try:
            barrier.wait(timeout=10)
            services.mark_done(alice, dossier, finished_at=vn(2025, 10, 7, 9))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=finish, args=(d,)) for d in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert CommuneDayStat.objects.get(commune=di_linh, day=date(2025, 10, 6)).finished == 6
    assert CommuneMonthStat.objects.get(commune=di_linh, month=date(2025, 10, 1)).finished == 6
