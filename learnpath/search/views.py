"""The catalog page: search with facets and sorting over the published modules."""

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from learnpath import search
from learnpath.modules import learning
from learnpath.paths import enrolments
from learnpath.web.access import login_required
from learnpath.web.paging import page_arg

bp = Blueprint("search", __name__)


def _page_arg() -> int:
    return page_arg(request.args.get("page"))


@bp.route("/modules")
@login_required
def catalog():
    """The catalog: search with facets and sorting; without a query it lists every module."""
    args = request.args
    result = search.search(
        args.get("q", ""),
        filters={name: args.getlist(name) for name in CATALOG_FACETS},
        sort=args.get("sort", "relevance"), page=_page_arg(), per_page=CATALOG_PER_PAGE,
        locale=str(get_locale() or "en"), literal=args.get("literal") == "1")
    done = learning.completed_module_ids(current_user, result.module_ids)
    in_path = enrolments.modules_in_active_paths(current_user, result.module_ids)
    template = "search/results.html" if args.get("partial") == "1" else "modules/catalog.html"
    return render_template(template, result=result, done=done, in_path=in_path)


CATALOG_FACETS = ("skill", "level", "language", "duration")
CATALOG_PER_PAGE = 20
