"""Spark SQL for the two DuckDB functions reglink uses that Spark lacks, equal to DuckDB's.

Both are plain Spark SQL, so Spark's executors need no Python, and they work inside lambda
functions (``filter(keys, k -> ...)``), where Spark allows neither Python nor SQL UDFs:
:mod:`resolver.engines.spark_sql` calls the registered SQL function
(``reglink_jaro_winkler``, ``reglink_strip_accents``) and inlines the same expression
inside a lambda.

* Jaro-Winkler: DuckDB's ``jaro_winkler_similarity`` is the ``jaro_winkler`` library of
  rapidfuzz's author (match window ``max(len) / 2 - 1``, transpositions halved rounding
  down, prefix of up to 4 at weight 0.1 once the Jaro similarity exceeds 0.7, 0.0 for an
  empty string), computed on UTF-8 bytes rather than characters. Spark 4.3's built-in
  ``jaro_winkler_similarity`` and Splink's Spark ``jaro_winkler`` (Apache Commons Text)
  agree with each other but differ from DuckDB's by up to 0.19 and move about one pair in a
  thousand across 0.88, so neither is used. On 600,000 pairs of the scenario's names,
  addresses, postcodes and dates this expression equals DuckDB's to 1e-16 and no pair
  changes side of 0.85, 0.88 or 0.9.
* strip_accents: DuckDB's ``strip_accents`` maps each character on its own (decompose, drop
  combining marks, recompose), so it is a ``translate`` whose table is read from DuckDB's
  own ``strip_accents`` over every code point: the engines cannot drift apart, whatever
  Unicode version each knows. One case differs: Korean written as separate conjoining jamo,
  which DuckDB recomposes into syllables.

``damerau_levenshtein`` comes from Splink's Scala jar (true Damerau-Levenshtein, as
DuckDB's, equal on the same 600,000 pairs), given the strings' UTF-8 bytes as characters,
because DuckDB counts bytes (:func:`utf8_bytes_sql`).
"""

from __future__ import annotations

import functools
from typing import Any

#: Session settings the transpiled SQL relies on (see :mod:`resolver.engines.spark_sql`).
SESSION_CONF = {
    "spark.sql.legacy.sizeOfNull": "false",  # size(NULL) is NULL, as DuckDB's len(NULL)
    "spark.sql.execution.arrow.pyspark.enabled": "true",  # fast toPandas/createDataFrame
    # Plans of the larger rules print to hundreds of megabytes (the accent table in every
    # name): adaptive execution prints the plan at each update, which can exhaust the
    # driver's heap. The printed plan is cut; the plan itself is not.
    "spark.sql.maxPlanStringLength": "200000",
}

_JARO_WINKLER = """element_at(transform(array(named_struct('a', {a_bytes}, 'b', {b_bytes})), _jw ->
  CASE
    WHEN _jw.a IS NULL OR _jw.b IS NULL THEN CAST(NULL AS DOUBLE)
    WHEN _jw.a = '' OR _jw.b = '' THEN 0.0D
    ELSE element_at(transform(array(named_struct(
        'a', split(_jw.a, ''), 'b', split(_jw.b, ''),
        'w', greatest(char_length(_jw.a), char_length(_jw.b)) DIV 2 - 1)), _s ->
      CASE WHEN size(_s.a) = 1 AND size(_s.b) = 1 THEN IF(_s.a[0] = _s.b[0], 1.0D, 0.0D)
      ELSE aggregate(
        sequence(0, size(_s.a) - 1),
        named_struct('f', array_repeat(false, size(_s.b)), 'm', array_repeat('', 0)),
        (_acc, _i) -> element_at(transform(array(try_element_at(filter(
            sequence(greatest(_i - _s.w, 0),
                     greatest(least(_i + _s.w, size(_s.b) - 1), greatest(_i - _s.w, 0))),
            _j -> _j <= _i + _s.w AND _j < size(_s.b) AND NOT _acc.f[_j]
                  AND _s.b[_j] = _s.a[_i]), 1)),
          _j -> IF(_j IS NULL, _acc, named_struct(
                 'f', transform(_acc.f, (_x, _k) -> _x OR _k = _j),
                 'm', concat(_acc.m, array(_s.a[_i]))))), 1),
        _acc -> element_at(transform(array(named_struct(
            'm', size(_acc.m),
            't', size(filter(zip_with(_acc.m, filter(_s.b, (_c, _k) -> _acc.f[_k]),
                                      (_x, _y) -> _x <> _y), _z -> _z)) DIV 2,
            'p', coalesce(nullif(array_position(zip_with(slice(_s.a, 1, 4), slice(_s.b, 1, 4),
                                                         (_x, _y) -> coalesce(_x = _y, false)),
                                                false), 0) - 1,
                          least(4, size(_s.a), size(_s.b))))), _r ->
          IF(_r.m = 0, 0.0D, element_at(transform(
            array((_r.m / size(_s.a) + _r.m / size(_s.b) + (_r.m - _r.t) / _r.m) / 3.0D),
            _v -> IF(_v > 0.7D, least(_v + _r.p * 0.1D * (1.0D - _v), 1.0D), _v)), 1))), 1))
      END), 1)
  END), 1)"""


