from django.conf import settings


def layan(request) -> dict:
    """What every page needs to know about the install itself."""
    return {"demo_mode": settings.DEMO_MODE}
