"""Account and team operations: plain functions that flush and let the caller commit."""

from collections.abc import Iterable
from functools import cache

from sqlalchemy import func, or_, select
from sqlalchemy.orm import lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from learnpath.accounts.models import (
    EMAIL_MAX,
    Team,
    TeamMembership,
    User,
    UserRole,
    password_hash_method,
)
from learnpath.extensions import db
from learnpath.signals import account_event, person_changed, roles_changed
from learnpath.timeutil import utcnow
from learnpath.web.access import ROLES
from learnpath.web.i18n import lazy_text as _l


@cache
def _dummy_hash(method: str) -> str:
    """Checked when no account matches, so a wrong e-mail costs as much as a wrong password."""
    return generate_password_hash("not-a-real-password", method=method)


class AccountError(ValueError):
    """A refused account change, with a message fit to show the person."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    display_name: str,
    password: str | None = None,
    roles: Iterable[str] = ("employee",),
    locale: str | None = None,
) -> User:
    """Create a person; refuse an e-mail address that is already taken (in any letter case)."""
    email = normalise_email(email)
    if len(email) > EMAIL_MAX:
        raise AccountError(_l("The e-mail address is too long."))
    if get_user_by_email(email) is not None:
        raise AccountError(_l("Someone with this e-mail address already exists."))
    user = User(email=email, display_name=display_name.strip(), locale=locale, active=True)
    if password:
        user.set_password(password)
    db.session.add(user)
    set_roles(user, roles)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the person whose e-mail and password match, or None (without saying which failed)."""
    user = get_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(password_hash_method()), password or "")
        return None
    return user if user.check_password(password or "") else None


