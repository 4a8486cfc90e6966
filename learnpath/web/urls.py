"""`url_for` in templates, with the addresses that never change built once per worker.

A page links a handful of stylesheets and icons and the layout's fixed pages (home, sign out,
language, privacy); building each address through Werkzeug's router costs as much as a small
template. Templates keep writing `url_for(...)`: the template global remembers the address of
an endpoint named in full without arguments, or of a static file, per (script root, endpoint,
filename), the only inputs such an address depends on while the app registers no url_defaults
and uses no host or subdomain matching (checked at start-up and on each call). Every other
call goes to Flask's url_for unchanged. Keyed by the values themselves, so nothing invalidates
it; bounded (emptied at URLS_MAX entries).
"""

from flask import Flask, has_request_context, request

URLS_MAX = 1024


def init_app(app: Flask) -> None:
    build = app.url_for
    remembered: dict[tuple[str, str, str | None], str] = {}

    def url_for(endpoint: str, /, **values) -> str:
        filename = values.get("filename") if endpoint == "static" else None
        if ((values and (filename is None or len(values) != 1)) or endpoint[:1] == "."
                or app.url_default_functions or not has_request_context()):
            return build(endpoint, **values)
        key = (request.script_root, endpoint, filename)
        try:
            return remembered[key]
        except KeyError:
            pass
        url = build(endpoint, **values)
        if len(remembered) >= URLS_MAX:
            remembered.clear()
        remembered[key] = url
        return url

    if not (app.url_map.host_matching or app.subdomain_matching):
        app.jinja_env.globals["url_for"] = url_for
