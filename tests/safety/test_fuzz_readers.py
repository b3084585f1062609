"""Hypothesis fuzzing of the readers (bounded examples; fuzz/run.py runs longer)."""

from __future__ import annotations

import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteer_standard.testing.fuzz import (
    fuzz_csv,
    fuzz_json,
    fuzz_mapping,
    fuzz_validate,
    fuzz_xlsx,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutate(data: bytes, cuts: list[int], junk: bytes) -> bytes:
    out = bytearray(data)
    for cut in cuts:
        if out:
            out[cut % len(out)] = junk[cut % len(junk)] if junk else 0
    return bytes(out)


@FAST
@given(st.binary(max_size=400))
def test_json_readers_on_random_bytes(data: bytes) -> None:
    fuzz_json(data)
    fuzz_validate(data)


@FAST
@given(
    st.lists(json_values, max_size=5),
    st.lists(st.integers(0, 10_000), max_size=4),
    st.binary(max_size=4),
)
def test_json_readers_on_damaged_json(values: list[object], cuts: list[int], junk: bytes) -> None:
    lines = "\n".join(json.dumps(v) for v in values).encode()
    package = json.dumps({"metadata": {}, "volunteers": values}).encode()
    for data in (lines, package, _mutate(lines, cuts, junk), _mutate(package, cuts, junk)):
        fuzz_json(data)
        fuzz_validate(data)


@FAST
@given(
    st.lists(st.lists(st.text(alphabet='ab,"\n\r;\t 张', max_size=6), max_size=5), max_size=6),
    st.sampled_from(["utf-8", "gb18030"]),
)
def test_csv_reader(rows: list[list[str]], encoding: str) -> None:
    text = "\r\n".join(",".join(cells) for cells in rows)
    fuzz_csv(text.encode(encoding, "replace"))


@settings(max_examples=25, deadline=None)
@given(
    st.binary(max_size=300),
    st.dictionaries(
        st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]),
        st.binary(max_size=200),
        max_size=3,
    ),
)
def test_xlsx_reader(data: bytes, parts: dict[str, bytes]) -> None:
    fuzz_xlsx(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name, body in parts.items():
            book.writestr(name, body)
    fuzz_xlsx(buffer.getvalue())


@FAST
@given(st.text(alphabet='[]=."\nabc:-{}#xX 张', max_size=200))
def test_mapping_loader(text: str) -> None:
    fuzz_mapping(text.encode("utf-8"))
