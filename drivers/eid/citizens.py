"""Read the demo citizens (``config/demo/citizens.toml``) shared with the reference API."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

DEMO_CITIZENS = Path(__file__).resolve().parents[2] / "config" / "demo" / "citizens.toml"


@dataclass(frozen=True)
class Citizen:
    """One invented citizen, as printed on (and stored in) their virtual card."""

    national_number: str
    surname: str
    given_names: str
    birth_date: str
    sex: str
    nationality: str
    birth_place: str
    card_number: str
    card_valid_from: str
    card_valid_until: str
    street: str
    postal_code: str
    city: str
    pin: str


def load_citizens(path: Path = DEMO_CITIZENS) -> list[Citizen]:
    """Load the citizens list; raises ValueError naming the entry that is malformed."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    names = {field.name for field in fields(Citizen)}
    citizens = []
    for index, entry in enumerate(data.get("citizen", [])):
        if set(entry) != names:
            raise ValueError(f"{path}: citizen #{index + 1} has keys {sorted(entry)}")
        citizens.append(Citizen(**{key: str(value) for key, value in entry.items()}))
    return citizens
