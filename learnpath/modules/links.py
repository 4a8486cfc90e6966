"""Modules loaded for a link to them: slug, language, title and duration, nothing more.

Pages that list modules (home, a path's steps, a plan's suggestions) show a title and a
duration; loading the version's source, HTML and front matter for that costs more than the
rest of the page. Options to put on a statement that loads Module.
"""

from sqlalchemy.orm import joinedload, load_only

from learnpath.modules.models import Module, ModuleVersion

MODULE_COLUMNS = (Module.id, Module.slug, Module.language, Module.status,
                  Module.current_version_id, Module.draft_title)
VERSION_COLUMNS = (ModuleVersion.id, ModuleVersion.title, ModuleVersion.duration)


def link_options():
    """Loader options for Module in a statement: the link columns and the version's joined."""
    return (load_only(*MODULE_COLUMNS),
            joinedload(Module.current_version).load_only(*VERSION_COLUMNS))