def set_roles(user: User, roles: Iterable[str]) -> None:
    """Give the person exactly these roles."""
    wanted = set(roles)
    unknown = wanted - set(ROLES)
    if unknown:
        raise AccountError(_l("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    for row in list(user.role_rows):
        if row.role not in wanted:
            user.role_rows.remove(row)
    for role in sorted(wanted - user.roles):
        user.role_rows.append(UserRole(role=role))
    db.session.flush()


def add_roles(user: User, roles: Iterable[str]) -> bool:
    """Add roles without removing any; return whether something changed."""
    missing = set(roles) - user.roles
    if missing:
        set_roles(user, user.roles | missing)
    return bool(missing)


def update_profile(user: User, display_name: str, locale: str | None,
                   daily_reviews: int | None = None) -> None:
    user.display_name = display_name.strip()
    user.locale = locale or None
    if daily_reviews is not None:
        user.daily_reviews = max(0, min(50, int(daily_reviews)))
    db.session.flush()


def set_locale(user: User, locale: str | None) -> None:
    user.locale = locale or None
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; ends the person's other sessions."""
    if not user.check_password(current_password):
        raise AccountError(_l("Your current password is not correct."))
    set_password(user, new_password)


def set_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.rotate_session_token()
    db.session.flush()


def record_sign_in(user: User) -> None:
    """Remember when the person last signed in (shown on the admin people list)."""
    user.last_login_at = utcnow()
    db.session.flush()


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of this person."""
    user.rotate_session_token()
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending all sessions at once) or reactivate a person."""
    user.active = active
    if not active:
        user.rotate_session_token()
    db.session.flush()


def search_users(query: str = "", page: int = 1, per_page: int = 25):
    """Return a page of people whose name or e-mail contains the query."""
    stmt = (select(User).where(User.erased_at.is_(None))  # erased: gone from every list
            .order_by(func.lower(User.display_name), User.id))
    query = (query or "").strip()
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(
            or_(func.lower(User.display_name).like(pattern), User.email.like(pattern))
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


# Teams ---------------------------------------------------------------------------------------


def get_team_by_name(name: str) -> Team | None:
    return db.session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def create_team(name: str) -> Team:
    name = name.strip()
    if get_team_by_name(name) is not None:
        raise AccountError(_l("A team with this name already exists."))
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    return team


def rename_team(team: Team, name: str) -> None:
    other = get_team_by_name(name)
    if other is not None and other.id != team.id:
        raise AccountError(_l("A team with this name already exists."))
    team.name = name.strip()
    db.session.flush()


def team_people(team: Team, kind: str) -> list[User]:
    return db.session.scalars(
        select(User)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team.id, TeamMembership.kind == kind)
        .order_by(func.lower(User.display_name))
    ).all()


def set_team_people(team: Team, kind: str, people: Iterable[User]) -> None:
    """Make exactly these people the team's members (or managers); managers get the role."""
    wanted = {person.id: person for person in people}
    for membership in list(team.memberships):
        if membership.kind == kind and membership.user_id not in wanted:
            team.memberships.remove(membership)
    present = {m.user_id for m in team.memberships if m.kind == kind}
    for user_id, person in wanted.items():
        if user_id not in present:
            team.memberships.append(TeamMembership(user=person, kind=kind))
        if kind == "manager":
            add_roles(person, ["manager"])
    db.session.flush()
    if kind == "member":
        for person in wanted.values():
            keep_primary_team(person)
        for user_id in db.session.scalars(select(User.id).where(
                User.primary_team_id == team.id, User.id.not_in(list(wanted) or [0]))):
            keep_primary_team(db.session.get(User, user_id))


def add_to_team(team: Team, user: User, kind: str = "member") -> bool:
    """Add one person to a team; return whether that changed anything."""
    exists = db.session.scalar(
        select(TeamMembership.id).where(
            TeamMembership.team_id == team.id,
            TeamMembership.user_id == user.id,
            TeamMembership.kind == kind,
        )
    )
    if exists:
        return False
    db.session.add(TeamMembership(team=team, user=user, kind=kind))
    if kind == "manager":
        add_roles(user, ["manager"])
    db.session.flush()
    if kind == "member":
        keep_primary_team(user)
    return True


def teams_of(user: User, kind: str = "member") -> list[Team]:
    return db.session.scalars(
        select(Team)
        .join(TeamMembership)
        .where(TeamMembership.user_id == user.id, TeamMembership.kind == kind)
        .order_by(Team.name)
    ).all()


def list_teams_with_counts() -> list[tuple[Team, int, int]]:
    """Return every team with its number of members and managers, in one query."""
    members = func.count(TeamMembership.id).filter(TeamMembership.kind == "member")
    managers = func.count(TeamMembership.id).filter(TeamMembership.kind == "manager")
    rows = db.session.execute(
        select(Team, members, managers)
        .outerjoin(TeamMembership)
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    return [(team, n_members, n_managers) for team, n_members, n_managers in rows]


def managed_teams_with_members(manager: User) -> list[tuple[Team, list[User]]]:
    """Return the teams this person manages, each with its members, in two queries."""
    teams = teams_of(manager, "manager")
    if not teams:
        return []
    rows = db.session.execute(
        select(TeamMembership.team_id, User)
        .join(User, User.id == TeamMembership.user_id)
        # The members' roles are not needed here: no roles query for 50 people.
        .options(lazyload(User.role_rows))
        .where(TeamMembership.team_id.in_([t.id for t in teams]), TeamMembership.kind == "member")
        .order_by(func.lower(User.display_name))
    ).all()
    by_team: dict[int, list[User]] = {t.id: [] for t in teams}
    for team_id, user in rows:
        by_team[team_id].append(user)
    return [(team, by_team[team.id]) for team in teams]


def manages(manager: User, person: User) -> bool:
    """True when the manager manages a team the person is a member of."""
    managed = select(TeamMembership.team_id).where(
        TeamMembership.user_id == manager.id, TeamMembership.kind == "manager"
    )
    return bool(db.session.scalar(
        select(func.count()).select_from(TeamMembership).where(
            TeamMembership.user_id == person.id,
            TeamMembership.kind == "member",
            TeamMembership.team_id.in_(managed),
        )
    ))


def count_people() -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))) or 0


def update_user(user: User, email: str, display_name: str, locale: str | None,
                roles: Iterable[str]) -> None:
    """Change a person's details and roles (admin)."""
    email = normalise_email(email)
    other = get_user_by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError(_l("Someone with this e-mail address already exists."))
    user.email = email
    user.display_name = display_name.strip()
    user.locale = locale or None
    set_roles(user, roles)


