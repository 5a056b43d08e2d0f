"""An office's region scope: which area codes, and which offices' regions, lie inside it."""

import pytest

from layan.offices.models import Office
from layan.registry.scope import (
    in_region,
    region_like,
    region_prefix,
    region_within,
    regions_within_q,
)

BONE_VILLAGE = "7308012001"


@pytest.mark.parametrize(
    ("region", "inside"),
    [
        ("73.08", True),  # the office's own regency
        ("73", True),  # its province
        ("", True),  # the whole country
        ("73.08.01", True),
        ("73.08.01.2001", True),
        ("73.08.02", False),  # another district of the same regency
        ("73.71", False),  # another office's regency (Makassar)
        ("52.71", False),  # another province
    ],
)
def test_an_area_code_is_inside_its_regions_only(region, inside):
    assert in_region(BONE_VILLAGE, region) is inside


@pytest.mark.parametrize(
    "region", ["73.0", "7", "73.8", "7308", "73.08.", "73.08.01.201", " 73.08"]
)
def test_a_code_off_a_level_boundary_is_refused_not_matched(region):
    # "73.0" as a prefix would take in Bone's 7308...: such a code is an error.
    with pytest.raises(ValueError, match="tidak sah"):
        in_region(BONE_VILLAGE, region)
    with pytest.raises(ValueError):
        regions_within_q("region_code", region)


def test_the_sql_pattern_is_the_prefix_in_region_tests():
    assert region_prefix("73.08") == "7308" and region_like("73.08") == "7308%"
    assert region_like("") == "%"


def test_a_region_lies_within_itself_and_its_wider_regions_only():
    assert region_within("73.08", "73.08") and region_within("73.08", "73")
    assert region_within("73.08", "") and region_within("73.08.01", "73.08")
    assert not region_within("73", "73.08")  # a province is wider than its regency
    assert not region_within("73.71", "73.08") and not region_within("", "73")


def test_the_offices_within_a_region_are_found_by_one_filter(seeded):
    def within(region: str) -> set[str]:
        return set(Office.objects.filter(regions_within_q("region_code", region)).values_list(
            "region_code", flat=True))  # fmt: skip

    codes = set(Office.objects.values_list("region_code", flat=True))
    assert within("73.08") == {"73.08"}
    assert within("73") == {c for c in codes if c.startswith("73.")}
    assert within("52.71") == {"52.71"} and within("73.71") == set()
    assert within("") == codes
