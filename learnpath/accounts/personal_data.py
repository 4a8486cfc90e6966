"""Personal data of accounts: roles and team memberships (the account row itself is
pseudonymised by privacy's erasure)."""

from sqlalchemy import delete, select

from learnpath.accounts import links, scim, sso
from learnpath.accounts.models import Team, TeamMembership, UserRole
from learnpath.extensions import db
from learnpath.personal_data import KEPT, register_personal_data


def _export_roles(user):
    return sorted(db.session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))


def _erase_roles(user):
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))


def _export_teams(user):
    rows = db.session.execute(
        select(Team.name, TeamMembership.kind, TeamMembership.joined_at)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(TeamMembership.user_id == user.id).order_by(Team.name, TeamMembership.kind))
    return [{"team": name, "as": kind, "joined_at": joined and joined.isoformat()}
            for name, kind, joined in rows]


def _erase_teams(user):
    db.session.execute(delete(TeamMembership).where(TeamMembership.user_id == user.id))


def register() -> None:
    """Declare this feature's personal data (called from hooks.init_app)."""
    register_personal_data(UserRole, export=_export_roles, erase=_erase_roles, retention=KEPT,
                           section="roles", order=10)
    register_personal_data(TeamMembership, export=_export_teams, erase=_erase_teams,
                           retention=KEPT, section="teams", order=90)
    links.register()
    sso.register()
    scim.register()
