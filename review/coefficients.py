"""Chance-corrected agreement coefficients over pooled unit profiles.

A *profile table* maps a unit profile — one value per annotator, `None` where that annotator did
not do the unit's document — to the number of units with that profile. Characters (or tokens)
with the same profile are interchangeable for every coefficient here, so a corpus of millions of
characters shrinks to a few hundred distinct profiles.

Each coefficient is assembled from exact integer (or rational) sums and divided once at the end,
so it agrees with the reference implementations to far better than 1e-9. `None` means undefined
(0/0), as agreement.md asks.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from fractions import Fraction
from functools import lru_cache
from typing import TypeVar

Value = TypeVar("Value", bound=Hashable)  # what annotators give a unit: a label code, a bit...
Recoded = TypeVar("Recoded", bound=Hashable)
Profile = tuple[Value | None, ...]
ProfileTable = dict[Profile[Value], int]


def add_table(total: ProfileTable[Value], part: ProfileTable[Value]) -> None:
    """Pool `part` into `total` in place."""
    for profile, count in part.items():
        total[profile] = total.get(profile, 0) + count


def recode(
    table: ProfileTable[Value],
    value_of: Callable[[Value], Recoded],
    memo: dict[Profile[Value], Profile[Recoded]] | None = None,
) -> ProfileTable[Recoded]:
    """The table with every present value mapped through `value_of` (missing stays missing).

    `memo` (profile to recoded profile, for this `value_of` only) saves rebuilding the same
    profiles when many small tables are recoded alike.
    """
    memo = {} if memo is None else memo
    recoded: ProfileTable[Recoded] = {}
    for profile, count in table.items():
        key = memo.get(profile)
        if key is None:
            key = memo[profile] = tuple(
                None if value is None else value_of(value) for value in profile
            )
        recoded[key] = recoded.get(key, 0) + count
    return recoded


def cohen_kappa(table: ProfileTable[Value], first: int, second: int) -> float | None:
    """Cohen's kappa between the annotators at positions `first` and `second`.

    Only units both annotators did count; `None` when there are none or when `p_e = 1`.
    """
    units = agreements = 0
    first_counts: dict[Hashable, int] = {}
    second_counts: dict[Hashable, int] = {}
    for profile, count in table.items():
        a, b = profile[first], profile[second]
        if a is None or b is None:
            continue
        units += count
        if a == b:
            agreements += count
        first_counts[a] = first_counts.get(a, 0) + count
        second_counts[b] = second_counts.get(b, 0) + count
    # N² p_e: chance agreement from each annotator's own distribution, scaled to stay integral.
    chance = sum(n * second_counts.get(value, 0) for value, n in first_counts.items())
    denominator = units * units - chance
    if units == 0 or denominator == 0:
        return None
    return (units * agreements - chance) / denominator


def fleiss_kappa(table: ProfileTable[Value]) -> float | None:
    """Fleiss' kappa; every profile must be complete (every annotator did every unit).

    `None` when there are no units, fewer than two annotators, or `P̄_e = 1`.
    """
    units = raters = 0
    squares = 0  # Σ_i Σ_j n_ij²
    totals: dict[Hashable, int] = {}
    for profile, count in table.items():
        if any(value is None for value in profile):
            raise ValueError("Fleiss' kappa needs every annotator's value for every unit")
        raters = len(profile)
        units += count
        per_value = value_counts(profile)
        squares += count * sum(n * n for n in per_value.values())
        for value, n in per_value.items():
            totals[value] = totals.get(value, 0) + count * n
    if units == 0 or raters < 2:
        return None
    ratings = units * raters
    mean_agreement = Fraction(squares - ratings, ratings * (raters - 1))  # P̄
    chance = Fraction(sum(t * t for t in totals.values()), ratings * ratings)  # P̄_e
    if chance == 1:
        return None
    return float((mean_agreement - chance) / (1 - chance))


def krippendorff_alpha_nominal(table: ProfileTable[Value]) -> float | None:
    """Krippendorff's alpha for nominal data with missing values.

    Units coded by fewer than two annotators are dropped; `None` when no unit is pairable or only
    one value occurs among the pairable ones.
    """
    # Σ_{c≠k} o_ck = Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1): summed in integers per m_u, divided once.
    disagreeing_pairs_by_m: dict[int, int] = {}
    value_totals: dict[Hashable, int] = {}  # n_c
    for profile, count in table.items():
        coders, pairs, per_value = unit_summary(profile)
        if coders < 2:
            continue
        disagreeing_pairs_by_m[coders] = disagreeing_pairs_by_m.get(coders, 0) + count * pairs
        for value, n in per_value:
            value_totals[value] = value_totals.get(value, 0) + count * n
    pairable = sum(value_totals.values())  # n
    expected = pairable * pairable - sum(n * n for n in value_totals.values())  # n² D_e (n−1)/n
    if pairable == 0 or expected == 0:
        return None
    observed = sum(Fraction(pairs, m - 1) for m, pairs in disagreeing_pairs_by_m.items())
    return float(1 - (pairable - 1) * observed / expected)


def mean_of_defined(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are defined; `None` when none is."""
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


@lru_cache(maxsize=1 << 16)
def unit_summary(profile: Profile[Hashable]) -> tuple[int, int, tuple[tuple[Hashable, int], ...]]:
    """A unit's coders m_u, its ordered pairs of different values, and its value counts n_uc.

    Cached: the same few profiles recur across thousands of documents.
    """
    per_value = value_counts(value for value in profile if value is not None)
    coders = sum(per_value.values())
    pairs = coders * coders - sum(n * n for n in per_value.values())
    return coders, pairs, tuple(per_value.items())


def value_counts(values: Iterable[Hashable]) -> dict[Hashable, int]:
    counts: dict[Hashable, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts
