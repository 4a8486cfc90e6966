"""Personal data lifecycle: registry, export, erasure and retention (which leave closed weeks
alone), and the audit log."""

import json
import secrets
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select

import learnpath.models  # noqa: F401  every table, for the PostgreSQL schema
from learnpath.accounts import services as accounts
from learnpath.accounts.models import User
from learnpath.engagement import aggregates, snapshots
from learnpath.engagement import indicator as ind
from learnpath.engagement.models import ActivityEvent, Kudos, PulseAnswer, TeamWeek
from learnpath.extensions import db
from learnpath.modules.models import Completion, Module, ModuleVersion, QuizAnswer, QuizAttempt
from learnpath.paths.models import Certificate, Enrolment, GrowthPath, PathStep
from learnpath.personal_data import registered
from learnpath.privacy import services as privacy
from learnpath.privacy.models import AuditEntry
from learnpath.skills.models import Skill, UserSkill

AMS = ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery"


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMS).astimezone(UTC)


def today() -> date:
    return aggregates.local_today()


def week_back(n: int) -> ind.Week:
    return ind.week_containing(today() - timedelta(weeks=n), AMS)


def module(n: str, author=None) -> Module:
    mod = Module(slug=f"priv-{n}", language="en", status="published", draft_title=n)
    db.session.add(mod)
    db.session.flush()
    version = ModuleVersion(module_id=mod.id, number=1, title=n, language="en", duration=5,
                            level="beginner", source="x", html="x", content_hash=n,
                            published_by_id=author.id if author else None)
    db.session.add(version)
    db.session.flush()
    mod.current_version_id = version.id
    return mod


def person(name: str, roles=("employee",)) -> User:
    return accounts.create_user(f"{name.lower()}@example.com", name, password=PASSWORD,
                                roles=roles)


def activity(user, mods, seed: int):
    """Completions, pulse answers and kudos-free activity spread over the last weeks."""
    for i, mod in enumerate(mods):
        if (seed + i) % 2 == 0:
            db.session.add(Completion(user_id=user.id, module_id=mod.id,
                                      version_id=mod.current_version_id,
                                      completed_at=at(week_back(1 + (seed + i) % 6).monday)))
    for n in range(1, 14, 2):
        week = week_back(n)
        db.session.add(PulseAnswer(user_id=user.id, question="energy", period=week.label,
                                   value=1 + (seed + n) % 5,
                                   answered_at=at(week.monday + timedelta(days=1))))
    for month_day in (ind.previous_month(today()), today().replace(day=1)):
        db.session.add(PulseAnswer(user_id=user.id, question="enps",
                                   period=ind.month_label(month_day), value=(seed * 3) % 11,
                                   answered_at=at(month_day.replace(day=1))))


