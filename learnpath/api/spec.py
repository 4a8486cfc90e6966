"""The OpenAPI 3.1 document of /api/v1, built from one structure kept next to the routes.

Every route under /api/v1 has exactly one entry in PATHS (tests/test_api_openapi.py compares
the document with app.url_map both ways). Another package adds its operations with
add_operation() at import time of its views module.
"""

from copy import deepcopy

API_PREFIX = "/api/v1"

PROBLEM = {"$ref": "#/components/schemas/Problem"}


def problem_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": PROBLEM}}}


def json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# Responses every token-protected operation may give.
COMMON_ERRORS = {
    "400": problem_response("Malformed request (bad parameter, JSON, type or unknown field)."),
    "401": problem_response("Missing, unknown, expired or revoked token."),
    "403": problem_response("The token lacks the scope, or the person lacks the right."),
    "429": problem_response("Rate limit for this token exceeded."),
}

SCHEMAS: dict[str, dict] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object"}},
        },
    },
}

# path (relative to API_PREFIX, OpenAPI template syntax) -> method -> operation
PATHS: dict[str, dict[str, dict]] = {}


def add_operation(path: str, method: str, operation: dict, schemas: dict | None = None,
                  errors: tuple[str, ...] = ("400", "401", "403", "429")) -> None:
    """Document one operation; `errors` adds the common problem responses by status."""
    operation = deepcopy(operation)
    responses = operation.setdefault("responses", {})
    for status in errors:
        responses.setdefault(status, COMMON_ERRORS[status])
    if errors:
        operation.setdefault("security", [{"bearerToken": []}])
    PATHS.setdefault(path, {})[method.lower()] = operation
    SCHEMAS.update(schemas or {})


def document() -> dict:
    """Return the OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "learnpath API",
            "version": "1.0.0",
            "description": "The learnpath JSON API. Authenticate with a personal access token "
                           "from your profile page: `Authorization: Bearer lp_...`. Errors are "
                           "RFC 9457 problem details (application/problem+json).",
        },
        "servers": [{"url": API_PREFIX}],
        "paths": deepcopy(PATHS),
        "components": {
            "schemas": deepcopy(SCHEMAS),
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "A personal access token (lp_...)."},
            },
        },
    }
