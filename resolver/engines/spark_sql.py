"""DuckDB SQL to Spark SQL: sqlglot's transpiler plus the rewrites that keep DuckDB's meaning.

reglink writes its SQL once, in DuckDB's dialect: the Splink comparisons and blocking rules
in :mod:`resolver.model` and the rules' SELECTs. sqlglot translates the syntax. Where a
DuckDB function keeps its name (or gets a Spark name) but means something else in Spark,
the expression is rewritten here so that Spark returns what DuckDB returns:

==============================  ==============================================================
DuckDB                          Spark
==============================  ==============================================================
``list(x)`` (aggregate)         ``collect_list`` of ``struct(x)``: keeps NULLs, NULL (not
                                ``[]``) over no rows; ``ORDER BY`` kept (sqlglot drops it)
``first/last(x ORDER BY k)``    ``min_by`` / ``max_by`` on a key struct (NULLS LAST)
``len(list)``                   ``size`` (Spark's ``length`` is for strings only)
``list_has_any``                ``arrays_overlap`` ignoring NULL elements (sqlglot: ``&&``)
``list_intersect``              ``array_intersect`` ignoring NULL elements
``list_has_all(a, b)``          ``size(array_except(b, a)) = 0`` ignoring NULLs in ``b``
``list_contains``               ``array_contains`` ignoring NULL elements
``list_distinct``               ``array_distinct`` without NULL
``flatten``                     skips NULL sub-lists (Spark's returns NULL)
``list_concat``                 a NULL list counts as empty (Spark's ``concat`` returns NULL)
``datesub('year'|'month', a, b)``  whole months, DuckDB's end-of-month rule, in Spark SQL
``date_diff('day', a, b)``      ``datediff(b, a)`` on dates (never a timestamp difference)
``(a, b) IN (SELECT (c, d))``   ``EXISTS`` with NULL-safe equality (DuckDB compares rows so)
``regexp_*`` with ``\\s``       ``[\\t\\n\\f\\r ]`` (Java's ``\\s`` also matches ``\\x0B``)
``jaro_winkler_similarity``     ``reglink_jaro_winkler``, Spark SQL equal to DuckDB's (see
                                :mod:`resolver.engines.spark_functions`); inlined in a lambda
``damerau_levenshtein``         Splink's jar, on UTF-8 bytes as DuckDB counts them
``strip_accents``               ``reglink_strip_accents``, likewise
``lower``                       ``'Σ'`` and ``'İ'`` lowered alone first (Java lowers a final
                                capital sigma to ``'ς'``, DuckDB to ``'σ'``)
==============================  ==============================================================

What cannot be made to mean the same raises :class:`NotPortableError` naming the construct
(``UNION BY NAME``, ``regexp_replace`` without ``'g'``, other ``datesub`` units, a
``DISTINCT`` list ordered by another expression). Two differences are left to the SQL's
author, because they depend on types the SQL text does not show: subtracting two dates
(DuckDB: days; Spark: an interval; write ``date_diff('day', a, b)``, ``rules.sqlkit.days_between``)
and casting a fraction to an integer (DuckDB rounds, Spark truncates; round first).

Spark sessions running this SQL need ``spark.sql.legacy.sizeOfNull=false`` (``size(NULL)``
is NULL, as in DuckDB), which :func:`resolver.engines.spark_functions.prepare` sets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterator
from typing import cast

import sqlglot
from sqlglot import exp

from resolver.engines.spark_functions import jaro_winkler_sql, strip_accents_sql, utf8_bytes_sql
from resolver.errors import NotAvailableError

#: sqlglot's name for Spark's dialect.
SPARK = "spark"


class NotPortableError(NotAvailableError):
    """DuckDB SQL that has no Spark equivalent with the same meaning."""


def to_spark(sql: str, *, list_columns: Collection[str] = ()) -> str:
    """Spark SQL meaning what the DuckDB ``sql`` (a query or an expression) means.

    ``list_columns`` names the columns that hold lists, so that ``len()`` of one becomes
    Spark's ``size()``; ``len()`` of a list-valued expression is recognised by itself.
    """
    try:
        tree = cast(exp.Expression, sqlglot.parse_one(sql, read="duckdb"))
    except sqlglot.errors.ParseError as exc:
        raise NotPortableError(f"cannot parse as DuckDB SQL: {exc}") from exc
    rewriter = _Rewriter(frozenset(list_columns))
    return rewriter.rewrite(tree).sql(dialect=SPARK)


class _Rewriter:
    def __init__(
        self,
        list_columns: frozenset[str],
        in_lambda: bool = False,
        names: Iterator[int] | None = None,
    ) -> None:
        self.list_columns = list_columns
        self.in_lambda = in_lambda
        self.names = names if names is not None else itertools.count(1)
        self.rules: dict[type[exp.Expression], Callable[[exp.Expression], exp.Expression]] = {
            exp.Filter: self._filtered_aggregate,
            exp.ArrayAgg: self._list_aggregate,
            exp.First: self._first_last,
            exp.Last: self._first_last,
            exp.Length: self._length,
            exp.ArrayOverlaps: self._has_any,
            exp.ArrayContains: self._contains,
            exp.ArrayDistinct: self._distinct,
            exp.Flatten: self._flatten,
            exp.ArrayConcat: self._concat,
            exp.Anonymous: self._anonymous,
            exp.JarowinklerSimilarity: self._jaro_winkler,
            exp.Lower: self._lower,
            exp.ArrayFilter: self._hoisted,
            exp.DateDiff: self._date_diff,
            exp.In: self._row_in,
            exp.RegexpReplace: self._regexp_replace,
            exp.RegexpLike: self._regexp,
            exp.RegexpExtract: self._regexp,
            exp.Union: self._union,
        }

    # -- plumbing ---------------------------------------------------------------------------

    def rewrite(self, node: exp.Expression) -> exp.Expression:
        """``node`` with every rule applied, children first where a rule rebuilds a node."""
        return node.transform(self._visit)

    def _visit(self, node: exp.Expression) -> exp.Expression:
        rule = self.rules.get(type(node))
        return rule(node) if rule else node

    def _spark(self, node: exp.Expression) -> str:
        """A child's Spark SQL, rewritten (knowing whether it sits inside a lambda)."""
        return self._nested(self._within_lambda(node))._spark_copy(node)

    def _nested(self, in_lambda: bool) -> _Rewriter:
        return _Rewriter(self.list_columns, in_lambda, self.names)

    def _within_lambda(self, node: exp.Expression) -> bool:
        return self.in_lambda or node.find_ancestor(exp.Lambda) is not None

    @staticmethod
    def _parse(template: str) -> exp.Expression:
        return cast(exp.Expression, sqlglot.parse_one(template, read=SPARK))

    # -- aggregates -------------------------------------------------------------------------

    def _filtered_aggregate(self, node: exp.Expression) -> exp.Expression:
        inner = node.this
        if isinstance(inner, exp.ArrayAgg):
            where = node.expression.this  # Filter(expression=Where(this=condition))
            return self._list_aggregate(inner, where)
        return node

    def _list_aggregate(
        self, node: exp.Expression, where: exp.Expression | None = None
    ) -> exp.Expression:
        if isinstance(node.parent, exp.Window):
            raise NotPortableError("list() as a window function")
        value, distinct, order = _aggregate_parts(node.this)
        flt = f" FILTER (WHERE {self._spark(where)})" if where is not None else ""
        dist = "DISTINCT " if distinct else ""
        v = self._spark(value)
        if not order:
            values = f"TRANSFORM(COLLECT_LIST({dist}STRUCT({v} AS v)){flt}, _s -> _s.v)"
        elif len(order) == 1 and order[0].this == value:
            plain = f"TRANSFORM(COLLECT_LIST({dist}STRUCT({v} AS v)){flt}, _s -> _s.v)"
            values = _sorted(plain, order[0])
        elif distinct:
            raise NotPortableError("list(DISTINCT x ORDER BY y) with y other than x")
        else:
            key = self._key(order)
            values = (
                f"TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT({key}, {v} AS v)){flt}), _s -> _s.v)"
            )
        # DuckDB's list() over no rows is NULL; Spark's collect_list is [].
        return self._parse(f"CASE WHEN COUNT(1){flt} > 0 THEN {values} END")

    def _first_last(self, node: exp.Expression) -> exp.Expression:
        if not isinstance(node.this, exp.Order):
            return node
        value, _, order = _aggregate_parts(node.this)
        function = "MIN_BY" if isinstance(node, exp.First) else "MAX_BY"
        return self._parse(f"{function}({self._spark(value)}, STRUCT({self._key(order)}))")

    def _key(self, order: list[exp.Ordered]) -> str:
        """Struct fields ordering rows as DuckDB's ORDER BY does (NULLS LAST by default).

        A descending key is negated, so it must be a number (Spark rejects anything else).
        """
        fields = []
        for i, ordered in enumerate(order):
            k = self._spark(ordered.this)
            nulls_first = bool(ordered.args.get("nulls_first"))
            fields.append(f"({k}) IS {'NOT ' if nulls_first else ''}NULL AS _n{i}")
            fields.append(f"{'-' if ordered.args.get('desc') else ''}({k}) AS _k{i}")
        return ", ".join(fields)

    # -- lambdas ----------------------------------------------------------------------------

    def _hoisted(self, node: exp.Expression) -> exp.Expression:
        """``list_filter(xs, k -> ... strip_accents(y) ...)`` with ``strip_accents(y)``
        (which does not depend on ``k``) computed once, outside the lambda, and bound by a
        one-element ``transform``: in a lambda it could only be inlined (a translate table
        for every element), which is slow to plan and to run."""
        lam = node.expression
        if not isinstance(lam, exp.Lambda):
            return node
        params = {p.name for p in lam.expressions}
        hoist = [
            call
            for call in lam.this.find_all(exp.Anonymous)
            if call.name.lower() == "strip_accents"
            and not any(i.name in params for i in call.find_all(exp.Identifier))
        ]
        if not hoist:
            return node
        bound = f"_h{next(self.names)}"
        outside = self._nested(self._within_lambda(node))
        fields = [f"{outside._spark_copy(node.this)} AS a"]
        body = lam.this.copy()
        for i, call in enumerate(hoist):
            fields.append(f"{outside._spark_copy(call)} AS h{i}")
            for found in body.find_all(exp.Anonymous):
                if found == call:
                    found.replace(exp.column(f"h{i}", table=bound))
        inside = self._nested(in_lambda=True)
        names = ", ".join(p.name for p in lam.expressions)
        filtered = f"FILTER({bound}.a, ({names}) -> {inside._spark_copy(body)})"
        return self._parse(
            f"ELEMENT_AT(TRANSFORM(ARRAY(STRUCT({', '.join(fields)})), {bound} -> {filtered}), 1)"
        )

    def _spark_copy(self, node: exp.Expression) -> str:
        """A detached node's Spark SQL, in this rewriter's lambda context."""
        return self.rewrite(node.copy()).sql(dialect=SPARK)

    # -- lists ------------------------------------------------------------------------------

    def _is_list(self, node: exp.Expression) -> bool:
        if isinstance(node, exp.Paren):
            return self._is_list(node.this)
        if isinstance(node, exp.Coalesce):
            return any(self._is_list(e) for e in [node.this, *node.expressions])
        if isinstance(node, exp.Column):
            return node.name in self.list_columns
        if isinstance(node, exp.Anonymous):
            return node.name.lower() in {"list_intersect", "list_filter", "list_sort"}
        if isinstance(node, exp.Filter):
            return isinstance(node.this, exp.ArrayAgg)
        return isinstance(node, _LIST_VALUED)

    def _length(self, node: exp.Expression) -> exp.Expression:
        if self._is_list(node.this):
            return self._parse(f"SIZE({self._spark(node.this)})")
        return node

    def _has_any(self, node: exp.Expression) -> exp.Expression:
        a, b = self._spark(node.this), self._spark(node.expression)
        return self._parse(f"ARRAYS_OVERLAP(ARRAY_COMPACT({a}), ARRAY_COMPACT({b}))")

    def _contains(self, node: exp.Expression) -> exp.Expression:
        a, x = self._spark(node.this), self._spark(node.expression)
        return self._parse(f"ARRAY_CONTAINS(ARRAY_COMPACT({a}), {x})")

    def _distinct(self, node: exp.Expression) -> exp.Expression:
        return self._parse(f"ARRAY_COMPACT(ARRAY_DISTINCT({self._spark(node.this)}))")

    def _flatten(self, node: exp.Expression) -> exp.Expression:
        x = self._spark(node.this)
        return self._parse(f"FLATTEN(FILTER({x}, _a -> _a IS NOT NULL))")

    def _concat(self, node: exp.Expression) -> exp.Expression:
        parts = [node.this, *node.expressions]
        return self._parse(
            "CONCAT(" + ", ".join(f"COALESCE({self._spark(p)}, ARRAY())" for p in parts) + ")"
        )

    def _anonymous(self, node: exp.Expression) -> exp.Expression:
        name, args = node.name.lower(), node.expressions
        if name == "list_intersect":
            a, b = (self._spark(e) for e in args)
            return self._parse(f"ARRAY_INTERSECT(ARRAY_COMPACT({a}), ARRAY_COMPACT({b}))")
        if name == "list_has_all":
            a, b = (self._spark(e) for e in args)
            return self._parse(f"(SIZE(ARRAY_EXCEPT(ARRAY_COMPACT({b}), {a})) = 0)")
        if name == "strip_accents":
            text = self._spark(args[0])
            if self._within_lambda(node):  # Spark allows no SQL function in a lambda
                return self._parse(strip_accents_sql(text))
            return self._parse(f"REGLINK_STRIP_ACCENTS({text})")
        if name in {"datesub", "date_sub"} and len(args) == 3:
            return self._datesub(args)
        if name == "damerau_levenshtein":  # Splink's jar; DuckDB counts bytes, not characters
            a, b = (utf8_bytes_sql(self._spark(e)) for e in args)
            return self._parse(f"DAMERAU_LEVENSHTEIN({a}, {b})")
        return node

    # -- dates ------------------------------------------------------------------------------

    def _datesub(self, args: list[exp.Expression]) -> exp.Expression:
        unit = args[0].name.lower() if isinstance(args[0], exp.Literal) else ""
        if unit not in {"year", "years", "month", "months"}:
            raise NotPortableError(f"datesub with unit {args[0].sql()}")
        start, end = self._spark(args[1]), self._spark(args[2])
        months = f"({_months(start, end)})"
        if unit.startswith("year"):
            forward, backward = f"({months} DIV 12)", f"({_months(end, start)}) DIV 12"
        else:
            forward, backward = months, f"({_months(end, start)})"
        return self._parse(
            f"(CASE WHEN ({start}) <= ({end}) THEN {forward} ELSE -({backward}) END)"
        )

    def _date_diff(self, node: exp.Expression) -> exp.Expression:
        unit = node.args.get("unit")
        if unit is None or unit.name.upper() not in {"DAY", "DAYS"}:
            raise NotPortableError(f"date_diff with unit {unit.sql() if unit else '?'}")
        later, earlier = self._spark(node.this), self._spark(node.expression)
        return self._parse(f"DATEDIFF({later}, {earlier})")

    # -- predicates and strings -------------------------------------------------------------

    def _row_in(self, node: exp.Expression) -> exp.Expression:
        query = node.args.get("query")
        if not isinstance(node.this, exp.Tuple) or query is None:
            return node
        select = query.this if isinstance(query, exp.Subquery) else query
        if not isinstance(select, exp.Select) or len(select.expressions) != 1:
            return node
        row = select.expressions[0]
        if not isinstance(row, exp.Tuple):
            return node
        left = node.this.expressions
        if len(left) != len(row.expressions):
            raise NotPortableError("row IN subquery with rows of different widths")
        inner = select.copy()
        inner.set(
            "expressions",
            [exp.alias_(e.copy(), f"_k{i}") for i, e in enumerate(row.expressions)],
        )
        match = " AND ".join(f"_in._k{i} <=> ({self._spark(e)})" for i, e in enumerate(left))
        return self._parse(f"EXISTS (SELECT 1 FROM ({self._spark(inner)}) AS _in WHERE {match})")

    def _regexp_replace(self, node: exp.Expression) -> exp.Expression:
        modifiers = node.args.get("modifiers")
        options = modifiers.name if isinstance(modifiers, exp.Literal) else ""
        if "g" not in options or set(options) - {"g"}:
            raise NotPortableError(
                f"regexp_replace with options {options!r}: Spark replaces every match and "
                "takes no options, so only 'g' has the same meaning"
            )
        return self._regexp(node)

    @staticmethod
    def _regexp(node: exp.Expression) -> exp.Expression:
        pattern = node.expression
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            node.set("expression", exp.Literal.string(_re2_to_java(pattern.this)))
        return node

    @staticmethod
    def _union(node: exp.Expression) -> exp.Expression:
        if node.args.get("by_name"):
            raise NotPortableError("UNION BY NAME (list the columns of each side)")
        return node

    def _jaro_winkler(self, node: exp.Expression) -> exp.Expression:
        a, b = self._spark(node.this), self._spark(node.expression)
        if self._within_lambda(node):  # Spark allows no SQL function in a lambda
            return self._parse(jaro_winkler_sql(a, b))
        return self._parse(f"REGLINK_JARO_WINKLER({a}, {b})")

    def _lower(self, node: exp.Expression) -> exp.Expression:
        # DuckDB lowers each character alone; Java lowers a final capital sigma to 'ς' and
        # 'İ' to 'i' and a combining dot. Lowered first, they come out as in DuckDB.
        return self._parse(f"LOWER(TRANSLATE({self._spark(node.this)}, 'Σİ', 'σi'))")


