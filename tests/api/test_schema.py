import re

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_it_generates_a_valid_schema_without_warnings(tmp_path):
    path = tmp_path / "schema.yml"
    # --fail-on-warn raises on any warning or error, --validate checks against OpenAPI 3.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    assert {
        "/api/v1/areas/",
        "/api/v1/areas/{code}/",
        "/api/v1/areas/{code}/children/",
        "/api/v1/persons/",
        "/api/v1/persons/{id}/",
        "/api/v1/persons/{id}/reveal/",
        "/api/v1/households/",
        "/api/v1/households/{id}/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
    } <= set(schema["paths"])


def test_it_documents_every_error_in_the_one_shape(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"message", "extra"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            errors = {code: r for code, r in operation["responses"].items() if code >= "400"}
            assert errors, (method, path)
            for response in errors.values():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path)
    person_get = schema["paths"]["/api/v1/persons/{id}/"]["get"]["responses"]
    assert {"200", "401", "404"} <= set(person_get)
    assert (
        "cap"
        in schema["components"]["schemas"]["PaginatedPersonList"]["properties"]["count"][
            "description"
        ]
    )


def test_it_serves_the_docs_from_vendored_assets(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/").split("?")[0]), url
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html)


def test_it_serves_the_browsable_api_from_vendored_assets(api_for, users):
    response = api_for(users.town).get("/api/v1/persons/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "http://testserver/")) or url == "", url
        assert "//" not in url.removeprefix("http://testserver/"), url
