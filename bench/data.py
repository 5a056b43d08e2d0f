"""The benchmark's input: a synthetic DTKS export, and the NIKs and KKs to look up.

The export is written once per row count and reused; the lookup sample is drawn
from it by reservoir sampling while streaming it (the file is never loaded), plus
valid NIKs and KKs that are not in it (the misses).
"""

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

from layan.registry.synthetic import DTKS_HEADER, synthetic_people, write_csv

REGION_CODE = "73.08"
PERIOD = "2026-09"
SEED = 1
# Misses come from another seed with serials far above any the register uses.
MISS_SEED, MISS_START_SERIAL = 2, 9000
SAMPLE_SEED = 20260901


@dataclass(frozen=True)
class Lookups:
    """What to look up: NIKs and KKs in random order, a known share of them absent."""

    nik: list[str]
    no_kk: list[str]
    miss_share: float

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(self.__dict__))
        return path

    @classmethod
    def load(cls, path: Path) -> "Lookups":
        return cls(**json.loads(path.read_text()))


def csv_ensure(rows: int, work: Path) -> Path:
    """The DTKS export of `rows` people under `work`, generated unless already there.

    Written to a temporary name and renamed when complete, so an interrupted run
    never leaves a truncated file that a later run would reuse.
    """
    path = work / f"dtks-{rows}.csv"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    people = synthetic_people(region_code=REGION_CODE, count=rows, seed=SEED)
    write_csv(people, partial, layout="dtks", period=PERIOD)
    partial.rename(path)
    return path


def _reservoir(path: Path, size: int, rng: random.Random) -> list[tuple[str, str]]:
    """(nik, no_kk) of `size` rows drawn uniformly from the file in one streaming pass."""
    i_nik, i_kk = DTKS_HEADER.index("nik"), DTKS_HEADER.index("no_kk")
    chosen: list[tuple[str, str]] = []
    randrange = rng.randrange
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for seen, row in enumerate(reader):
            if seen < size:
                chosen.append((row[i_nik], row[i_kk]))
            else:
                slot = randrange(seen + 1)
                if slot < size:
                    chosen[slot] = (row[i_nik], row[i_kk])
    return chosen


def _draw(values: list[str], count: int, rng: random.Random) -> list[str]:
    """`count` values: all of them once when there are enough, else drawn with replacement."""
    if len(values) >= count:
        return rng.sample(values, count)
    return rng.choices(values, k=count)


def _absent(count: int) -> tuple[list[str], list[str]]:
    """`count` distinct valid NIKs and `count` distinct valid KKs that the register lacks."""
    niks: list[str] = []
    kks: dict[str, None] = {}  # insertion-ordered set: members of a household share a KK
    people = synthetic_people(
        region_code=REGION_CODE, count=count * 10, seed=MISS_SEED, start_serial=MISS_START_SERIAL
    )
    for person in people:
        if len(niks) < count:
            niks.append(person["nik"])
        kks[person["no_kk"]] = None
        if len(niks) == count and len(kks) >= count:
            break
    return niks, list(kks)[:count]


def lookups_sample(path: Path, count: int, miss_share: float = 0.2) -> Lookups:
    """`count` NIKs and `count` KKs to look up, `miss_share` of them valid but absent."""
    rng = random.Random(SAMPLE_SEED)
    misses = round(count * miss_share)
    hits = count - misses
    present = _reservoir(path, hits, rng)
    absent_nik, absent_kk = _absent(misses)
    nik = _draw([p[0] for p in present], hits, rng) + absent_nik
    no_kk = _draw([p[1] for p in present], hits, rng) + absent_kk
    rng.shuffle(nik)
    rng.shuffle(no_kk)
    return Lookups(nik=nik, no_kk=no_kk, miss_share=miss_share)


def api_bodies_write(lookups: Lookups, path: Path, count: int = 20_000) -> Path:
    """One JSON lookup body per line (NIKs, in the sample's order), for the load generator."""
    with path.open("w", encoding="utf-8") as handle:
        for nik in lookups.nik[:count]:
            handle.write(json.dumps({"nik": nik}) + "\n")
    return path
