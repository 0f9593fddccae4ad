"""Per-mention noise rates: how often each kind of recording error or variation is applied."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

_KEPT_FIELDS = {
    "births": "diacritics_kept_births",
    "visas": "diacritics_kept_visas",
    "schools": "diacritics_kept_schools",
    "missing": "diacritics_kept_missing",
    "watchlist": "diacritics_kept_watchlist",
}


@dataclass(frozen=True)
class NoiseRates:
    """Probabilities, each applied independently per mention (a person in a role on a record).

    Every rate is in [0, 1]. The truth file `truth/mentions.csv` lists, per mention, the noise
    kinds that were actually applied, named after these fields (`diacritics_stripped` for the
    `diacritics_kept_*` family, `married_surname` for `mother_married_surname`).
    """

    typo: float = 0.03
    """One keyboard-style edit (substitute, drop, double or transpose a letter) in the
    forenames or the surname."""
    nickname: float = 0.04
    """First forename replaced by a nickname (William → Bill); only names that have one."""
    name_order_swap: float = 0.25
    """Vietnamese-named mentions outside births: family name written in the forenames box and
    the given names in the surname box."""
    diacritics_kept_births: float = 0.6
    """Births: share of mentions that keep diacritics (Nguyễn); the rest are written ASCII."""
    diacritics_kept_visas: float = 0.05
    """Visas: share keeping diacritics (machine-readable passports strip them)."""
    diacritics_kept_schools: float = 0.3
    """Schools: share keeping diacritics."""
    diacritics_kept_missing: float = 0.3
    """Missing-person reports: share keeping diacritics."""
    diacritics_kept_watchlist: float = 0.2
    """Watchlist: share keeping diacritics."""
    middle_name_dropped: float = 0.15
    """Of names with a middle name: the middle name is left out ("Thị Hương" → "Hương")."""
    middle_name_merged: float = 0.03
    """Of names with a middle name: written as one word ("Thị Hương" → "Thịhương")."""
    mother_married_surname: float = 0.5
    """A married woman who took her husband's surname is recorded under it (rather than her
    maiden surname) in a non-birth source."""
    dob_day_month_swap: float = 0.01
    """Day and month exchanged (only possible when the day is 12 or less and differs from the
    month). Never applied to `births:child`, whose registered date is the truth."""
    dob_year_off_by_one: float = 0.005
    """Year of birth one too high or too low. Never for `births:child`."""
    dob_missing: float = 0.03
    """Date of birth not recorded. Never for `births:child`."""
    postcode_missing: float = 0.05
    """Per record of births, visas and schools: the postcode left empty (noted on every mention
    of that record)."""
    case_whitespace: float = 0.10
    """Names written UPPERCASE, lowercase, or with doubled/leading/trailing spaces."""
    nationality_free_text: float = 0.15
    """Nationality written as free text ("Vietnamese") instead of ISO alpha-3, on births and
    (twice this rate) on missing-person reports."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"noise rate {f.name} must be a number, got {value!r}")
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"noise rate {f.name} must be between 0 and 1, got {value!r}")
        if self.middle_name_dropped + self.middle_name_merged > 1.0:
            raise ValueError("middle_name_dropped + middle_name_merged must not exceed 1")

    def diacritics_kept(self, source: str) -> float:
        """Share of mentions in `source` that keep their diacritics."""
        return float(getattr(self, _KEPT_FIELDS[source]))

    def scaled(self, factor: float) -> NoiseRates:
        """A noisier (factor > 1) or cleaner (factor < 1) copy; `scaled(0)` is noise-free.

        Error rates are multiplied by `factor`; for the `diacritics_kept_*` rates the share
        *stripped* is scaled. Results are clipped to [0, 1].
        """
        if factor < 0:
            raise ValueError(f"scale factor must be >= 0, got {factor!r}")
        changes: dict[str, float] = {}
        for f in fields(self):
            value = float(getattr(self, f.name))
            if f.name.startswith("diacritics_kept_"):
                changes[f.name] = 1.0 - min(1.0, (1.0 - value) * factor)
            else:
                changes[f.name] = min(1.0, value * factor)
        total_middle = changes["middle_name_dropped"] + changes["middle_name_merged"]
        if total_middle > 1.0:
            changes["middle_name_dropped"] /= total_middle
            changes["middle_name_merged"] /= total_middle
        return replace(self, **changes)

    @classmethod
    def none(cls) -> NoiseRates:
        """Rates that leave every mention exactly as the person's true record."""
        return cls().scaled(0.0)
