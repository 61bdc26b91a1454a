"""/api/openapi.json tells the truth about failures: every status an operation can answer is listed, in one shape.

The generic rules are checked here for every operation, present and future; `make test-api` (schemathesis) then
calls each operation with generated input and fails on any status the spec does not list.
"""

import pytest

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(client, db):
    return client.get("/api/openapi.json").json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", method, op


def can_be_invalid(param):
    """A parameter a caller can get wrong: a required query value, a number or date, or one with bounds."""
    schema = param["schema"]
    types = {s.get("type") for s in schema.get("anyOf", [schema])} - {"null"}
    bounded = any(
        k in schema for k in ("minimum", "maximum", "minLength", "maxLength", "pattern", "enum", "format")
    )
    return (param["in"] == "query" and param.get("required", False)) or types != {"string"} or bounded


def error_ref(op, status):
    content = op["responses"][str(status)]["content"]["application/json"]["schema"]
    return content["$ref"].rsplit("/", 1)[-1]


def test_errors_have_one_documented_shape(spec):
    error = spec["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "details"}
    assert set(detail["required"]) == {"code", "message"}


def test_every_operation_lists_the_failures_any_caller_can_meet(spec):
    for name, method, op in operations(spec):
        codes = {int(code) for code in op["responses"]}
        assert 401 in codes, f"{name}: no token"
        if "requestBody" in op or any(can_be_invalid(p) for p in op.get("parameters", [])):
            assert 422 in codes, f"{name}: invalid input"
        if "requestBody" in op:
            assert 400 in codes, f"{name}: a body that is not JSON"
        if method == "post":
            assert 403 in codes, f"{name}: a signed-in session without its CSRF token"
        if "{" in name:
            assert 404 in codes, f"{name}: an unknown or hidden record"
        assert not any(code >= 500 for code in codes), name
        for code in codes - {200, 201, 202}:
            assert error_ref(op, code) == "ErrorOut", f"{name} {code}"


def test_operation_specific_failures_are_listed(spec):
    responses = {name: {int(code) for code in op["responses"]} for name, _m, op in operations(spec)}
    assert 429 in responses["POST /api/assistant/ask"]
    assert 409 in responses["POST /api/hotline/tickets/{ticket_id}/claim"]
    assert {403, 404} <= responses["GET /api/servicedesk/kpi"]
    assert {400, 403, 404} <= responses["GET /api/servicedesk/scorecard"]
    assert {403} <= responses["GET /api/staffing/plans"]
    assert responses["GET /api/me"] == {200, 401}


def test_every_schema_name_is_one_model():
    """django-ninja keys components by class name: two apps' `PersonOut` would share one, and one app's
    answers would be validated against the other's shape (the CI failure that found this)."""
    import importlib
    import inspect
    import pkgutil

    import ninja

    import civicdesk.api

    seen = {}
    for info in pkgutil.iter_modules(civicdesk.api.__path__):
        module = importlib.import_module(f"civicdesk.api.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, ninja.Schema) and cls.__module__ == module.__name__:
                assert name not in seen, f"{name} in {seen.get(name)} and {module.__name__}"
                seen[name] = module.__name__


def test_ticket_assignee_is_documented_as_it_is_answered(spec):
    assignee = spec["components"]["schemas"]["TicketOut"]["properties"]["assignee"]["anyOf"][0]["$ref"]
    shape = spec["components"]["schemas"][assignee.rsplit("/", 1)[-1]]
    assert set(shape["properties"]) == {"username", "full_name"}
