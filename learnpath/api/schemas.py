"""JSON schemas of the API's responses, used by the OpenAPI document (spec.py)."""

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
TEXTS = {"type": "object", "required": ["en", "nl"],
         "properties": {"en": {"type": "string"}, "nl": {"type": "string"}}}
CURSOR = {"type": ["string", "null"],
          "description": "Pass as ?cursor= to get the next page; null on the last page."}


def page_of(item_ref: str) -> dict:
    return {"type": "object", "required": ["items", "next_cursor"],
            "properties": {"items": {"type": "array", "items": {"$ref": item_ref}},
                           "next_cursor": CURSOR}}


FIGURE = {"type": "object", "required": ["value", "hidden"],
          "properties": {"value": {}, "hidden": {
              "type": ["string", "null"],
              "description": "Why the figure is hidden (too_few, subtraction, none, ...)."}}}

SCHEMAS = {
    "Me": {"type": "object", "required": ["id", "name", "roles", "token"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"},
        "locale": NULLABLE_STRING,
        "roles": {"type": "array", "items": {"type": "string"}},
        "token": {"type": "object", "properties": {
            "name": {"type": "string"}, "scope": {"enum": ["read", "read-write"]},
            "expires_at": NULLABLE_STRING}}}},
    "Module": {"type": "object",
               "required": ["slug", "title", "language", "duration", "level", "skills", "url"],
               "properties": {
                   "slug": {"type": "string"}, "title": {"type": "string"},
                   "summary": {"type": "string"}, "language": {"type": "string"},
                   "duration": {"type": "integer"}, "level": {"type": "string"},
                   "skills": {"type": "array", "items": {"type": "string"}},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "version": {"type": "integer"}, "published_at": NULLABLE_STRING,
                   "url": {"type": "string"}, "questions": {"type": "integer"},
                   "translation_of": NULLABLE_STRING}},
    "Facet": {"type": "object", "required": ["name", "values"], "properties": {
        "name": {"type": "string"},
        "values": {"type": "array", "items": {"type": "object", "properties": {
            "value": {"type": "string"}, "label": {"type": "string"},
            "count": {"type": "integer"}, "selected": {"type": "boolean"}}}}}},
    "ModuleSearch": {"type": "object", "required": ["items", "total", "next_cursor"],
                     "properties": {
                         "query": {"type": "string"}, "total": {"type": "integer"},
                         "available": {"type": "boolean"},
                         "suggestion": NULLABLE_STRING,
                         "items": {"type": "array",
                                   "items": {"$ref": "#/components/schemas/Module"}},
                         "facets": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/Facet"}},
                         "next_cursor": CURSOR}},
    "Progress": {"type": "object", "required": ["done", "required", "percent", "status"],
                 "properties": {
                     "done": {"type": "integer"}, "required": {"type": "integer"},
                     "percent": {"type": "integer"},
                     "status": {"enum": ["not_started", "in_progress", "completed", "on_track",
                                         "behind", "overdue"]}}},
    "Enrolment": {"type": "object", "required": ["path", "state", "source", "progress"],
                  "properties": {
                      "path": {"type": "string"}, "title": TEXTS,
                      "source": {"enum": ["self", "assigned"]},
                      "state": {"enum": ["active", "completed", "withdrawn"]},
                      "due_date": NULLABLE_STRING, "enrolled_at": NULLABLE_STRING,
                      "completed_at": NULLABLE_STRING,
                      "progress": {"$ref": "#/components/schemas/Progress"}}},
    "EnrolmentPage": page_of("#/components/schemas/Enrolment"),
    "EnrolmentRequest": {"type": "object", "required": ["path"], "additionalProperties": False,
                         "properties": {"path": {"type": "string", "minLength": 1,
                                                 "maxLength": 120}}},
    "Completion": {"type": "object", "required": ["module", "completed_at"], "properties": {
        "module": {"type": "string"}, "title": {"type": "string"},
        "version": {"type": "integer"}, "completed_at": {"type": "string"},
        "score": {"type": ["number", "null"]}}},
    "CompletionPage": page_of("#/components/schemas/Completion"),
    "Path": {"type": "object", "required": ["slug", "title", "kind", "steps"], "properties": {
        "slug": {"type": "string"}, "title": TEXTS, "description": TEXTS,
        "kind": {"type": "string"}, "steps": {"type": "integer"}, "url": {"type": "string"}}},
    "PathPage": page_of("#/components/schemas/Path"),
    "PathDetail": {"allOf": [{"$ref": "#/components/schemas/Path"}, {
        "type": "object", "required": ["targets", "step_list", "enrolment"], "properties": {
            "targets": {"type": "array", "items": {"type": "object", "properties": {
                "skill": {"type": "string"}, "level": {"type": "integer"}}}},
            "step_list": {"type": "array", "items": {"type": "object", "properties": {
                "position": {"type": "integer"}, "module": {"type": "string"},
                "title": {"type": "string"}, "optional": {"type": "boolean"}}}},
            "enrolment": {"oneOf": [{"$ref": "#/components/schemas/Enrolment"},
                                    {"type": "null"}]}}}]},
    "Team": {"type": "object", "required": ["id", "name"],
             "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "TeamList": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}}},
    "TeamAssignments": {"type": "object", "required": ["team", "people"], "properties": {
        "team": {"$ref": "#/components/schemas/Team"},
        "people": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "assignments": {"type": "array", "items": {"type": "object", "properties": {
                "path": {"type": "string"}, "due_date": NULLABLE_STRING,
                "state": {"type": "string"},
                "progress": {"$ref": "#/components/schemas/Progress"}}}}}}}}},
    "Figure": FIGURE,
    "TeamEngagement": {"type": "object", "required": ["team", "people", "week", "hidden"],
                       "properties": {
                           "team": {"type": "object", "properties": {
                               "id": NULLABLE_INT, "name": {"type": "string"}}},
                           "people": {"type": "integer"}, "week": {"type": "string"},
                           "hidden": NULLABLE_STRING,
                           "indicator": FIGURE,
                           "components": {"type": "object",
                                          "additionalProperties": FIGURE},
                           "bands": FIGURE, "enps": FIGURE,
                           "trend": {"type": "array", "items": {"type": "object", "properties": {
                               "week": {"type": "string"}, "value": NULLABLE_INT}}},
                           "learning_participation_pct": FIGURE,
                           "pulse_participation_pct": FIGURE}},
}
