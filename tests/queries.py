"""Query counting for the query-bound tests, and a check that a page reads its big tables a bounded slice at a time.

`unbounded_reads` reads each captured SELECT at its top level (subqueries and string literals blanked out) and
reports the ones that read a watched table with neither a LIMIT, a row-number window filter (the first N per
group), nor an aggregate without GROUP BY (one row whatever the data).
"""

import re
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Tables that grow with a user's (or a program's) data: a page reads them a page at a time, or as an aggregate.
WATCHED = {"board_boardmember", "board_checkin", "worksheets_worksheet", "programs_membership"}
AGGREGATE = re.compile(r"\b(COUNT|SUM|MAX|MIN|AVG|BOOL_OR|BOOL_AND|EXISTS)\(\)", re.IGNORECASE)


def _blank_strings(sql: str) -> str:
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def _split(sql: str) -> tuple[str, list[str]]:
    """The statement with every parenthesised part emptied, and those parts (outermost only)."""
    top, inner, depth, start = [], [], 0, 0
    for i, char in enumerate(sql):
        if char == "(":
            if depth == 0:
                top.append("(")
                start = i + 1
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                inner.append(sql[start:i])
                top.append(")")
        elif depth == 0:
            top.append(char)
    return "".join(top), inner


def _tables(top: str) -> set[str]:
    return set(re.findall(r'\b(?:FROM|JOIN)\s+"(\w+)"', top, re.IGNORECASE))


def is_unbounded(sql: str) -> bool:
    """Whether this SELECT reads rows of a watched table without a bound on how many."""
    top, parts = _split(_blank_strings(sql))
    if not top.lstrip().upper().startswith("SELECT"):
        return False
    if re.search(r"\bLIMIT\b", top, re.IGNORECASE):
        return False
    if AGGREGATE.search(top) and not re.search(r"\bGROUP BY\b", top, re.IGNORECASE):
        return False
    derived = re.search(r"\bFROM\s+\(\)", top, re.IGNORECASE)
    if derived:
        # Django filters on a window function through a derived table: SELECT * FROM (... ROW_NUMBER() OVER ...)
        # "qualify" WHERE rank <= N. That is a bound when the window is a row number and the outer query filters it.
        inner = parts[top[: derived.end()].count("(") - 1]
        if re.search(r"\bROW_NUMBER\(\)", inner, re.IGNORECASE) and re.search(r"\bWHERE\b", top, re.IGNORECASE):
            return False
        return is_unbounded(inner)
    return bool(_tables(top) & WATCHED)


def unbounded_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if is_unbounded(q["sql"])]


@contextmanager
def captured():
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


def get(client, url: str, status: int = 200):
    """GET `url` and return the queries it made; of a streamed response, up to its first chunk."""
    with captured() as ctx:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code, response.get("Location"))
        if response.streaming:
            next(iter(response.streaming_content), b"")
    return ctx.captured_queries