def set_teams_of(user: User, teams: Iterable[Team]) -> None:
    """Make the person a member of exactly these teams (management roles are left alone)."""
    wanted = {team.id: team for team in teams}
    for membership in list(user.memberships):
        if membership.kind == "member" and membership.team_id not in wanted:
            user.memberships.remove(membership)
    present = {m.team_id for m in user.memberships if m.kind == "member"}
    for team_id, team in wanted.items():
        if team_id not in present:
            user.memberships.append(TeamMembership(team=team, kind="member"))
    db.session.flush()
    keep_primary_team(user)


def remove_from_team(team: Team, user: User, kind: str) -> bool:
    """Take one person out of a team; return whether they were in it."""
    removed = False
    for membership in list(team.memberships):
        if membership.user_id == user.id and membership.kind == kind:
            team.memberships.remove(membership)
            removed = True
    db.session.flush()
    if kind == "member":
        keep_primary_team(user)
    return removed


# Primary teams ---------------------------------------------------------------------------------
#
# Every person in a team has exactly one primary team, their engagement home (DESIGN.md
# section 6): engagement figures exist only for primary teams and the organisation.


def member_team_ids(user: User) -> list[int]:
    """The person's member teams, oldest membership first."""
    return list(db.session.scalars(
        select(TeamMembership.team_id)
        .where(TeamMembership.user_id == user.id, TeamMembership.kind == "member")
        .order_by(TeamMembership.id)))


def keep_primary_team(user: User) -> None:
    """Keep the primary team one of the person's member teams: unchanged while it is one,
    else their first member team (by membership), None without any."""
    teams = member_team_ids(user)
    if user.primary_team_id not in teams:
        user.primary_team_id = teams[0] if teams else None
        db.session.flush()


def set_primary_team(user: User, team: Team) -> None:
    """Make `team` the person's primary team, adding them as a member when they are not."""
    add_to_team(team, user, "member")
    if user.primary_team_id != team.id:
        user.primary_team_id = team.id
        db.session.flush()


def primary_team_counts() -> dict[int, int]:
    """How many active people have each team as their primary team (one grouped query)."""
    return dict(db.session.execute(
        select(User.primary_team_id, func.count())
        .where(User.active.is_(True), User.primary_team_id.is_not(None))
        .group_by(User.primary_team_id)).all())


def report_event(action: str, *, actor=None, target: User | None = None, label: str = "web",
                 details: dict | None = None) -> None:
    """Tell who listens (privacy's audit log) about a sign-in event: an invitation, a password
    reset, a single sign-on link, a SCIM change (learnpath.signals.account_event)."""
    account_event.send(target, action=action, actor=actor, label=label, details=details)


def report_role_change(actor, person, before: set[str], after: set[str],
                       label: str = "web", via: str | None = None) -> None:
    """Tell who listens (privacy's audit log) that a person's roles were changed by actor
    (None for the command line or an import); `via` "import" for the people import."""
    roles_changed.send(person, actor=actor, before=set(before), after=set(after), label=label,
                       via=via)


def report_person_change(action: str, actor, person, *, label: str = "web",
                         via: str | None = None, **details) -> None:
    """Tell who listens (privacy's audit log) that actor created, changed, deactivated or
    reactivated a person (action person_created, person_updated, person_deactivated,
    person_reactivated); details say what (roles given, names of the fields changed)."""
    if via:
        details["via"] = via
    person_changed.send(person, action=action, actor=actor, label=label, details=details)


def report_team_change(actor, person, kind: str, *, added=(), removed=(), label: str = "web",
                       via: str | None = None) -> None:
    """Tell who listens that a person joined (added) or left (removed) teams, by team name,
    as member or manager; nothing when neither."""
    added, removed = sorted(added), sorted(removed)
    if added or removed:
        report_person_change("teams_changed", actor, person, label=label, via=via, kind=kind,
                             added=added, removed=removed)
