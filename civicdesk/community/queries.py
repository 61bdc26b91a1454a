"""Reads of language access for other apps (staffing's gap score reads `language_gaps`).

No personal data and no user scoping: the callers apply their own access rules. Communes are named by their code.
"""

from dataclasses import dataclass

from civicdesk.geo.models import Commune

from .coverage import coverage


@dataclass(frozen=True)
class LanguageGap:
    """A commune's language-coverage gap, 0 (every language spoken in its hamlets has enough speakers) … 1 (none),
    and the codes of the languages it lacks speakers of, worst first (see `community.coverage`)."""

    gap: float
    lacking: tuple[str, ...]


def language_gaps(province_code: int) -> dict[int, LanguageGap]:
    """{commune code: LanguageGap} for the communes of the province with a minority population or requests
    recorded; a commune absent from the result has nothing recorded (no signal, not a zero)."""
    communes = Commune.objects.filter(province__code=province_code).order_by("code")
    out = {}
    for row in coverage(communes):
        if row.languages and (row.population or any(lang.requests for lang in row.languages)):
            out[row.commune.code] = LanguageGap(
                gap=round(row.gap, 4), lacking=tuple(lang.code for lang in row.lacking)
            )
    return out
