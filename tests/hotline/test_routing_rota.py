"""A team's rota: only the experts on it receive questions by automatic assignment; the others still see them."""

import pytest
from django.core.exceptions import ValidationError

from civicdesk.hotline import services
from civicdesk.hotline.models import Team
from civicdesk.hotline.services.routing import pick_assignee
from tests.factories import SYSTEM, UserFactory


@pytest.fixture
def team(lam_dong, tu_phap, phap):
    services.ensure_teams(SYSTEM, lam_dong)
    return Team.objects.get(department=tu_phap)


def test_rota_limits_automatic_assignment(team, phap, quan, tu_phap):
    colleague = UserFactory(username="pool", role="department_expert", department=tu_phap)
    services.update_team(quan, team, strategy=Team.Strategy.ROUND_ROBIN, leader=phap, rota=[phap])
    assert {pick_assignee(team).pk for _ in range(3)} == {phap.pk}
    assert colleague in team.members()  # still sees the team's questions
    services.update_team(quan, team, strategy=Team.Strategy.ROUND_ROBIN, leader=phap, rota=[])
    assert {pick_assignee(team).pk for _ in range(4)} == {phap.pk, colleague.pk}


def test_rota_members_must_belong_to_the_team(team, quan, lam):
    with pytest.raises(ValidationError):
        services.update_team(quan, team, strategy=Team.Strategy.ROUND_ROBIN, rota=[lam])


def test_team_page_refuses_a_non_manager_before_reading_the_form(client_for, team, charlie):
    response = client_for(charlie).post(f"/hotline/teams/{team.pk}/", {"strategy": "nonsense"})
    assert response.status_code in (403, 404)
