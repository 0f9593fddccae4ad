"""Turn a rule's evidence strength and the flag's context into a 0-100 score and a severity.

The score is points, then multipliers; every weight is a `ScoringParams` parameter
(configurable under `[scoring]` in the TOML file or as `scoring.name=value`):

```text
points = w_evidence * strength      # the rule's own evidence strength, 0..1
       + w_gravity * gravity        # minors involved, watchlist category
       + w_frequency * frequency    # how many records the flag rests on
score  = points * recency * confidence   # clamped to 0..100, rounded half up
```

- `gravity = 1 - (1 - minor) * (1 - watch)`: `minor` is `minor_gravity` when at least one
  involved person was under `minor_age` at the event; `watch` is the highest
  `watchlist_gravity` among the watchlist categories of the involved entities.
- `frequency = min(1, ln(1 + records) / ln(1 + frequency_saturation))`.
- `recency = recency_floor + (1 - recency_floor) * 0.5 ** (age_days / recency_half_life_days)`,
  where `age_days` counts back from the newest event date in the store (not the wall clock),
  so a re-run on the same store gives the same scores.
- `confidence = min(1, link_confidence / confidence_full)`: a flag that rests on a weak link
  is scaled down, and below `weak_link_below` its explanation says so.

Severity comes from the score bands `high_from` and `medium_from`. Nationality never enters a
score directly; rules may use it only relationally (same as or differs from another person's).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from resolver.errors import ConfigError
from rules.params import Params, param, param_meta
from rules.rule import plural


def _default_watchlist_gravity() -> dict[str, float]:
    return {"registered_sex_offender": 1.0, "known_facilitator": 0.8, "ocg_member": 0.8}


@dataclass(frozen=True)
class ScoringParams(Params):
    """Weights and bands of the scoring model (``[scoring]`` in the configuration)."""

    w_evidence: float = param(60.0, "Points for a rule's evidence strength of 1.0.", minimum=0)
    w_gravity: float = param(
        25.0, "Points for gravity 1.0 (minors involved, watchlist category).", minimum=0
    )
    w_frequency: float = param(
        15.0, "Points for frequency 1.0 (many records behind the flag).", minimum=0
    )
    minor_age: int = param(18, "A person younger than this at the event is a minor.", minimum=1)
    minor_gravity: float = param(
        0.6, "Gravity when at least one involved person was a minor.", minimum=0, maximum=1
    )
    watchlist_gravity: dict[str, float] = field(
        default_factory=_default_watchlist_gravity,
        metadata=param_meta(
            "Gravity per watchlist category of an involved entity (merged with the defaults).",
            minimum=0,
            maximum=1,
        ),
    )
    watchlist_default_gravity: float = param(
        0.5,
        "Gravity for a watchlist category not listed in watchlist_gravity.",
        minimum=0,
        maximum=1,
    )
    frequency_saturation: int = param(
        20, "Number of records at which frequency reaches 1.0.", minimum=1
    )
    recency_half_life_days: float = param(
        1095.0,
        "Days back from the store's newest event at which recency is half way to its floor.",
        minimum=1,
    )
    recency_floor: float = param(
        0.6, "Lowest recency multiplier, for very old evidence.", minimum=0, maximum=1
    )
    confidence_full: float = param(
        0.95,
        "Link confidence at or above which a flag is not scaled down.",
        minimum=0.01,
        maximum=1,
    )
    weak_link_below: float = param(
        0.8,
        "Link confidence below which the explanation warns that the flag is tentative.",
        minimum=0,
        maximum=1,
    )
    case_corroboration: float = param(
        5.0,
        "Points a case's rank score gains for each further rule among its flags (independent "
        "findings corroborate each other); flag scores themselves are unchanged.",
        minimum=0,
    )
    high_from: int = param(70, "Lowest score with severity 'high'.", minimum=0, maximum=100)
    medium_from: int = param(40, "Lowest score with severity 'medium'.", minimum=0, maximum=100)

    def __post_init__(self) -> None:
        if self.medium_from > self.high_from:
            raise ConfigError(
                f"scoring.medium_from ({self.medium_from}) must not exceed "
                f"scoring.high_from ({self.high_from})"
            )


@dataclass(frozen=True)
class ScoreInputs:
    """The context of one flag that the score combines with the rule's evidence strength."""

    strength: float
    minors: int = 0
    watchlist: Sequence[str] = ()
    n_records: int = 1
    last_event: date | None = None
    store_newest: date | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class Score:
    """A computed score with its severity, its components and a sentence explaining it."""

    score: int
    severity: str
    components: dict[str, Any] = field(default_factory=dict)
    text: str = ""


