"""`learnpath users import` and the admin CSV upload."""

import io

from learnpath.accounts import services
from learnpath.accounts.csv_import import import_users_csv
from learnpath.extensions import db

GOOD = (
    "email,name,team,manager_email,roles\n"
    "boss@example.com,Bea Boss,Ops,,employee|manager\n"
    "ann@example.com,Ann,Ops,boss@example.com,employee\n"
    "bob@example.com,Bob,Ops,boss@example.com,\n"
)


def _import(text, encoding="utf-8"):
    report = import_users_csv(text.encode(encoding) if isinstance(text, str) else text)
    db.session.commit()
    return report


def test_import_creates_people_teams_and_managers(app):
    report = _import(GOOD)
    assert [r.status for r in report.rows] == ["created"] * 3
    team = services.get_team_by_name("Ops")
    assert [p.email for p in services.team_people(team, "manager")] == ["boss@example.com"]
    assert {p.email for p in services.team_people(team, "member")} == {
        "boss@example.com", "ann@example.com", "bob@example.com"}
    assert services.get_user_by_email("bob@example.com").roles == {"employee"}


def test_import_twice_changes_nothing(app):
    _import(GOOD)
    report = _import(GOOD)
    assert [r.status for r in report.rows] == ["unchanged"] * 3


def test_import_updates_names_and_adds_roles_but_never_deletes(app, make_user):
    make_user(email="carl@example.com", name="Carl Old", roles=("employee", "author"))
    report = _import("email,name,team,manager_email,roles\ncarl@example.com,Carl New,,,hr\n")
    assert report.rows[0].status == "updated"
    carl = services.get_user_by_email("carl@example.com")
    assert carl.display_name == "Carl New"
    assert carl.roles == {"employee", "author", "hr"}
    _import("email,name,team,manager_email,roles\nother@example.com,Other,,,\n")
    assert services.get_user_by_email("carl@example.com") is not None


def test_one_bad_row_does_not_stop_the_others(app):
    text = ("email,name,team,manager_email,roles\n"
            "good@example.com,Good,,,\n"
            "not-an-email,Bad,,,\n"
            "wizard@example.com,Wiz,,,wizard\n"
            "good@example.com,Again,,,\n"
            "orphan@example.com,Orphan,Ops,ghost@example.com,\n"
            "also.good@example.com,Also Good,,,\n")
    report = _import(text)
    statuses = {r.row: r.status for r in report.rows}
    assert statuses == {2: "created", 3: "invalid", 4: "invalid", 5: "invalid", 6: "invalid",
                        7: "created"}
    messages = {r.row: " ".join(str(m) for m in r.messages) for r in report.rows}
    assert "not a valid e-mail address" in messages[3]
    assert "Unknown role(s) wizard" in messages[4]
    assert "already used on line 2" in messages[5]
    assert "ghost@example.com is neither in the file nor known" in messages[6]
    assert services.get_user_by_email("wizard@example.com") is None  # nothing half-imported
    assert services.get_user_by_email("orphan@example.com") is None
    assert services.get_team_by_name("Ops") is None


def test_wrong_columns_import_nothing(app):
    report = _import("mail,full name\nx@example.com,X\n")
    assert not report.ok and report.rows == []
    assert "Required columns are missing: email, name." in str(report.errors[0])
    assert "team, manager_email and roles are optional" in str(report.errors[0])
    assert services.get_user_by_email("x@example.com") is None


def test_bad_encoding_is_reported(app):
    report = _import("email,name,team,manager_email,roles\nj@example.com,Jos\xe9,,,\n", "latin-1")
    assert not report.ok
    assert "not UTF-8" in str(report.errors[0])


def test_semicolon_csv_from_dutch_excel_with_bom(app):
    text = "\ufeffemail;name;team;manager_email;roles\nlies@example.com;Liës;Zorg;;employee\n"
    report = _import(text)
    assert report.rows[0].status == "created"
    assert services.get_user_by_email("lies@example.com").display_name == "Liës"


