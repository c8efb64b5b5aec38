from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class LocalPasswordBackend(ModelBackend):
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
