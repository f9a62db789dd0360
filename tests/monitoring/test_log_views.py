from django.urls import reverse

from fangkong.monitoring.models import Alert, HealthLog
from tests import factories
from tests.monitoring.conftest import key_person
from tests.ui.queries import queries_for

URL = reverse("monitoring:log_today")


def save_url(kp):
    return reverse("monitoring:log_save", args=[kp.pk])


def test_it_lists_my_persons_under_management(client_for, users, kp, tree):
    key_person(tree.other_grid, "赵六")
    response = client_for(users.grid).get(URL + "?slot=am")
    body = response.content.decode()
    assert response.status_code == 200
    assert "王五" in body and "赵六" not in body
    assert 'name="temperature"' in body and 'inputmode="decimal"' in body


def test_the_list_costs_the_same_for_few_or_many(client_for, users, tree):
    client = client_for(users.village)
    key_person(tree.grid, "甲")
    few = queries_for(client, URL)
    for n in range(8):
        key_person(tree.grid2, f"乙{n}")
    assert queries_for(client, URL) == few


def test_it_saves_through_htmx_and_returns_the_card(client_for, users, kp):
    response = client_for(users.grid).post(
        save_url(kp), {"slot": "am", "temperature": "36.6"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()
    assert HealthLog.objects.get().recorded_by == users.grid


def test_it_answers_a_bad_temperature_with_the_card_and_writes_nothing(client_for, users, kp):
    client = client_for(users.grid)
    for value in ("43.5", "abc", ""):
        response = client.post(
            save_url(kp), {"slot": "am", "temperature": value}, HTTP_HX_REQUEST="true"
        )
        assert 'data-field-error="temperature"' in response.content.decode()
        response = client.post(save_url(kp), {"slot": "am", "temperature": value})
        assert response.status_code == 400
    assert not HealthLog.objects.exists()


def test_a_fever_from_the_page_raises_an_alert(client_for, users, kp):
    client_for(users.grid).post(
        save_url(kp), {"slot": "pm", "temperature": "38.1", "symptoms": ["cough"]}
    )
    assert Alert.objects.get().kind == "fever"


def test_it_refuses_a_second_submit_of_the_slot(client_for, users, kp):
    client = client_for(users.grid)
    assert client.post(save_url(kp), {"slot": "am", "temperature": "36.6"}).status_code == 302
    response = client.post(save_url(kp), {"slot": "am", "temperature": "36.9"})
    assert response.status_code == 400
    assert str(HealthLog.objects.get().temperature) == "36.6"


def test_permission_matrix(client, users, kp, tree):
    denied = [users.outsider, users.other_town, users.norole, users.command]
    for user in denied:
        client.force_login(user)
        assert client.post(save_url(kp), {"slot": "am", "temperature": "36.6"}).status_code == 404
    assert not HealthLog.objects.exists()
    # In scope without the logging role (command reads only) cannot open the page either.
    client.force_login(users.command)
    assert client.get(URL).status_code == 404
    client.force_login(users.village)
    assert client.get(URL).status_code == 200
    assert client.post(save_url(kp), {"slot": "am", "temperature": "36.6"}).status_code == 302
    # A grid worker of another grid does not reach this person.
    other_grid = factories.user("grid2", tree.grid2, "grid_worker")
    client.force_login(other_grid)
    assert client.post(save_url(kp), {"slot": "pm", "temperature": "36.6"}).status_code == 404
