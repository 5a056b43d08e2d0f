"""Where the public pages send people for what Layan does not serve yet."""

from django.urls import NoReverseMatch, reverse

from layan.offices.models import Office

# The URL name the satisfaction survey page will take (PermenPANRB 14/2017); a later
# issue adds it. Until then the survey channel is shown as text.
SURVEY_URL_NAME = "survey"


def survey_url(office: Office) -> str | None:
    """The office's Survei Kepuasan Masyarakat page, or None while Layan has none."""
    try:
        return reverse(SURVEY_URL_NAME, kwargs={"office": office.slug})
    except NoReverseMatch:
        return None
