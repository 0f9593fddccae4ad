"""SQL fragments shared by the rules (folding names and addresses, ages, parent roles).

Each function returns a DuckDB SQL expression over the expression(s) it is given, so rules
stay set-based: the fragments are pasted into one SELECT, never evaluated row by row.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    """Folded name with its words sorted, so "Nguyen Van An" equals "An Nguyen Van"."""
    return (
        f"nullif(array_to_string(list_sort(list_filter(string_split({fold(expr)}, ' '), "
        f"lambda t: t <> '')), ' '), '')"
    )


def postcode_key(expr: str) -> str:
    """Postcode upper-cased without spaces, NULL when empty."""
    return f"nullif(upper(regexp_replace(coalesce({expr}, ''), '\\s', '', 'g')), '')"


def address_key(address: str, postcode: str) -> str:
    """Folded address without punctuation, ``|`` and the postcode key; NULL without address."""
    addr = f"nullif(trim(regexp_replace({fold(address)}, '[^a-z0-9 ]+', ' ', 'g')), '')"
    addr = f"nullif(trim(regexp_replace({addr}, '\\s+', ' ', 'g')), '')"
    return f"({addr} || '|' || coalesce({postcode_key(postcode)}, ''))"


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