def severity_for(score: int, sp: ScoringParams) -> str:
    """Severity band of a score."""
    if score >= sp.high_from:
        return "high"
    if score >= sp.medium_from:
        return "medium"
    return "low"


def compute_score(inp: ScoreInputs, sp: ScoringParams) -> Score:
    """Score, severity and the plain-English account of how they were reached."""
    strength = min(1.0, max(0.0, inp.strength))
    minor = sp.minor_gravity if inp.minors > 0 else 0.0
    watch_weights = {c: _watch_weight(c, sp) for c in sorted(set(inp.watchlist))}
    watch = max(watch_weights.values(), default=0.0)
    gravity = 1.0 - (1.0 - minor) * (1.0 - watch)
    n = max(0, inp.n_records)
    frequency = min(1.0, math.log1p(n) / math.log1p(sp.frequency_saturation))
    points = sp.w_evidence * strength + sp.w_gravity * gravity + sp.w_frequency * frequency

    age_days: int | None = None
    recency = 1.0
    if inp.last_event is not None and inp.store_newest is not None:
        age_days = max(0, (inp.store_newest - inp.last_event).days)
        decay = 0.5 ** (age_days / sp.recency_half_life_days)
        recency = sp.recency_floor + (1.0 - sp.recency_floor) * decay
    conf = 1.0 if inp.confidence is None else min(1.0, inp.confidence / sp.confidence_full)

    raw = points * recency * conf
    score = int(min(100, max(0, math.floor(raw + 0.5))))
    severity = severity_for(score, sp)

    gravity_bits = []
    if minor:
        gravity_bits.append(f"{plural(inp.minors, 'minor')} involved: {minor:.2f}")
    gravity_bits += [f"watchlist {c}: {w:.2f}" for c, w in watch_weights.items()]
    gravity_note = f" ({'; '.join(gravity_bits)})" if gravity_bits else ""
    if age_days is None:
        recency_note = "no event date to age the evidence"
    else:
        recency_note = (
            f"newest evidence {age_days} days before the store's newest event; "
            f"half-life {sp.recency_half_life_days:g} days, floor {sp.recency_floor:.2f}"
        )
    conf_note = (
        "no links involved"
        if inp.confidence is None
        else f"weakest link {inp.confidence:.2f}; full credit from {sp.confidence_full:.2f}"
    )
    text = (
        f"Score {score} ({severity}): evidence strength {strength:.2f} × {sp.w_evidence:g}"
        f" + gravity {gravity:.2f} × {sp.w_gravity:g}{gravity_note}"
        f" + frequency {frequency:.2f} × {sp.w_frequency:g} ({plural(n, 'record')}; saturates at "
        f"{sp.frequency_saturation}) = {points:.1f} points, × recency {recency:.2f} "
        f"({recency_note}) × link confidence {conf:.2f} ({conf_note})."
    )
    if inp.confidence is not None and inp.confidence < sp.weak_link_below:
        text += (
            f" Caution: this flag rests on a link of only {inp.confidence:.2f} match "
            "probability; check that the linked records are the same person before acting."
        )
    components = {
        "strength": round(strength, 4),
        "gravity": round(gravity, 4),
        "frequency": round(frequency, 4),
        "points": round(points, 4),
        "recency": round(recency, 4),
        "confidence_factor": round(conf, 4),
        "age_days": age_days,
    }
    return Score(score=score, severity=severity, components=components, text=text)


def _watch_weight(category: str, sp: ScoringParams) -> float:
    return sp.watchlist_gravity.get(category.strip().lower(), sp.watchlist_default_gravity)
