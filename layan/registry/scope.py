"""Which register rows belong to an office: those whose area code lies in its region.

A region code is written with dots ("73.08", a regency); a row's area code is
its digits ("7308012001", a village). A row is inside a region when its area
code starts with the region's digits. That is a true test only of a region
code cut at a level boundary (2, 4, 6 or 10 digits): "73.0" would take in
73.01 to 73.09, so such a code is refused, never matched.

Imported by the import's validator children, which run without Django's app
registry: nothing here touches a model.
"""

import functools
import re

from django.db.models import Q

# The shape offices.models.region_code_validator gives an office's region code.
_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


@functools.lru_cache(maxsize=256)
def region_prefix(region_code: str) -> str:
    """'73.08' -> '7308': what every area code inside the region starts with; '' for all.

    Raises ValueError for a code that is not a province, regency, district or village.
    """
    if region_code and not _REGION_CODE.fullmatch(region_code):
        raise ValueError(f"Kode wilayah '{region_code}' tidak sah (mis. 73 atau 73.08).")
    return region_code.replace(".", "")


def in_region(area_code: str, region_code: str) -> bool:
    """Whether a row of area `area_code` lies in region `region_code` ('' : anywhere)."""
    return area_code.startswith(region_prefix(region_code))


def region_like(region_code: str) -> str:
    """The SQL LIKE pattern of the area codes in_region accepts (digits need no escape)."""
    return region_prefix(region_code) + "%"


def region_within(inner: str, outer: str) -> bool:
    """Whether region code `inner` lies inside `outer` (or is it)."""
    return region_prefix(inner).startswith(region_prefix(outer))


def regions_within_q(field: str, region_code: str) -> Q:
    """A filter on a region-code column: the regions inside `region_code`, itself included."""
    if not region_code:
        return Q()
    region_prefix(region_code)  # refuse a code off a level boundary here too
    return Q(**{field: region_code}) | Q(**{f"{field}__startswith": f"{region_code}."})
