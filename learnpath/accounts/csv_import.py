"""Import people from an HR export (CSV): idempotent, row by row, never deleting anyone."""

import csv
import io
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from learnpath.accounts import services
from learnpath.accounts.models import NAME_MAX
from learnpath.extensions import db
from learnpath.web.access import ROLES
from learnpath.web.i18n import lazy_text as _l

COLUMNS = ("email", "name", "team", "manager_email", "roles")
REQUIRED_COLUMNS = ("email", "name")  # the others may be left out: empty in every row
# The example rows of the template people download from the import page.
TEMPLATE_ROWS = (
    ("grace@example.com", "Grace Hopper", "Product", "", "employee|manager"),
    ("ada@example.com", "Ada Lovelace", "Product", "grace@example.com", "employee"),
)
# Optional: the person's primary team (their engagement home); default the first team listed.
OPTIONAL_COLUMNS = ("primary_team",)
ROLE_SEPARATORS = re.compile(r"[|;,\s]+")
TEAM_SEPARATOR = "|"  # several teams in the team column: "Support|Project Atlas"


@dataclass
class RowResult:
    row: int
    email: str
    status: str  # created, updated, unchanged or invalid
    messages: list = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    errors: list = field(default_factory=list)  # problems with the file as a whole
    new_teams: list[str] = field(default_factory=list)  # created by this import: a typo shows

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def ok(self) -> bool:
        return not self.errors and self.count("invalid") == 0


@dataclass
class _Row:
    line: int
    email: str
    name: str
    team: str  # the primary team (managed by manager_email)
    manager_email: str
    roles: list[str]
    problems: list = field(default_factory=list)
    teams: list[str] = field(default_factory=list)  # every team listed, primary first


def _valid_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _parse(text: str, report: ImportReport) -> list[_Row]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        report.errors.append(_l(
            "Required columns are missing: %(missing)s. The header row needs email and name; "
            "team, manager_email and roles are optional.", missing=", ".join(missing)))
        return []
    reader.fieldnames = header
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            values = {key: "" for key in (*COLUMNS, *OPTIONAL_COLUMNS)}
            problems = [_l("This row has more values than the header has columns.")]
        else:
            values = {key: (record.get(key) or "").strip()
                      for key in (*COLUMNS, *OPTIONAL_COLUMNS)}
            problems = []
        if not any(values.values()) and not problems:
            continue  # blank line
        teams = list(dict.fromkeys(
            name.strip() for name in values["team"].split(TEAM_SEPARATOR) if name.strip()))
        primary = values["primary_team"] or (teams[0] if teams else "")
        if primary and primary not in teams:
            problems.append(_l("The primary team %(team)s is not one of the teams in the team "
                               "column.", team=primary))
        row = _Row(
            line=line,
            email=services.normalise_email(values["email"]),
            name=values["name"],
            team=primary,
            teams=[primary, *(name for name in teams if name != primary)] if primary else [],
            manager_email=services.normalise_email(values["manager_email"]),
            roles=[r.lower() for r in ROLE_SEPARATORS.split(values["roles"]) if r],
            problems=problems,
        )
        _validate(row, seen)
        rows.append(row)
    return rows


def _validate(row: _Row, seen: dict[str, int]) -> None:
    if not row.email or not _valid_email(row.email):
        row.problems.append(_l("%(email)s is not a valid e-mail address.", email=row.email or "''"))
    elif row.email in seen:
        row.problems.append(_l("This e-mail address is already used on line %(line)d.",
                               line=seen[row.email]))
    else:
        seen[row.email] = row.line
    if not row.name:
        row.problems.append(_l("The name is empty."))
    elif len(row.name) > NAME_MAX:
        row.problems.append(_l("The name is longer than %(max)d characters.", max=NAME_MAX))
    if any(len(team) > NAME_MAX for team in row.teams):
        row.problems.append(_l("The team name is longer than %(max)d characters.", max=NAME_MAX))
    unknown = sorted(set(row.roles) - set(ROLES))
    if unknown:
        row.problems.append(_l("Unknown role(s) %(roles)s; known roles: %(known)s.",
                               roles=", ".join(unknown), known=", ".join(ROLES)))
    if row.manager_email:
        if not _valid_email(row.manager_email):
            row.problems.append(_l("The manager's e-mail address is not valid."))
        elif not row.team:
            row.problems.append(_l("A manager is given but no team."))
        elif row.manager_email == row.email:
            row.problems.append(_l("A person cannot be listed as their own manager."))


