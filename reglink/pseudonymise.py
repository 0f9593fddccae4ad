"""Keyed pseudonyms (HMAC-SHA256) for personal values, and scrubbing of free text.

A value becomes ``<prefix>-<16 hex digits>``: the HMAC-SHA256, under a secret key, of its
category and its normalised form. The same value gets the same pseudonym in every file
exported with the same key, so records can still be joined and counted; without the key a
pseudonym cannot be reversed or recomputed from a list of likely names.

Free text (flag summaries, explanations, details) is scrubbed against a vocabulary of every
personal value in the run: a run of words equal to a known value (ignoring case and
punctuation) becomes that value's pseudonym, and any remaining word of a known name does too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
import unicodedata
from collections.abc import Collection
from pathlib import Path

from resolver.errors import ConfigError

MIN_KEY_BYTES = 32
NAME, DOB, DOCUMENT, ADDRESS, POSTCODE, SUBJECT = (
    "name",
    "dob",
    "document",
    "address",
    "postcode",
    "subject",
)
PREFIXES = {NAME: "N", DOB: "D", DOCUMENT: "P", ADDRESS: "A", POSTCODE: "Z", SUBJECT: "S"}
#: what a pseudonym looks like
TOKEN = re.compile(r"[NDPAZS]-[0-9a-f]{16}")

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
#: English words that are also names somewhere (An, He, Do...): replaced only when written
#: with a capital, so that a sentence stays readable and a capitalised name is still caught
_STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "for", "from", "he", "her", "him",
        "his", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "so", "the",
        "to", "up", "us", "was", "we", "who", "with",
    }
)  # fmt: skip


def read_key(path: Path) -> tuple[bytes, list[str]]:
    """The key in ``path`` (surrounding whitespace removed) and any warnings about the file."""
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read key file: {exc.strerror}") from exc
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{path}: key file holds {len(key)} bytes; at least {MIN_KEY_BYTES} are needed "
            "(create one with: head -c 48 /dev/urandom | base64 > KEYFILE; chmod 600 KEYFILE)"
        )
    warnings = []
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.append(f"{path}: key file can be read by other users; chmod 600 it")
    return key, warnings


def normalise(category: str, value: str) -> str:
    """The form that is hashed: case, spacing (and for codes, all spaces) do not matter."""
    text = unicodedata.normalize("NFKC", value).strip()
    if category in (DOCUMENT, POSTCODE):
        return _SPACE.sub("", text).upper()
    if category == DOB:
        return text[:10]
    return _SPACE.sub(" ", text).casefold()


class Pseudonymiser:
    """Pseudonyms under one key, and a vocabulary of known values for scrubbing text."""

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ConfigError(f"a pseudonymisation key needs at least {MIN_KEY_BYTES} bytes")
        self._key = key
        self._tokens: dict[tuple[str, str], str] = {}
        self._phrases: dict[tuple[str, ...], tuple[str, str]] = {}  # words: (token, category)
        self._name_words: dict[str, str] = {}
        self._longest = 0

    def digest(self, purpose: str, text: str, length: int = 16) -> str:
        """Hex HMAC-SHA256 of ``purpose`` and ``text`` under the key."""
        message = f"{purpose}\x1f{text}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:length]

    @property
    def fingerprint(self) -> str:
        """Identifies the key (to tell which key made an export) without revealing it."""
        return self.digest("reglink key fingerprint", "")

    def token(self, category: str, value: str) -> str:
        """The pseudonym of ``value``; empty text stays empty."""
        form = normalise(category, value)
        if not form:
            return ""
        cached = self._tokens.get((category, form))
        if cached is None:
            cached = f"{PREFIXES[category]}-{self.digest(category, form)}"
            self._tokens[(category, form)] = cached
        return cached

    def learn(self, category: str, value: str) -> str:
        """Remember ``value`` for scrubbing text; return its pseudonym."""
        token = self.token(category, value)
        words = tuple(w.casefold() for w in _WORD.findall(value))
        if not token or not words:
            return token
        self._phrases.setdefault(words, (token, category))
        self._longest = max(self._longest, len(words))
        if category == NAME:
            for word in words:
                if len(word) > 1 and not any(c.isdigit() for c in word):
                    self._name_words.setdefault(word, self.token(NAME, word))
        return token

    def scrub(self, text: str, *, words: bool = True, dobs: Collection[str] = ()) -> str:
        """``text`` with every known value (longest first) replaced by its pseudonym.

        ``words``: also replace any remaining word of a known name, and one-word values
        inside longer text (for sentences, where a name may be reordered or abbreviated);
        otherwise a one-word value is replaced only when it is the whole text. Dates of
        birth are replaced only when listed in ``dobs`` (ISO dates): a flag's own people,
        since any other date in a sentence (a registration, a visa decision) often
        coincides with somebody's date of birth.
        """
        found = list(_WORD.finditer(text))
        if not found:
            return text
        folded = [m.group().casefold() for m in found]
        allowed = {tuple(_WORD.findall(d[:10])) for d in dobs if d}
        out: list[str] = []
        last = i = 0
        while i < len(found):
            hit = self._match(found, folded, i, words, allowed)
            if hit is None:
                i += 1
                continue
            length, token = hit
            out += [text[last : found[i].start()], token]
            last = found[i + length - 1].end()
            i += length
        out.append(text[last:])
        return "".join(out)

    def _match(
        self,
        found: list[re.Match[str]],
        folded: list[str],
        i: int,
        words: bool,
        dobs: set[tuple[str, ...]],
    ) -> tuple[int, str] | None:
        for length in range(min(self._longest, len(found) - i), 0, -1):
            phrase = tuple(folded[i : i + length])
            known = self._phrases.get(phrase)
            if known is None or (known[1] == DOB and phrase not in dobs):
                continue
            if length == 1 and not (words or len(found) == 1):
                continue  # outside sentences, one word is replaced only as the whole field
            if length == 1 and not _worth_replacing(phrase[0], found[i].group()):
                continue
            return length, known[0]
        word = folded[i]
        token = self._name_words.get(word) if words else None
        if token is None or not _worth_replacing(word, found[i].group()):
            return None
        return 1, token


def _worth_replacing(word: str, original: str) -> bool:
    """Whether a single word may be a personal value rather than a letter, count or article."""
    if len(word) < 2 or (word in _STOPWORDS and original.islower()):
        return False
    return not (word.isdigit() and len(word) < 5)  # counts and house numbers