@pytest.fixture
def org(app):
    """Two teams of six with activity, one person in both teams with data in every table."""
    mods = [module(str(n)) for n in range(4)]
    path = GrowthPath(slug="priv-path", title_nl="Pad", title_en="Path")
    db.session.add(path)
    db.session.flush()
    for position, mod in enumerate(mods[:2]):
        db.session.add(PathStep(path_id=path.id, module_id=mod.id, position=position))
    admin = person("Ada", roles=("admin", "employee"))
    manager = person("Manon", roles=("manager", "employee"))
    alpha = [person(f"Alpha{n}") for n in range(6)]
    beta = [person(f"Beta{n}") for n in range(5)]
    subject = person("Zoe", roles=("employee", "author"))
    team_a = accounts.create_team("Alpha")
    team_b = accounts.create_team("Beta")
    for member in [*alpha, subject]:
        accounts.add_to_team(team_a, member, "member")
    for member in [*beta, subject]:
        accounts.add_to_team(team_b, member, "member")
    accounts.add_to_team(team_a, manager, "manager")
    for seed, member in enumerate([*alpha, *beta, subject]):
        activity(member, mods, seed)
    db.session.add(Enrolment(user_id=subject.id, path_id=path.id, source="assigned",
                             assigned_by_id=manager.id, note="Zoe needs this for her review",
                             due_date=today() + timedelta(days=30),
                             enrolled_at=at(week_back(8).monday)))
    db.session.add(Enrolment(user_id=alpha[0].id, path_id=path.id, source="assigned",
                             assigned_by_id=subject.id, note="Written by Zoe",
                             enrolled_at=at(week_back(8).monday)))
    skill = Skill(slug="priv-skill", name_nl="Vaardigheid", name_en="Skill")
    db.session.add(skill)
    db.session.flush()
    db.session.add(UserSkill(user_id=subject.id, skill_id=skill.id, level=2))
    db.session.flush()
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == subject.id))
    db.session.add(Certificate(enrolment_id=enrolment.id, user_id=subject.id, path_id=path.id,
                               token=secrets.token_urlsafe(16), skills=[]))
    authored = module("authored", author=subject)
    attempt = QuizAttempt(user_id=subject.id, version_id=authored.current_version_id, score=1.0)
    db.session.add(attempt)
    db.session.flush()
    from learnpath.modules.models import Question
    question = Question(version_id=authored.current_version_id, position=0, prompt_html="Q",
                        options=[{"html": "a", "correct": True}])
    db.session.add(question)
    db.session.flush()
    db.session.add(QuizAnswer(attempt_id=attempt.id, question_id=question.id, selected=[0],
                              correct=True))
    db.session.add(ActivityEvent(actor_id=subject.id, verb="completed", object_type="module",
                                 object_id=mods[0].slug, timestamp=at(week_back(2).monday)))
    db.session.add(Kudos(from_id=subject.id, to_id=alpha[1].id, message="Great demo, Alpha1!",
                         created_at=at(week_back(1).monday)))
    db.session.add(Kudos(from_id=beta[2].id, to_id=subject.id, message="Thanks Zoe for the help",
                         created_at=at(week_back(2).monday)))
    from learnpath.api.models import PersonalAccessToken
    db.session.add(PersonalAccessToken(user_id=subject.id, name="Reports", prefix="lp_abc",
                                       token_hash="f" * 64, scope="read"))
    privacy.log("roles_changed", actor=admin, target=subject,
                details={"before": ["employee"], "after": ["author", "employee"]})
    db.session.commit()
    return {"admin": admin, "manager": manager, "subject": subject, "teams": [team_a, team_b],
            "alpha": alpha, "beta": beta}


def figures_snapshot():
    """Everything the team and HR pages show, comparable with ==."""
    org = aggregates.organisation_figures()
    teams = aggregates.team_figures(db.session.scalars(
        select(accounts.Team).order_by(accounts.Team.name)).all())
    return repr(org), repr(teams)


def fk_tables_referencing_users():
    result = {}
    for table in db.metadata.sorted_tables:
        columns = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == "users"]
        if columns:
            result[table.name] = columns
    return result


# Registry ---------------------------------------------------------------------------------------

PERSONAL_TEXT = {("kudos", "message"), ("enrolments", "note")}


def test_every_table_that_references_a_person_is_registered(app):
    tables = registered_tables = {entry.table for entry in registered()}
    missing = sorted(set(fk_tables_referencing_users()) - tables)
    assert not missing, ("register these tables with learnpath.personal_data (in the owning "
                         f"feature's hooks.py): {missing}")
    for table, _column in PERSONAL_TEXT:
        assert table in registered_tables


def test_registry_walk_finds_an_unregistered_table(app, monkeypatch):
    from learnpath import personal_data as registry

    monkeypatch.setattr(registry, "_REGISTRY",
                        {k: v for k, v in registry._REGISTRY.items() if k != "kudos"})
    assert "kudos" in set(fk_tables_referencing_users()) - registry.registered_tables()


# Export -----------------------------------------------------------------------------------------

