"""The hub is a client of the library: nothing in the library imports it."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import volunteer_standard
from volunteer_standard.hub.aggregate.people import Service, resolve_duplicates

PACKAGE = Path(volunteer_standard.__file__).parent
#: The command line is a client too (``vstd serve`` imports the hub lazily).
CLIENTS = {PACKAGE / "commands" / "serve.py"}


def test_nothing_in_the_library_imports_the_hub() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if PACKAGE / "hub" in path.parents or path in CLIENTS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(
                n == "volunteer_standard.hub" or n.startswith("volunteer_standard.hub.")
                for n in names
            ):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_hub_package_exports_load_lazily() -> None:
    import volunteer_standard.hub as hub

    assert callable(hub.create_app) and callable(hub.serve) and hub.HubSettings


_services = st.lists(
    st.tuples(
        st.integers(0, 2),  # day
        st.sampled_from("ab"),  # organization
        st.integers(0, 40),  # start (quarter hours)
        st.integers(1, 16),  # length (quarter hours)
        st.integers(1, 16),  # hours reported (quarter hours)
    ),
    max_size=25,
)


@given(_services)
def test_duplicates_never_overlap_and_point_at_counted_twins(
    rows: list[tuple[int, str, int, int, int]],
) -> None:
    from datetime import datetime, timedelta, timezone
    from decimal import Decimal

    tz = timezone(timedelta(hours=8))
    services = []
    for i, (day, org, start, length, hours) in enumerate(rows):
        begin = datetime(2024, 3, 1 + day, tzinfo=tz) + timedelta(minutes=15 * start)
        services.append(
            Service(
                f"s{i}",
                "x",
                f"d{day}",
                org,
                begin,
                begin + timedelta(minutes=15 * length),
                Decimal(hours) / 4,
                "1",
                i,
            )
        )
    resolve_duplicates(services)
    counted = [s for s in services if s.counted]
    by_id = {s.item_id: s for s in services}
    for a in counted:  # the counted services of one day and organization never overlap
        for b in counted:
            if a is not b and (a.day, a.organization) == (b.day, b.organization):
                assert not (a.start < b.end and b.start < a.end)
    for s in services:
        if not s.counted:
            twin = by_id[s.duplicate_of or ""]
            assert twin.counted and (twin.day, twin.organization) == (s.day, s.organization)
            assert twin.start < s.end and s.start < twin.end
            assert twin.hours >= s.hours
