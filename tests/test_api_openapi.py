"""The OpenAPI document is generated from the routes and their schemas, agrees with the URL
map, and the API keeps its promises:
a schemathesis run against the document, in-process, finds no 500 and no response that
contradicts the schema."""

import re

import pytest

from learnpath.api import openapi, tokens
from learnpath.extensions import db
from learnpath.modules import authoring as module_authoring
from learnpath.modules import learning as module_learning
from learnpath.modules import services as modules
from learnpath.paths import enrolments as paths
from learnpath.paths.catalog import import_path_text

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _rule_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    """(path, method, operation) of the document; a path item's shared `parameters` (the
    path parameters) is not an operation."""
    return [(path, method, operation) for path, item in document["paths"].items()
            for method, operation in item.items() if method != "parameters"]


def test_document_and_url_map_agree_both_ways(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": "/api/v1"}]
    documented = {(openapi.API_PREFIX + path, method.upper())
                  for path, method, _operation in _operations(document)}
    routed = {(_rule_to_openapi(rule.rule), method)
              for rule in app.url_map.iter_rules() if rule.rule.startswith(openapi.API_PREFIX + "/")
              for method in rule.methods & METHODS}
    assert routed - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routed == set(), "documented operations without a route"


def test_every_operation_documents_its_success_and_errors(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, method, operation in _operations(document):
        assert operation.get("operationId"), (method, path)
        codes = set(operation["responses"])
        assert codes & {"200", "201", "204"}, (method, path)
        if path != "/openapi.json":
            assert {"401", "403", "429"} <= codes, (method, path)
            assert operation["security"] == [{"bearerToken": []}]


def test_the_document_is_valid_openapi(client):
    from schemathesis.openapi import from_dict

    document = client.get("/api/v1/openapi.json").get_json()
    schema = from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(_operations(document))


def test_developer_page_lists_every_operation_in_both_languages(client):
    html = client.get("/developers").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path in document["paths"]:
        assert openapi.API_PREFIX + path in html
    assert "Authorization: Bearer" in html and "application/problem+json" in html
    dutch = client.get("/developers", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Authenticatie" in dutch and "Voorbeelden" in dutch


def test_every_operation_has_a_translated_text_on_the_developer_page(client):
    from learnpath.api.pages import OPERATION_TEXTS

    ids = {op["operationId"] for _method, _path, op in openapi.operations()}
    assert ids - set(OPERATION_TEXTS) == set()  # else its English summary shows in Dutch
    dutch = client.get("/developers", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Your own learning activity as xAPI statements" not in dutch
    assert "Je eigen leeractiviteit als xAPI-statements." in dutch


@pytest.fixture
def seeded(app, make_user, make_team):
    for slug in ("giving-feedback", "time-boxing"):
        module = module_authoring.create_module(slug, f"# {slug}\n\nText.\n")
        module_authoring.publish(module, None)
    assert import_path_text("slug: basics\ntitle: {nl: Basis, en: Basics}\nsteps:\n"
                            "  - {module: giving-feedback}\n", "paths/basics.yml"
                            ).status == "created"
    user = make_user(roles=("employee", "manager", "hr"))
    members = [make_user() for _ in range(2)]
    team = make_team("Support", managers=[user], members=members)
    paths.assign(user, paths.get_path("basics"), members, None, "", paths.today())
    module_learning.complete_module(user, modules.get_published("time-boxing"))
    _token, secret = tokens.create_token(user, "schemathesis", "read-write")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}, team


@pytest.mark.app_config(API_RATE_LIMIT="100000 per minute")
def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, client, seeded):
    """Property-based run over every documented operation (bounded: 25 examples each).

    positive_data_acceptance is left out: a cursor is an opaque signed string, so a random
    string is schema-valid yet rightly refused with a 400 problem.
    """
    from hypothesis import HealthCheck, given, settings
    from schemathesis import checks
    from schemathesis.openapi import from_dict

    headers, team = seeded
    schema = from_dict(client.get("/api/v1/openapi.json").get_json())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    calls = {"count": 0}

    for operation in operations:
        @settings(max_examples=25, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            kwargs = case.as_transport_kwargs(headers=headers)
            assert kwargs["path"].startswith(openapi.API_PREFIX + "/")
            response = client.open(**_werkzeug_kwargs(kwargs))
            calls["count"] += 1
            assert response.status_code < 500, (case.as_curl_command(), response.data[:300])
            case.validate_response(response, headers=headers, transport_kwargs={"app": app},
                                   excluded_checks=[checks.positive_data_acceptance])

        check()
    assert calls["count"] >= len(operations)


def _werkzeug_kwargs(kwargs: dict) -> dict:
    """Schemathesis' WSGI transport kwargs, as the Flask test client takes them."""
    allowed = {"method", "path", "headers", "query_string", "data", "json", "content_type"}
    return {key: value for key, value in kwargs.items() if key in allowed}