def test_export_holds_the_person_data_of_every_table(org):
    subject = org["subject"]
    document = privacy.export_person(subject, actor=subject)
    json.dumps(document)  # machine-readable as it is
    assert document["format"] == "learnpath-personal-data" and document["version"] == 1
    assert document["profile"]["email"] == "zoe@example.com"
    assert [{k: t[k] for k in ("team", "as")} for t in document["teams"]] == [
        {"team": "Alpha", "as": "member"}, {"team": "Beta", "as": "member"}]
    assert all(t["joined_at"] for t in document["teams"])  # when they joined, for the 30-day
    assert "last_digest_at" in document["profile"]
    assert document["roles"] == ["author", "employee"]
    assert document["enrolments"]["own"][0]["note"] == "Zoe needs this for her review"
    assert document["enrolments"]["assigned_by_you"][0]["note"] == "Written by Zoe"
    assert document["completions"] and all("version" in c for c in document["completions"])
    assert document["answers"][0]["answers"][0]["correct"] is True
    assert document["kudos"]["given"][0]["message"] == "Great demo, Alpha1!"
    assert document["kudos"]["received"][0]["message"] == "Thanks Zoe for the help"
    assert len(document["pulse_answers"]) == 9
    assert document["activity_events"][0]["verb"] == "completed"
    assert document["skills"][0]["skill"] == "priv-skill"
    assert document["certificates"][0]["path"] == "priv-path"
    assert document["published_module_versions"][0]["module"] == "priv-authored"
    assert document["audit_log"][0]["about_you"] is True
    assert document["api_tokens"][0]["name"] == "Reports"
    assert "f" * 64 not in json.dumps(document)  # token metadata, never the secret's hash
    # Every table that holds a row of this person shows up in the export.
    for entry in registered():
        columns = fk_tables_referencing_users().get(entry.table, [])
        table = db.metadata.tables[entry.table]
        rows = db.session.execute(select(table).where(
            db.or_(*[table.c[c] == subject.id for c in columns]))).first() if columns else None
        if rows is not None:
            assert document[entry.section], entry.table
    # Nothing of anyone else's profile.
    assert "alpha0@example.com" not in json.dumps(document)


def test_own_export_is_not_audited_but_an_admin_export_is(org):
    subject, admin = org["subject"], org["admin"]
    before = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    privacy.export_person(subject, actor=subject)
    privacy.export_person(subject, actor=admin)
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert len(entries) == before + 1
    assert entries[-1].action == "data_exported" and entries[-1].actor_id == admin.id
    assert entries[-1].target == subject.pseudonym


# Erasure ----------------------------------------------------------------------------------------

def test_erasure_keeps_team_and_hr_figures_exactly(org):
    before = figures_snapshot()
    assert privacy.erase_person(org["subject"], actor=org["admin"])
    db.session.commit()
    db.session.expire_all()
    assert figures_snapshot() == before
    assert_snapshots_matter(before)


def stored_rows():
    return sorted((row.week, row.group_key, row.members, row.contributors, row.indicator_sum,
                   row.voice_n, row.promoters + row.passives + row.detractors)
                  for row in db.session.scalars(select(TeamWeek)))


def test_erasure_closes_the_shown_weeks_first(org):
    """Nobody read the figures before the erasure: the weeks are closed (with the person)
    before their rows go, so the figures are the ones a read just before would have shown."""
    weeks = snapshots.trend_weeks()
    expected = sorted((row.week, row.group_key, row.members, row.contributors,
                       row.indicator_sum, row.voice_n,
                       row.promoters + row.passives + row.detractors)
                      for row in snapshots.compute(weeks))
    assert stored_rows() == []
    privacy.erase_person(org["subject"], actor=org["admin"])
    db.session.commit()
    assert stored_rows() == expected


def assert_snapshots_matter(before):
    """Computed again without the stored weeks the figures would differ: the snapshots did
    the work (the person's raw rows are gone)."""
    db.session.execute(delete(TeamWeek))
    assert figures_snapshot() != before


def test_figures_cost_the_same_queries_after_erasure(org, queries):
    figures_snapshot()
    with queries() as warm:
        figures_snapshot()
    privacy.erase_person(org["subject"])
    privacy.erase_person(org["alpha"][3])
    db.session.commit()
    db.session.expire_all()
    with queries() as after:
        figures_snapshot()
    assert len(after) == len(warm)
    # One read of the snapshots per page (HR overview, team page), nothing personal.
    assert sum("engagement_team_weeks" in statement for statement in after) == 2