_LIST_VALUED = (
    exp.Array,
    exp.ArrayAgg,
    exp.ArrayFilter,
    exp.ArrayConcat,
    exp.ArrayDistinct,
    exp.ArrayIntersect,
    exp.ArraySort,
    exp.ArrayCompact,
    exp.ArrayExcept,
    exp.Flatten,
    exp.Split,
)


def _aggregate_parts(
    arg: exp.Expression,
) -> tuple[exp.Expression, bool, list[exp.Ordered]]:
    """(value, distinct, ORDER BY keys) of an aggregate's argument."""
    order: list[exp.Ordered] = []
    if isinstance(arg, exp.Order):
        order = list(arg.expressions)
        arg = arg.this
    distinct = isinstance(arg, exp.Distinct)
    if distinct:
        if len(arg.expressions) != 1:
            raise NotPortableError("an aggregate of DISTINCT over several columns")
        arg = arg.expressions[0]
    return arg, distinct, order


def _sorted(values: str, ordered: exp.Ordered) -> str:
    """``values`` sorted by themselves as DuckDB's ORDER BY (ASC or DESC, NULLS LAST)."""
    desc, nulls_first = bool(ordered.args.get("desc")), bool(ordered.args.get("nulls_first"))
    if desc and nulls_first:
        raise NotPortableError("list(x ORDER BY x DESC NULLS FIRST)")
    if not desc and nulls_first:
        return f"SORT_ARRAY({values}, TRUE)"  # nulls first when ascending
    if desc:
        return f"SORT_ARRAY({values}, FALSE)"  # nulls last when descending
    return f"ARRAY_SORT({values})"  # nulls last


def _months(start: str, end: str) -> str:
    """Whole months from ``start`` to ``end`` (``end`` not before ``start``), as DuckDB counts.

    A month is complete when the end's day of month reaches the start's, or when the end is
    the last day of its month (so 29 February to 28 February a year later is a year).
    """
    s, e = f"({start})", f"({end})"
    return (
        f"(YEAR({e}) - YEAR({s})) * 12 + MONTH({e}) - MONTH({s}) "
        f"- CASE WHEN DAY({e}) < DAY({s}) AND {e} <> LAST_DAY({e}) THEN 1 ELSE 0 END"
    )


def _re2_to_java(pattern: str) -> str:
    r"""A DuckDB (RE2) pattern for Java: ``\s`` outside a character class is RE2's set."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            if pair == r"\s" and not in_class:
                out.append(r"[\t\n\f\r ]")
            elif pair == r"\s":
                out.append(r"\t\n\f\r ")
            else:
                out.append(pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)