def jaro_winkler_sql(a: str, b: str) -> str:
    """Spark SQL for DuckDB's ``jaro_winkler_similarity(a, b)`` (each argument used once)."""
    return "(" + _JARO_WINKLER.format(a_bytes=utf8_bytes_sql(a), b_bytes=utf8_bytes_sql(b)) + ")"


def utf8_bytes_sql(text: str) -> str:
    """``text`` with each UTF-8 byte as one character (Latin-1), for functions that DuckDB
    computes on bytes, not characters (``jaro_winkler_similarity``, ``damerau_levenshtein``):
    'é' is two bytes, so DuckDB counts 'é' against 'e' as two edits."""
    return f"decode(encode({text}, 'UTF-8'), 'ISO-8859-1')"


def strip_accents_sql(text: str) -> str:
    """Spark SQL for DuckDB's ``strip_accents(text)``."""
    source, target = _accent_table()
    return f"translate({text}, {_literal(source)}, {_literal(target)})"


@functools.cache
def _accent_table() -> tuple[str, str]:
    """(from, to) for ``translate``: characters DuckDB changes, mapped ones first, then the
    ones it removes (``translate`` deletes characters beyond the end of ``to``)."""
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute(
            """
            SELECT c, strip_accents(c) AS s
            FROM (SELECT chr(CASE WHEN i BETWEEN 55296 AND 57343 THEN 32 ELSE i END::INTEGER)
                         AS c
                  FROM range(32, 1114112) AS t(i))
            WHERE strip_accents(c) <> c
            ORDER BY length(strip_accents(c)) DESC, c
            """
        ).fetchall()
    finally:
        con.close()
    if any(len(s) > 1 for _, s in rows):  # translate maps one character to at most one
        raise RuntimeError("strip_accents expands a character; translate cannot express it")
    mapped = [(c, s) for c, s in rows if s]
    removed = [c for c, s in rows if not s]
    return "".join(c for c, _ in mapped) + "".join(removed), "".join(s for _, s in mapped)


def _literal(text: str) -> str:
    """A Spark SQL string literal (backslashes and quotes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def prepare(spark: Any) -> None:
    """Register reglink's SQL functions and settings on a Spark session (idempotent)."""
    for key, value in SESSION_CONF.items():
        spark.conf.set(key, value)
    spark.sql(
        "CREATE OR REPLACE TEMPORARY FUNCTION reglink_jaro_winkler(a STRING, b STRING) "
        f"RETURNS DOUBLE RETURN {jaro_winkler_sql('a', 'b')}"
    )
    spark.sql(
        "CREATE OR REPLACE TEMPORARY FUNCTION reglink_strip_accents(s STRING) "
        f"RETURNS STRING RETURN {strip_accents_sql('s')}"
    )
