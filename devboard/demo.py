"""The demo faculty member's board."""


def create(users: dict) -> None:
    pass
