"""Navigation shows only what a person's roles allow; role pages hold real data."""

import re


def _nav(html):
    header = html.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    return set(re.findall(r'href="([^"]+)"', header))


def test_employee_manager_and_admin_see_different_navigation(app, make_user, auth):
    employee = make_user(roles=("employee",))
    manager = make_user(roles=("employee", "manager"))
    admin = make_user(roles=("employee", "admin"))
    seen = {}
    for name, person in [("employee", employee), ("manager", manager), ("admin", admin)]:
        client = app.test_client()
        type(auth)(client).login(person)
        seen[name] = _nav(client.get("/").get_data(as_text=True))
    assert "/manager" not in seen["employee"] and "/admin/" not in seen["employee"]
    assert "/manager" in seen["manager"] and "/admin/" not in seen["manager"]
    assert "/admin/" in seen["admin"] and "/manager" not in seen["admin"]
    assert len({frozenset(s) for s in seen.values()}) == 3


def test_manager_page_lists_own_teams_only(client, login_as, make_user, make_team):
    manager = login_as("employee", "manager")
    mine = make_team("Mine", managers=[manager], members=[make_user(name="Ada Member")])
    make_team("Theirs", members=[make_user(name="Zed Stranger")])
    html = client.get("/manager").get_data(as_text=True)
    assert mine.name in html and "Ada Member" in html
    assert "Zed Stranger" not in html and "Theirs" not in html


def test_manager_page_runs_the_same_number_of_queries_for_more_teams(
        client, login_as, make_user, make_team, queries):
    manager = login_as("employee", "manager")
    make_team(managers=[manager], members=[make_user() for _ in range(2)])
    client.get("/manager")
    with queries() as small:
        assert client.get("/manager").status_code == 200
    for _ in range(4):
        make_team(managers=[manager], members=[make_user() for _ in range(5)])
    with queries() as large:
        assert client.get("/manager").status_code == 200
    assert len(small) == len(large)


def test_admin_people_page_query_count_is_bounded(client, login_as, make_user, queries):
    login_as("admin")
    make_user()
    with queries() as small:
        client.get("/admin/users")
    for _ in range(20):
        make_user(roles=("employee", "author"))
    with queries() as large:
        client.get("/admin/users")
    assert len(small) == len(large)


def test_hr_page_says_who_each_head_count_counts(client, login_as, make_user, make_team):
    """Members per team (a person can be in several) next to the people whose primary team
    it is (where engagement figures count them); whether figures are shown depends on who gave
    a signal in a closed week, which the engagement overview says per team."""
    login_as("hr")
    shared = [make_user() for _ in range(2)]
    make_team("Big", members=[*shared, *(make_user() for _ in range(4))])
    make_team("Project", members=shared)
    html = client.get("/hr").get_data(as_text=True)
    rows = {name: html.split(f"<td>{name}</td>")[1].split("</tr>")[0]
            for name in ("Big", "Project")}
    assert "<td>6</td>" in rows["Big"] and "6 people" in rows["Big"]
    assert "<td>2</td>" in rows["Project"] and "0 people" in rows["Project"]
    assert "Primary team" in html and "counts there only" in html
    assert "gave a signal" in html and 'href="/engagement/hr"' in html


def test_home_page_in_dutch_has_no_english_leftovers(client, login_as):
    login_as("employee", "manager", "author", "hr", "admin", locale="nl")
    for path in ["/", "/profile", "/profile/password", "/manager", "/author/", "/hr", "/modules",
                 "/admin/", "/admin/users", "/admin/teams", "/admin/users/import",
                 "/admin/users/new", "/author/new", "/author/upload"]:
        html = client.get(path).get_data(as_text=True)
        for english in ["Sign out", "Profile", "Save", "Language",
                        "E-mail address", "Welcome"]:
            assert f">{english}<" not in html, (path, english)


def test_every_page_names_its_icons_and_they_are_served(client):
    html = client.get("/login").get_data(as_text=True)
    for url, kind in (("/favicon.ico", "image/"), ("/static/icon.svg", "image/svg+xml"),
                      ("/static/apple-touch-icon.png", "image/png")):
        assert f'href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype.startswith(kind)
    direct = client.get("/favicon.ico")  # asked for by browsers on pages that name no icon
    assert direct.status_code == 200 and direct.mimetype.startswith("image/")
    assert direct.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_favicon_is_public_and_cacheable_when_signed_in(client, login_as):
    login_as()
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
