from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def site(request: HttpRequest) -> dict:
    """Who runs this devboard and how to reach them: the bar, the footer and the sign-in page use these."""
    return {
        "institution_name": settings.INSTITUTION_NAME,
        "institution_logo": settings.INSTITUTION_LOGO_URL,
        "support_email": settings.SUPPORT_EMAIL,
        "accessibility_url": settings.ACCESSIBILITY_URL or reverse("accessibility"),
    }
