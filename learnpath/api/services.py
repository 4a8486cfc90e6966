"""What the API returns, read by the schemas in schemas.py: domain objects where a schema can
read them as they are, plain data where the answer is assembled (in bounded queries)."""

from flask import url_for
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from learnpath import search
from learnpath.accounts import services as accounts
from learnpath.accounts.models import Team
from learnpath.api.schemas import iso
from learnpath.conversations import listing as check_in_listing
from learnpath.conversations.templates import all_templates as check_in_templates
from learnpath.engagement import aggregates
from learnpath.engagement import indicator as ind
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion
from learnpath.paths import enrolments as paths
from learnpath.paths.models import Enrolment, GrowthPath, PathStep


def module_summary(module: Module, extra: tuple | None = None) -> dict:
    """A module's metadata; `extra` is (number, tags, published_at) when loaded separately."""
    version = module.current_version
    number, tags, published_at = extra or (version.number, version.tags, version.published_at)
    return {
        "slug": module.slug,
        "title": version.title,
        "summary": version.summary or "",
        "language": version.language,
        "duration": version.duration,
        "level": version.level,
        "skills": list(version.skills or []),
        "tags": list(tags or []),
        "version": number,
        "published_at": published_at,
        "url": url_for("modules.show", slug=module.slug, _external=True),
    }


def module_summaries(found: list[Module]) -> list[dict]:
    """Summaries of search hits: the search loads only the columns its page shows, so the
    rest of the metadata comes in one query for the whole page, not one per module."""
    version_ids = [m.current_version_id for m in found]
    extras = {row.id: (row.number, row.tags, row.published_at) for row in db.session.execute(
        select(ModuleVersion.id, ModuleVersion.number, ModuleVersion.tags,
               ModuleVersion.published_at).where(ModuleVersion.id.in_(version_ids)))
    } if version_ids else {}
    return [module_summary(m, extras.get(m.current_version_id)) for m in found]


MAX_SEARCH_PAGE = search.services.MAX_PAGE
FACETS = ("skill", "level", "language", "duration")


def search_modules(args: dict, locale: str, page: int, per_page: int) -> dict:
    """One page of the catalog search with its facets, labelled in the person's language."""
    with force_locale(locale):
        result = search.search(args["q"][:500], filters={name: args[name] for name in FACETS},
                               sort=args["sort"], page=page, per_page=per_page, locale=locale)
        facets = [{"name": f.name, "values": [
            {"value": v.value, "label": str(v.label or v.value), "count": v.count,
             "selected": v.selected} for v in f.values]} for f in result.facets]
    return {"query": result.query, "total": result.total, "available": result.available,
            "suggestion": result.suggestion, "facets": facets, "pages": result.pages,
            "items": module_summaries([hit.module for hit in result.hits])}


def module_detail(module: Module) -> dict:
    data = module_summary(module)
    data["questions"] = len(module.current_version.questions)
    data["translation_of"] = module.current_version.translation_of
    return data


def path_summary(path: GrowthPath, steps: int) -> dict:
    return {
        "slug": path.slug,
        "title": {"en": path.title_en, "nl": path.title_nl},
        "description": {"en": path.description_en or "", "nl": path.description_nl or ""},
        "kind": path.kind,
        "steps": steps,
        "url": url_for("paths.show", slug=path.slug, _external=True),
    }


def enrolment_dict(enrolment: Enrolment, progress) -> dict:
    return {
        "path": enrolment.path.slug,
        "title": {"en": enrolment.path.title_en, "nl": enrolment.path.title_nl},
        "source": enrolment.source,
        "state": enrolment.state,
        "due_date": enrolment.due_date,
        "enrolled_at": enrolment.enrolled_at,
        "completed_at": enrolment.completed_at,
        "progress": progress,
    }


def my_enrolments(user) -> list[dict]:
    enrolments = paths.enrolments_of(user)
    progress = paths.progress_of(enrolments, paths.today())
    return [enrolment_dict(e, progress[e.id]) for e in enrolments]


def my_enrolment(user, path: GrowthPath) -> dict | None:
    enrolment = paths.get_enrolment(user, path)
    if enrolment is None or enrolment.state == "withdrawn":
        return None
    return enrolment_dict(enrolment, paths.progress_of([enrolment], paths.today())[enrolment.id])


def my_completions(user, offset: int, limit: int) -> list:
    """Newest first (rows named as CompletionSchema reads them); limit + 1 rows so the
    caller knows whether there is more."""
    return db.session.execute(
        select(Module.slug.label("module"), ModuleVersion.title,
               ModuleVersion.number.label("version"), Completion.completed_at,
               Completion.score)
        .join(Module, Module.id == Completion.module_id)
        .join(ModuleVersion, ModuleVersion.id == Completion.version_id)
        .where(Completion.user_id == user.id)
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
        .offset(offset).limit(limit + 1)).all()


