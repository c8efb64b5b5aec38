"""Demo worksheets for the demo resident: one completed, one draft."""


def create(user) -> None:
    # Filled in with the worksheet flow.
    pass
