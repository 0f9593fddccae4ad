"""Render each mention from the true person, applying noise independently per mention.

Noise kinds recorded in `truth/mentions.csv` (in this order when several apply):
`married_surname`, `middle_name_dropped`, `middle_name_merged`, `nickname`, `name_order_swap`,
`typo`, `diacritics_stripped`, `case_whitespace`, `dob_missing`, `dob_day_month_swap`,
`dob_year_off_by_one`, `nationality_free_text`, `postcode_missing` (the record's postcode),
plus scenario notes such as `former_surname` (a re-registered child's first surname).
A kind is listed only when it changed what was written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthetic.arrays import ObjArray, from_ymd, iso, lookup, non_ascii, obj, ymd
from synthetic.names import VN, strip_many
from synthetic.persons import Persons
from synthetic.rates import NoiseRates

_KEYBOARD = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Rendered:
    """What one (source, role) batch of mentions looks like on the records."""

    forenames: ObjArray
    surname: ObjArray
    maiden: ObjArray
    dob: ObjArray
    sex: ObjArray
    nationality: ObjArray
    birthplace: ObjArray
    noise: ObjArray


class NoiseLog:
    """Noise kinds applied per mention, joined as `a;b` strings at the end."""

    def __init__(self, n: int) -> None:
        self._text = obj("", n)

    def add(self, kind: str, mask: np.ndarray) -> None:
        """Note `kind` on the mentions where `mask` is true."""
        if mask.any():
            self._text[mask] = self._text[mask] + (kind + ";")

    def add_tags(self, tags: ObjArray) -> None:
        """Note free-form tags (already `;`-free) where non-empty."""
        mask = tags != ""
        if mask.any():
            self._text[mask] = self._text[mask] + tags[mask] + ";"

    def strings(self) -> ObjArray:
        """The `;`-joined kinds per mention ('' when none)."""
        if len(self._text) == 0:
            return self._text.copy()
        result: ObjArray = np.char.rstrip(self._text.astype(str), ";").astype(object)
        return result


def typo(text: str, r_op: float, r_pos: float, r_char: float) -> str:
    """One keyboard slip in `text`: substitute, drop, double or transpose a letter."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if not letters:
        return text + "x"
    i = letters[min(int(r_pos * len(letters)), len(letters) - 1)]
    op = int(r_op * 4)
    if op == 1 and len(letters) > 2:
        return text[:i] + text[i + 1 :]
    if op == 2:
        return text[:i] + text[i] + text[i:]
    if op == 3 and i + 1 < len(text) and text[i + 1].isalpha():
        a, b = text[i], text[i + 1]
        if a.lower() != b.lower():  # swap letters, keep the case of each position
            first = b.upper() if a.isupper() else b.lower()
            second = a.upper() if b.isupper() else a.lower()
            return text[:i] + first + second + text[i + 2 :]
    ch = text[i]
    options = _KEYBOARD.get(ch.lower(), _ALPHABET.replace(ch.lower(), ""))
    new = options[min(int(r_char * len(options)), len(options) - 1)]
    return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]


def _lower(values: ObjArray) -> ObjArray:
    if len(values) == 0:
        return values.copy()
    result: ObjArray = np.char.lower(values.astype(str)).astype(object)
    return result


def _case_whitespace(values: ObjArray, variant: int, *, surname: bool) -> ObjArray:
    """UPPERCASE (0), lowercase (1), or a stray space (2): trailing after a surname,
    doubled between forenames or leading before a single forename."""
    if len(values) == 0:
        return values.copy()
    text = values.astype(str)
    if variant == 0:
        out = np.char.upper(text)
    elif variant == 1:
        out = np.char.lower(text)
    elif surname:
        out = np.char.add(text, " ")
    else:
        has_space = np.char.find(text, " ") >= 0
        out = np.where(has_space, np.char.replace(text, " ", "  ", count=1), np.char.add(" ", text))
    result: ObjArray = out.astype(object)
    return result