def my_check_ins(user, offset: int, limit: int) -> list[dict]:
    """My check-ins with their agreed actions (never a note), newest date first; limit + 1."""
    kinds = check_in_templates()
    items = []
    for listed in check_in_listing.check_ins_of(user, offset, limit):
        check_in = listed.check_in
        kind = kinds.get(check_in.template_key)
        mine = (check_in.manager_confirmed_at if listed.side == "manager"
                else check_in.person_confirmed_at)
        theirs = (check_in.person_confirmed_at if listed.side == "manager"
                  else check_in.manager_confirmed_at)
        items.append({
            "id": check_in.id, "role": listed.side,
            "with": listed.other.display_name if listed.other else None,
            "kind": check_in.template_key,
            "title": {"en": kind.title_in("en") if kind else check_in.template_key,
                      "nl": kind.title_in("nl") if kind else check_in.template_key},
            "scheduled_on": check_in.scheduled_on, "status": check_in.status,
            "requested_by_person": check_in.requested_by_person,
            "confirmed_by_you": mine is not None, "confirmed_by_other": theirs is not None,
            "url": url_for("conversations.show", check_in_id=check_in.id, _external=True),
            "actions": [{
                "text": entry.text,
                "owner": ("you" if entry.owner_id == user.id
                          else "other" if entry.owner_id else None),
                "due_on": entry.due_on, "path": slug, "path_action": entry.path_action,
                "done": entry.carried_out_at is not None} for entry, slug in listed.actions],
        })
    return items


def published_paths(offset: int, limit: int) -> list[dict]:
    rows = db.session.scalars(
        select(GrowthPath).where(GrowthPath.status == "published")
        .order_by(GrowthPath.title_en, GrowthPath.id).offset(offset).limit(limit + 1)).all()
    steps = paths.count_steps([p.id for p in rows])
    return [path_summary(p, steps.get(p.id, 0)) for p in rows]


def path_detail(user, path: GrowthPath) -> dict:
    step_modules = {m.id: m for m in db.session.scalars(
        select(Module).options(selectinload(Module.current_version))
        .where(Module.id.in_([s.module_id for s in path.steps])))}
    data = path_summary(path, len(path.steps))
    data["targets"] = [{"skill": t.skill.slug, "level": t.level} for t in path.targets]
    data["step_list"] = [
        {"position": step.position, "module": step_modules[step.module_id].slug,
         "title": step_modules[step.module_id].title, "optional": step.optional}
        for step in sorted(path.steps, key=lambda s: s.position)
        if step.module_id in step_modules and step_modules[step.module_id].status == "published"]
    data["enrolment"] = my_enrolment(user, path)
    return data


def path_step_count(path_id: int) -> int:
    return len(db.session.scalars(select(PathStep.id).where(PathStep.path_id == path_id)).all())


# Managers ------------------------------------------------------------------------------------


def managed_teams(user) -> list:
    return accounts.teams_of(user, "manager")


def manages_team(user, team_id: int) -> bool:
    return any(team.id == team_id for team in accounts.teams_of(user, "manager"))


def team_assignments(manager, team_id: int) -> dict | None:
    """Assignment progress per person of one managed team (operational data, not the indicator)."""
    for block in paths.team_matrix(manager, paths.today()):
        if block["team"].id != team_id:
            continue
        people = []
        for row in block["rows"]:
            people.append({
                "id": row["person"].id,
                "name": row["person"].display_name,
                "assignments": [{
                    "path": enrolment.path.slug,
                    "due_date": enrolment.due_date,
                    "state": enrolment.state,
                    "progress": progress,
                } for enrolment, progress in row["cells"].values()],
            })
        return {"team": block["team"], "people": people}
    return None


def team_progress_rows(manager) -> list[list]:
    """One row per person and assigned path of every managed team (for the CSV export)."""
    rows = []
    for block in paths.team_matrix(manager, paths.today()):
        for row in block["rows"]:
            for enrolment, progress in row["cells"].values():
                rows.append([block["team"].name, row["person"].display_name,
                             row["person"].email, enrolment.path.slug, enrolment.path.title_en,
                             iso(enrolment.due_date) or "", enrolment.state, progress.status,
                             progress.done, progress.required, progress.percent])
    return rows


def _figure(figure: aggregates.Figure, convert=lambda value: value) -> dict:
    if not figure.shown or figure.value is None:
        return {"value": None, "hidden": figure.hidden or "none"}
    return {"value": convert(figure.value), "hidden": None}


def group_dict(group: aggregates.GroupFigures) -> dict:
    """Thresholded aggregates of one team: hidden figures carry their reason, never a value."""
    data = {"team": {"id": group.key, "name": group.name}, "people": group.people,
            "contributors": group.contributors, "week": group.week.label,
            "hidden": group.hidden}
    if not group.shown:
        return data
    data.update({
        "indicator": _figure(group.indicator),
        "components": {c: _figure(group.components[c]) for c in ind.COMPONENTS},
        "bands": _figure(group.bands, lambda v: {b: v[b][1] for b in ind.BANDS}),
        "trend": [{"week": week.label, "value": value} for week, value in group.trend],
        "enps": _figure(group.enps, lambda v: {"month": group.enps_month, "score": v.score,
                                              "answers": v.answers}),
        "learning_participation_pct": _figure(group.learning),
        "pulse_participation_pct": _figure(group.pulse),
    })
    return data


def team_engagement(user, team_id: int) -> tuple[str, dict | None]:
    """('ok', figures) or ('forbidden'|'missing', None); the same rules as the team page."""
    if user.has_any_role("hr"):
        team = db.session.get(Team, team_id)
        return ("ok", group_dict(aggregates.team_figures(
            [team], sees_organisation=True)[0])) if team else ("missing", None)
    if not user.has_any_role("manager"):
        return "forbidden", None
    chosen = next((t for t in accounts.teams_of(user, "manager") if t.id == team_id), None)
    if chosen is None:
        return "forbidden", None
    return "ok", group_dict(aggregates.team_figures([chosen])[0])
