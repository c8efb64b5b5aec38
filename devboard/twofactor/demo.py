"""The demo director has two-step sign-in on, with backup codes printed by load_demo, so the
demo shows the second step without anyone needing an authenticator app."""

from . import devices


def create(user) -> list[str]:
    """Turn two-step sign-in on for `user` (a fresh authenticator key nobody holds) and return new backup codes."""
    device = devices.authenticator(user) or devices.start_set_up(user)
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return devices.new_backup_codes(user)
