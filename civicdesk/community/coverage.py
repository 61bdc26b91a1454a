"""Coverage: per commune, the minority population by language against the speakers who can serve it.

For each commune and each language other than Vietnamese spoken in its hamlets (geo.HamletLanguage, from the hamlet
CSV's `languages` column):

    population_L  = Σ over the commune's hamlets of the people speaking L
    speakers_L    = the commune's active officials and volunteers speaking L at oral level ≥ 2
                    (min of listening and speaking; a level not assessed counts, as the matching does)
    needed_L      = ⌈population_L / people_per_speaker⌉           (COMMUNITY_PEOPLE_PER_SPEAKER, default 1,000)
    gap_L         = max(0, needed_L − speakers_L) / needed_L        (0 = covered, 1 = nobody)

    gap           = Σ population_L · gap_L / Σ population_L          (0 with no minority population recorded)

`people_per_speaker` is a planning choice of the province, not a legal norm: one speaker per thousand people is the
default so that a hamlet of a few hundred K'Ho speakers needs one official who speaks K'Ho. Requests of the last
90 days for a language nobody in the commune speaks are listed beside the gap ("asked for, nobody to send").
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from civicdesk.geo.models import Commune, HamletLanguage
from civicdesk.kernel.languages import VIETNAMESE, language_name

from .models import Accompaniment, Person, PersonLanguage

MIN_ORAL_LEVEL = 2
RECENT_DAYS = 90


def people_per_speaker():
    return max(1, int(getattr(settings, "COMMUNITY_PEOPLE_PER_SPEAKER", 1000)))


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    population: int
    speakers: int
    certified: int
    needed: int
    requests: int
    unmet: int

    @property
    def name(self):
        return language_name(self.code)

    @property
    def gap(self):
        if self.needed <= 0:
            return 1.0 if self.requests and not self.speakers else 0.0
        return max(0, self.needed - self.speakers) / self.needed

    @property
    def lacking(self):
        return (
            max(0, self.needed - self.speakers)
            if self.needed
            else (1 if self.requests and not self.speakers else 0)
        )


@dataclass
class CommuneCoverage:
    commune: Commune
    languages: list = field(default_factory=list)

    @property
    def population(self):
        return sum(lang.population for lang in self.languages)

    @property
    def gap(self):
        """The population-weighted gap, 0–1; a commune whose only need shows in requests gets the requests' gap."""
        if self.population:
            return sum(lang.population * lang.gap for lang in self.languages) / self.population
        asked = [lang for lang in self.languages if lang.requests]
        return max((lang.gap for lang in asked), default=0.0)

    @property
    def lacking(self):
        """Languages the commune lacks speakers of, worst first."""
        return sorted(
            (lang for lang in self.languages if lang.lacking), key=lambda lang: (-lang.gap, lang.code)
        )


def _speakers(commune_ids):
    """{commune_id: {code: (speakers, certified)}} of active officials and volunteers able to hold a conversation."""
    counts = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    rows = PersonLanguage.objects.filter(
        person__commune_id__in=commune_ids,
        person__kind__in=("official", "volunteer"),
        person__is_active=True,
    ).exclude(code=VIETNAMESE)
    for lang in rows.select_related("person").only(
        "code", "listening", "speaking", "certificate_number", "certificate_date", "person__commune_id"
    ):
        level = lang.oral_level
        if level is not None and level < MIN_ORAL_LEVEL:
            continue
        entry = counts[lang.person.commune_id][lang.code]
        entry[0] += 1
        entry[1] += lang.certified
    return counts


def coverage(communes, today=None):
    """`CommuneCoverage` for each commune of `communes` (a queryset), in its order."""
    communes = list(communes)
    ids = [c.pk for c in communes]
    population = defaultdict(dict)
    for row in (
        HamletLanguage.objects.filter(hamlet__commune_id__in=ids)
        .exclude(code=VIETNAMESE)
        .values("hamlet__commune_id", "code")
        .annotate(total=Sum("population"))
    ):
        population[row["hamlet__commune_id"]][row["code"]] = row["total"] or 0
    speakers = _speakers(ids)
    since = (today or timezone.localdate()) - timedelta(days=RECENT_DAYS)
    asked = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for commune_id, code, status in Accompaniment.objects.filter(
        commune_id__in=ids, date__gte=since
    ).values_list("commune_id", "language", "status"):
        asked[commune_id][code][0] += 1
        asked[commune_id][code][1] += status == Accompaniment.Status.OPEN
    per = people_per_speaker()
    out = []
    for commune in communes:
        codes = set(population[commune.pk]) | set(asked[commune.pk]) | set(speakers[commune.pk])
        rows = []
        for code in sorted(codes):
            pop = population[commune.pk].get(code, 0)
            spk, cert = speakers[commune.pk].get(code, (0, 0))
            req, unmet = asked[commune.pk].get(code, (0, 0))
            rows.append(
                LanguageCoverage(
                    code=code,
                    population=pop,
                    speakers=spk,
                    certified=cert,
                    needed=math.ceil(pop / per) if pop else 0,
                    requests=req,
                    unmet=unmet,
                )
            )
        rows.sort(key=lambda lang: (-lang.population, -lang.requests, lang.code))
        out.append(CommuneCoverage(commune, rows))
    return out


def citizens_needing_interpreter(commune):
    return Person.objects.citizens().filter(commune=commune, interpreter_needed=True).count()
