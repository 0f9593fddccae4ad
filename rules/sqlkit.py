"""SQL fragments shared by the rules (folding names and addresses, ages, parent roles).

Each function returns a DuckDB SQL expression over the expression(s) it is given, so rules
stay set-based: the fragments are pasted into one SELECT, never evaluated row by row.
"""

from __future__ import annotations

from collections.abc import Iterable

from resolver.standardise.names import WEAK_FORENAME_TOKENS

#: Relationship values that mean "a parent of the child" on births and schools records.
PARENT_RELATIONSHIPS = ("mother", "father", "both", "parent", "parents")


def blank(expr: str) -> str:
    """NULL for NULL, empty or whitespace-only text; else the trimmed text."""
    return f"nullif(trim({expr}), '')"


def fold(expr: str) -> str:
    """Comparison form of a name: lower case, accents stripped, đ→d, spaces collapsed."""
    return (
        f"nullif(trim(regexp_replace(replace(lower(strip_accents({expr})), 'đ', 'd'), "
        f"'\\s+', ' ', 'g')), '')"
    )


def token_key(expr: str) -> str:
    """Folded name, words sorted, Thị/Văn left out: "Nguyen Van An" equals "An Nguyen".

    The same reading of a name as the resolver's ``name_key``: the Vietnamese gender markers
    are dropped or kept at will by whoever writes the name, so they never tell two names apart.
    """
    weak = ", ".join(f"'{t}'" for t in sorted(WEAK_FORENAME_TOKENS))
    return (
        f"nullif(array_to_string(list_sort(list_filter(string_split({fold(expr)}, ' '), "
        f"lambda t: t <> '' AND t NOT IN ({weak}))), ' '), '')"
    )


#: Jaro-Winkler similarity of two name keys at which they are read as one person's name.
NAME_ALIKE = 0.9


def name_in(key: str, keys: str) -> str:
    """Whether name key ``key`` could be one of the names in list ``keys``: equal, alike (a
    typo), or one holding all of the other's two or more words (a dropped middle name). For
    "is this claimed parent the registered parent", never for linking people."""
    words = f"string_split({key}, ' ')"
    # The exact test first, in a CASE, so the costlier ones run only for the few that differ.
    return (
        f"coalesce(CASE WHEN list_contains({keys}, {key}) THEN true ELSE "
        f"len(list_filter({keys}, lambda k: jaro_winkler_similarity(k, {key}) >= {NAME_ALIKE} "
        f"OR (len(string_split(k, ' ')) >= 2 AND list_has_all({words}, string_split(k, ' '))) "
        f"OR (len({words}) >= 2 AND list_has_all(string_split(k, ' '), {words}))"
        f")) > 0 END, false)"
    )


def postcode_key(expr: str) -> str:
    """Postcode upper-cased without spaces, NULL when empty."""
    return f"nullif(upper(regexp_replace(coalesce({expr}, ''), '\\s', '', 'g')), '')"


def address_key(address: str, postcode: str) -> str:
    """Folded address without punctuation, ``|`` and the postcode key; NULL without address."""
    addr = f"nullif(trim(regexp_replace({fold(address)}, '[^a-z0-9 ]+', ' ', 'g')), '')"
    addr = f"nullif(trim(regexp_replace({addr}, '\\s+', ' ', 'g')), '')"
    return f"({addr} || '|' || coalesce({postcode_key(postcode)}, ''))"


def household(address: str, postcode: str, surname: str) -> str:
    """Family key of a person with no registered mother: one surname at one address.

    Siblings born abroad share a home and a surname; unrelated children housed together by
    a third party do not share a surname. NULL without an address.
    """
    return f"('home:' || {address_key(address, postcode)} || '|' || {token_key(surname)})"


def days_between(start: str, end: str) -> str:
    """Days from date ``start`` to date ``end`` (negative when ``end`` is earlier).

    Write this, never ``end - start``: two dates subtract to a number of days in DuckDB but to
    an interval in Spark.
    """
    return f"date_diff('day', {start}, {end})"


def age_at(dob: str, at: str) -> str:
    """Whole years from ``dob`` to ``at`` (NULL when either is NULL)."""
    return f"datesub('year', {dob}, {at})"


def in_list(expr: str, values: Iterable[str]) -> str:
    """``lower(trim(expr)) IN ('a', 'b')`` (values are literal, quoted safely)."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"lower(trim({expr})) IN ({quoted})"


def family_of() -> str:
    """CTE body mapping every entity to its family key.

    The family of a person registered as a child on a birth is the mother's entity; any other
    person is their own family. Columns: ``entity_id``, ``family``.
    """
    return """
    SELECT c.entity_id, min(coalesce(mo.entity_id, c.entity_id)) AS family
    FROM entities AS c
    LEFT JOIN entities AS mo
      ON mo.source = 'births' AND mo.record_id = c.record_id AND mo.role = 'mother'
    WHERE c.source = 'births' AND c.role = 'child'
    GROUP BY c.entity_id
    """