def test_erasure_removes_the_person_and_their_words(org):
    subject = org["subject"]
    user_id, pseudonym = subject.id, subject.pseudonym
    privacy.erase_person(subject, actor=org["admin"])
    db.session.commit()
    user = db.session.get(User, user_id)
    assert user.display_name == "Erased person" and "zoe" not in user.email.lower()
    assert user.password_hash is None and not user.active and user.erased_at is not None
    assert user.roles == set() and user.memberships == []
    # A new random pseudonym: not derived from the person, and not the one admins saw.
    assert user.pseudonym != pseudonym and user.pseudonym in user.email
    assert db.session.scalar(select(db.func.count()).select_from(PulseAnswer)
                             .where(PulseAnswer.user_id == user_id)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(ActivityEvent)
                             .where(ActivityEvent.actor_id == user_id)) == 0
    messages = db.session.scalars(select(Kudos.message)).all()
    assert not any("Zoe" in m or "Alpha1" in m for m in messages)
    notes = db.session.scalars(select(Enrolment.note)).all()
    assert not any("Zoe" in n for n in notes)
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(UserSkill)) == 0
    from learnpath.api.models import PersonalAccessToken
    assert db.session.scalar(select(db.func.count()).select_from(PersonalAccessToken)) == 0
    # Detached, not deleted: team aggregates keep the answers' facts.
    assert db.session.scalar(select(db.func.count()).select_from(PulseAnswer)
                             .where(PulseAnswer.user_id.is_(None))) == 9
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person_erased"))
    assert [e.target for e in entry] == [pseudonym]


def test_erasure_twice_is_safe_and_the_email_can_be_used_again(org):
    subject = org["subject"]
    assert privacy.erase_person(subject) is True
    assert privacy.erase_person(subject) is False
    db.session.commit()
    with pytest.raises(privacy.PrivacyError):
        privacy.find_person("zoe@example.com")
    again = accounts.create_user("zoe@example.com", "Zoe again", password=PASSWORD)
    db.session.commit()
    assert again.id != subject.id


def test_erasing_the_last_admin_is_refused(org):
    with pytest.raises(privacy.PrivacyError, match="last administrator"):
        privacy.erase_person(org["admin"])
    db.session.rollback()
    assert db.session.get(User, org["admin"].id).erased_at is None


def test_login_and_old_cookies_are_refused_after_erasure(org, client, auth):
    subject = org["subject"]
    auth.login(subject, remember=True)
    assert client.get("/profile").status_code == 200
    privacy.erase_person(db.session.get(User, subject.id))
    db.session.commit()
    response = client.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The remember-me cookie alone (session cookie gone) gets nobody in either.
    client.delete_cookie("session")
    assert client.get("/profile").status_code == 302
    assert auth.login("zoe@example.com").status_code != 302


# Retention --------------------------------------------------------------------------------------

def test_prune_keeps_the_trends_as_they_were(org):
    before = figures_snapshot()
    # One month back cuts through the 12-week trend: those weeks are closed already.
    counts = privacy.prune(1)
    db.session.commit()
    db.session.expire_all()
    assert counts["pulse_answers"] > 0
    assert figures_snapshot() == before
    assert_snapshots_matter(before)
    cutoff = datetime.now(UTC) - timedelta(days=27)
    assert db.session.scalar(select(db.func.count()).select_from(PulseAnswer)
                             .where(PulseAnswer.answered_at < cutoff - timedelta(days=5))) == 0


def test_prune_then_erase_keeps_figures(org):
    before = figures_snapshot()
    privacy.prune(2)
    privacy.erase_person(org["subject"])
    privacy.erase_person(org["alpha"][2])
    db.session.commit()
    db.session.expire_all()
    assert figures_snapshot() == before


@pytest.mark.parametrize("months", [0, -3])
def test_prune_refuses_a_period_that_is_not_positive(app, months):
    with pytest.raises(privacy.PrivacyError):
        privacy.prune(months)


def test_prune_removes_old_events_and_audit_entries(org):
    old = datetime.now(UTC) - timedelta(days=800)
    db.session.add(ActivityEvent(actor_id=org["alpha"][0].id, verb="experienced",
                                 object_type="module", object_id="x", timestamp=old))
    db.session.add(AuditEntry(action="roles_changed", at=old, actor_label="cli"))
    db.session.commit()
    counts = privacy.prune()
    db.session.commit()
    assert counts["activity_events"] == 1 and counts["audit_entries"] == 1
    assert db.session.scalar(select(db.func.count()).select_from(ActivityEvent)
                             .where(ActivityEvent.timestamp < old + timedelta(days=1))) == 0