def import_users_csv(data: bytes, actor=None) -> ImportReport:
    """Create or update people, teams and managers from CSV bytes; report every row.

    Every person created or changed is written to the audit log, as done by `actor` (the
    administrator who uploaded the file) or, without one, by the command line import.
    """
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.errors.append(_l(
            "The file is not UTF-8 text (unreadable byte at position %(position)d). "
            "Save it as 'CSV UTF-8' and try again.", position=exc.start))
        return report
    if "\x00" in text:
        report.errors.append(_l("The file is not a CSV text file."))
        return report
    rows = _parse(text, report)
    if report.errors:
        return report

    valid_emails = {row.email for row in rows if not row.problems}
    for row in rows:
        if (row.manager_email and not row.problems and row.manager_email not in valid_emails
                and services.get_user_by_email(row.manager_email) is None):
            row.problems.append(_l("The manager %(email)s is neither in the file nor known.",
                                   email=row.manager_email))

    results: dict[int, RowResult] = {}
    for row in rows:
        if row.problems:
            results[row.line] = RowResult(row.line, row.email, "invalid", row.problems)
            continue
        with db.session.begin_nested():
            results[row.line] = _apply_person(row, actor)
    report.new_teams = _apply_teams(rows, results, actor)
    report.rows = [results[row.line] for row in rows]
    db.session.flush()
    return report


def _apply_teams(rows: list[_Row], results: dict[int, RowResult], actor=None) -> list[str]:
    """Put each valid row's person in their teams; return the teams this import created."""
    new_teams: dict[str, str] = {}  # lower-case name -> name as created
    for row in rows:
        if row.problems or not row.team:
            continue
        with db.session.begin_nested():
            if _apply_team(row, new_teams, actor) and results[row.line].status == "unchanged":
                results[row.line].status = "updated"
        for name in row.teams:
            if name.lower() in new_teams:
                results[row.line].messages.append(_l("new team %(team)s",
                                                     team=new_teams[name.lower()]))
    return sorted(new_teams.values(), key=str.lower)


AUDIT = {"label": "import", "via": "import"}  # actor None: the command line import


def _apply_person(row: _Row, actor=None) -> RowResult:
    roles = row.roles or ["employee"]
    user = services.get_user_by_email(row.email)
    if user is None:
        user = services.create_user(row.email, row.name, roles=roles)
        services.report_person_change("person_created", actor, user,
                                      roles=sorted(user.roles), **AUDIT)
        return RowResult(row.line, row.email, "created")
    before = set(user.roles)
    changed = services.add_roles(user, roles)
    if changed:
        services.report_role_change(actor, user, before, set(user.roles), **AUDIT)
    if user.display_name != row.name:
        user.display_name = row.name
        services.report_person_change("person_updated", actor, user, changed=["name"], **AUDIT)
        changed = True
    db.session.flush()
    return RowResult(row.line, row.email, "updated" if changed else "unchanged")


def _apply_team(row: _Row, new_teams: dict[str, str], actor=None) -> bool:
    """Add the person to every team listed (never removing one), make the primary team
    theirs, and the manager the primary team's manager."""
    user = services.get_user_by_email(row.email)
    changed = False
    primary = None
    for name in row.teams:
        team = services.get_team_by_name(name)
        if team is None:
            team = services.create_team(name)
            new_teams[team.name.lower()] = team.name
        if services.add_to_team(team, user, "member"):
            services.report_team_change(actor, user, "member", added=[team.name], **AUDIT)
            changed = True
        primary = primary or team
    if user.primary_team_id != primary.id:
        services.set_primary_team(user, primary)
        changed = True
    if row.manager_email:
        manager = services.get_user_by_email(row.manager_email)
        roles_before = set(manager.roles)
        if services.add_to_team(primary, manager, "manager"):
            services.report_team_change(actor, manager, "manager", added=[primary.name], **AUDIT)
            services.report_role_change(actor, manager, roles_before, set(manager.roles), **AUDIT)
            changed = True
    return changed