def test_cli_import_reports_rows_and_fails_on_invalid(runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email,name,team,manager_email,roles\nok@example.com,Ok,,,\nbad,Bad,,,\n")
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: created" in result.output
    assert f"{path}:3: invalid" in result.output
    assert "1 created, 0 updated, 0 unchanged, 1 invalid" in result.output


def test_cli_import_of_good_file_exits_zero(runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output


def test_admin_upload_shows_the_report(client, login_as):
    login_as("admin")
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(GOOD.encode()), "people.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "3 created, 0 updated, 0 unchanged, 0 invalid" in response.get_data(as_text=True)


def test_admin_upload_with_bad_rows_is_a_422_with_report(client, login_as):
    login_as("admin")
    data = b"email,name,team,manager_email,roles\nbad,Bad,,,\n"
    response = client.post("/admin/users/import", data={"file": (io.BytesIO(data), "p.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "is not a valid e-mail address" in response.get_data(as_text=True)


def test_admin_upload_without_file_is_a_400(client, login_as):
    login_as("admin")
    response = client.post("/admin/users/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Please choose a CSV file" in response.get_data(as_text=True)


def test_report_escapes_markup_from_the_file(client, login_as):
    login_as("admin")
    data = b"email,name,team,manager_email,roles\n<script>alert(1)</script>,X,,,\n"
    response = client.post("/admin/users/import", data={"file": (io.BytesIO(data), "p.csv")},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_optional_columns_may_be_left_out(app):
    report = _import("email,name\nzoe@example.com,Zoe\n")
    assert report.ok and [r.status for r in report.rows] == ["created"]
    assert services.get_user_by_email("zoe@example.com").roles == {"employee"}
    report = _import("name;email;team\nYara;yara@example.com;Ops\n")
    assert report.ok and [r.status for r in report.rows] == ["created"]
    assert services.get_team_by_name("Ops") is not None


def test_a_team_the_import_creates_is_reported_as_new(app, make_team):
    make_team(name="Sales")
    report = _import("email,name,team\na@example.com,A,sales\nb@example.com,B,Slaes\n"
                     "c@example.com,C,Slaes\n")
    assert report.new_teams == ["Slaes"]
    assert [[str(m) for m in r.messages] for r in report.rows] == [
        [], ["new team Slaes"], ["new team Slaes"]]
    again = _import("email,name,team\nd@example.com,D,Slaes\n")
    assert again.new_teams == [] and again.rows[0].messages == []


def test_cli_import_names_the_new_teams(runner, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email,name,team\na@example.com,A,Sales\n")
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "new team Sales" in result.output
    assert "New teams (check the spelling): Sales" in result.output


def test_admin_downloads_a_template_that_imports_cleanly(client, login_as):
    login_as("admin")
    page = client.get("/admin/users/import").get_data(as_text=True)
    assert "/admin/users/import/people-template.csv" in page
    template = client.get("/admin/users/import/people-template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.get_data(as_text=True).lstrip("\ufeff").startswith(
        "email,name,team,manager_email,roles\r\n")
    response = client.post("/admin/users/import", data={
        "file": (io.BytesIO(template.get_data()), "people-template.csv")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged, 0 invalid" in html
    assert "This import created 1 new team: Product." in html
    semicolons = client.get("/admin/users/import/people-template.csv?sep=semicolon")
    assert "email;name;team;manager_email;roles" in semicolons.get_data(as_text=True)


def test_the_new_team_notice_speaks_dutch(client, login_as):
    login_as("admin", locale="nl")
    data = b"email,name,team\na@example.com,A,Sales\n"
    html = client.post("/admin/users/import", data={"file": (io.BytesIO(data), "p.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "nieuw team Sales" in html
    assert "1 nieuw team aangemaakt: Sales." in html


def test_only_admins_get_the_template(client, login_as):
    login_as("employee")
    assert client.get("/admin/users/import/people-template.csv").status_code == 403
