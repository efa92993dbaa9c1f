"""Helpers for authorisation tests: other trusts' users must never see our data."""


def assert_not_found_for(client, user, urls, method: str = "get") -> None:
    """Signs in as `user` and asserts every URL answers 404 (not 403: we don't confirm
    that another trust's object exists)."""
    client.force_login(user)
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
