"""Split a long module at a heading: the second half becomes its own module, and a path
links the two in order (paths sit above modules, so the path is made here).

Plain functions that flush; the caller commits.
"""

from dataclasses import dataclass

from learnpath.modules import authoring, guard
from learnpath.modules.models import Module
from learnpath.modules.services import SLUG_MAX, ModuleError, get_module
from learnpath.paths import catalog
from learnpath.paths.authoring import get_path
from learnpath.paths.models import GrowthPath
from learnpath.slugs import slugify
from learnpath.web.i18n import lazy_text as _l


@dataclass
class SplitResult:
    first: Module
    second: Module
    path: GrowthPath


def _free(slug: str, taken) -> str:
    base, number = slug[:SLUG_MAX - 4], 2
    while taken(slug):
        slug = f"{base}-{number}"
        number += 1
    return slug


def split_module(module: Module, line: int, author=None) -> SplitResult:
    """Cut the module's draft at the heading on `line`; both stay drafts until published."""
    text = module.draft_source if module.draft_source is not None else (
        module.current_version.source if module.current_version else "")
    cut = guard.split_at(text, line)
    if cut is None:
        raise ModuleError(_l("Choose one of the headings to split at."))
    first, second, title = cut
    second_slug = _free(slugify(f"{module.slug}-{title}")[:SLUG_MAX] or f"{module.slug}-2",
                        lambda s: get_module(s) is not None)
    second_module = authoring.create_module(second_slug, second, module.language)
    authoring.save_draft(module, first, module.edit_count)
    path_slug = _free(module.slug, lambda s: get_path(s) is not None)
    titles = module.title
    data = catalog.PathData(path_slug, titles, titles, "", "", "horizontal", [],
                            [(module.id, False), (second_module.id, False)], "draft")
    path, _status = catalog.save_path(data)
    return SplitResult(module, second_module, path)
