from .conftest import assert_accessible, sign_in


def test_role_guide_is_accessible(page, live_server, resident, axe):
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/roles/")
    assert page.get_by_role("heading", name="Role guide").is_visible()
    assert_accessible(page, axe)