class Renderer:
    """Turns person indices into recorded names and dates, with per-mention noise."""

    def __init__(
        self,
        persons: Persons,
        rates: NoiseRates,
        rng: np.random.Generator,
        nicknames: dict[str, tuple[str, ...]],
        demonyms: dict[str, str],
    ) -> None:
        self.p = persons
        self.rates = rates
        self.rng = rng
        self.demonyms = demonyms
        fore = pd.Series(persons.forenames, dtype=object)
        vn = persons.culture == VN
        head = fore.str.partition(" ")
        tail = fore.str.rpartition(" ")
        self.vn_order = vn
        self.given: ObjArray = np.where(vn, tail[2], head[0]).astype(object)
        self.middle: ObjArray = np.where(vn, tail[0], head[2]).astype(object)
        self.middle_lower: ObjArray = _lower(self.middle)
        options = pd.Series(self.given, dtype=object).map(nicknames)
        self.nick_options: ObjArray = options.to_numpy(dtype=object)
        self.has_nick = options.notna().to_numpy() & ~vn

    def render(
        self,
        source: str,
        role: str,
        pid: np.ndarray,
        surname_override: ObjArray | None = None,
        tags: ObjArray | None = None,
    ) -> Rendered:
        """Render the mentions of persons `pid` in `role` on records of `source`."""
        rng, rates, p = self.rng, self.rates, self.p
        n = len(pid)
        log = NoiseLog(n)
        births = source == "births"

        # surname (birth, married, or an override such as a child's former surname)
        surname = p.surname[pid].copy()
        maiden = surname.copy()
        married = p.married[pid]
        override = surname_override if surname_override is not None else obj("", n)
        has_override = override != ""
        if births and role == "mother":
            surname = np.where(married != "", married, surname).astype(object)
        elif not births:
            use = (married != "") & ~has_override & (rng.random(n) < rates.mother_married_surname)
            surname[use] = married[use]
            log.add("married_surname", use)
        surname[has_override] = override[has_override]

        # forenames: middle name dropped or merged, nickname
        given = self.given[pid].copy()
        middle = self.middle[pid]
        vn = self.vn_order[pid]
        has_middle = middle != ""
        u = rng.random(n)
        drop = has_middle & (u < rates.middle_name_dropped)
        merge = has_middle & ~drop & (u < rates.middle_name_dropped + rates.middle_name_merged)
        nick = self.has_nick[pid] & (rng.random(n) < rates.nickname)
        if nick.any():
            picks = rng.integers(0, 1_000_000, int(nick.sum())).tolist()
            given[nick] = [
                opts[k % len(opts)]
                for opts, k in zip(self.nick_options[pid[nick]].tolist(), picks, strict=True)
            ]
        forenames = given.copy()
        keep = has_middle & ~drop & ~merge
        forenames[keep & vn] = middle[keep & vn] + " " + given[keep & vn]
        forenames[keep & ~vn] = given[keep & ~vn] + " " + middle[keep & ~vn]
        mv = merge & vn
        forenames[mv] = middle[mv] + _lower(given[mv])
        mn = merge & ~vn
        forenames[mn] = given[mn] + self.middle_lower[pid[mn]]
        log.add("middle_name_dropped", drop)
        log.add("middle_name_merged", merge)
        log.add("nickname", nick)

        # Vietnamese family name written first, in the forenames box
        if not births:
            swap = (p.culture[pid] == VN) & (rng.random(n) < rates.name_order_swap)
            forenames[swap], surname[swap] = surname[swap], forenames[swap].copy()
            log.add("name_order_swap", swap)

        # typing slip in one of the two names
        slip = rng.random(n) < rates.typo
        if slip.any():
            idx = np.flatnonzero(slip)
            in_surname = rng.random(len(idx)) < 0.5
            r = rng.random((len(idx), 3)).tolist()
            for j, (i, sur) in enumerate(zip(idx.tolist(), in_surname.tolist(), strict=True)):
                target = surname if sur else forenames
                target[i] = typo(str(target[i]), *r[j])
            log.add("typo", slip)

        # diacritics kept or written plain ASCII
        plain = rng.random(n) >= rates.diacritics_kept(source)
        if plain.any():
            idx = np.flatnonzero(plain)
            before = forenames[idx] + "|" + surname[idx] + "|" + maiden[idx]
            forenames[idx] = strip_many(forenames[idx])
            surname[idx] = strip_many(surname[idx])
            maiden[idx] = strip_many(maiden[idx])
            changed = np.zeros(n, dtype=bool)
            changed[idx] = non_ascii(before)
            log.add("diacritics_stripped", changed)

        # letter case and stray spaces
        messy = rng.random(n) < rates.case_whitespace
        if messy.any():
            variant = rng.integers(0, 3, n)
            for v in range(3):
                idx = np.flatnonzero(messy & (variant == v))
                forenames[idx] = _case_whitespace(forenames[idx], v, surname=False)
                surname[idx] = _case_whitespace(surname[idx], v, surname=True)
                maiden[idx] = _case_whitespace(maiden[idx], v, surname=True)
            log.add("case_whitespace", messy)

        dob = self._dob(pid, exact=births and role == "child", log=log)
        nationality = self._nationality(source, pid, log)
        if tags is not None:
            log.add_tags(tags)
        return Rendered(
            forenames=forenames,
            surname=surname,
            maiden=maiden,
            dob=dob,
            sex=p.sex[pid].copy(),
            nationality=nationality,
            birthplace=p.birthplace[pid].copy(),
            noise=log.strings(),
        )

    def _dob(self, pid: np.ndarray, *, exact: bool, log: NoiseLog) -> ObjArray:
        """Recorded dates of birth: missing, day/month swapped or year off by one."""
        dob = self.p.dob[pid]
        if exact:
            return iso(dob)
        rng, rates, n = self.rng, self.rates, len(pid)
        missing = rng.random(n) < rates.dob_missing
        y, m, d = ymd(dob)
        swap = ~missing & (d <= 12) & (d != m) & (rng.random(n) < rates.dob_day_month_swap)
        shift = ~missing & (rng.random(n) < rates.dob_year_off_by_one)
        y = y + np.where(shift, np.where(rng.random(n) < 0.5, -1, 1), 0)
        m2, d2 = np.where(swap, d, m), np.where(swap, m, d)
        text = iso(from_ymd(y, m2, d2))
        text[missing] = ""
        log.add("dob_missing", missing)
        log.add("dob_day_month_swap", swap)
        log.add("dob_year_off_by_one", shift)
        return text

    def _nationality(self, source: str, pid: np.ndarray, log: NoiseLog) -> ObjArray:
        """ISO alpha-3 nationality (passport nationality on visas), sometimes free text."""
        if source == "visas":
            result: ObjArray = self.p.birth_nationality[pid].copy()
            return result
        nat = self.p.nationality[pid].copy()
        rate = {"births": 1.0, "missing": 2.0}.get(source, 0.0) * self.rates.nationality_free_text
        if rate > 0:
            free = self.rng.random(len(pid)) < min(rate, 1.0)
            values = nat[free]
            nat[free] = lookup(values, {v: self.demonyms.get(v, v) for v in set(values.tolist())})
            log.add("nationality_free_text", free)
        return nat
