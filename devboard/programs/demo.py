"""Demo program: the director directs it; the resident and the faculty member belong to it."""


def create(users: dict) -> None:
    pass
