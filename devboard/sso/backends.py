from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from devboard import pagecache


class KeptUser:
    """Backend mixin: the signed-in person kept between requests rather than read on every one.

    Kept under their stamp (devboard/pagecache.py), which any save or delete of their row, or a
    change of their groups, moves on. The password hash is left out (its field stays deferred, so
    reading it reads the database and saving the person never writes it); the session hash worked
    out from it, which the session itself holds already, is kept instead.
    """

    def get_user(self, user_id):
        return pagecache.remember(("signed-in", user_id), [("user", user_id)], lambda: self._kept(user_id))

    def _kept(self, user_id):
        user = super().get_user(user_id)
        if user is None:
            return None
        names = [f.attname for f in type(user)._meta.concrete_fields if f.attname != "password"]
        kept = type(user).from_db(user._state.db, names, [getattr(user, name) for name in names])
        kept.kept_session_hash = user.get_session_auth_hash()
        return kept


class LocalPasswordBackend(KeptUser, ModelBackend):
    """Username and password. With LOCAL_LOGIN=false only superusers may use it: the break-glass way in
    when the institution's sign-in is down or misconfigured.

    Refusing raises PermissionDenied, which stops Django from asking the plain ModelBackend after it
    (kept in AUTHENTICATION_BACKENDS so sessions it started stay valid).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN and username is not None:
            user = get_user_model()._default_manager.filter(username=username).first()
            if user is None or not user.is_superuser:
                raise PermissionDenied("Local sign-in is for superusers only on this site.")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def user_can_authenticate(self, user) -> bool:
        if not settings.LOCAL_LOGIN and not user.is_superuser:
            return False
        return super().user_can_authenticate(user)
