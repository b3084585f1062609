"""The code-list data files and their loader."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest

from volunteer_standard import codelists
from volunteer_standard.codelists import Code, CodeList

DATA = codelists.data_dir()
INDEX_HEADER = ["name", "title_zh", "title_en", "version", "closed", "source"]
LIST_HEADER = ["code", "label_zh", "label_en", "source", "deprecated"]
NOT_CODELISTS = {"index.csv", "regions.csv", "aliases.csv"}

EXPECTED_OPEN = {
    "skill",
    "volunteer_type",
    "certificate_purpose",
    "station_type",
    "consent_purpose",
    "language",
    "nationality",
    "evidence_type",
}
EXPECTED_CLOSED = {
    "service_category",
    "service_target",
    "id_document_type",
    "gender",
    "political_status",
    "education",
    "employment_status",
    "ethnicity",
    "availability_slot",
    "team_type",
    "org_type",
    "org_status",
    "project_status",
    "recruitment_scope",
    "guarantee",
    "hours_entry_method",
    "hours_record_status",
    "hours_type",
    "training_type",
    "training_mode",
    "funding_source",
    "star_level",
    "volunteer_status",
    "real_name_status",
    "award_subject_type",
    "evaluation_direction",
    "certificate_status",
    "demand_status",
    "activity_status",
    "guardian_relation",
    "contact_visibility",
    "entity_type",
}


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _index_rows() -> list[list[str]]:
    return _read(DATA / "index.csv")


def _list_files() -> list[Path]:
    return sorted(p for p in DATA.glob("*.csv") if p.name not in NOT_CODELISTS)


# --- the files themselves -------------------------------------------------------------


def test_index_header_and_rows() -> None:
    rows = _index_rows()
    assert rows[0] == INDEX_HEADER
    names = [r[0] for r in rows[1:]]
    assert len(names) == len(set(names))
    for row in rows[1:]:
        assert len(row) == len(INDEX_HEADER)
        assert all(cell.strip() == cell and cell for cell in row), row
        assert re.fullmatch(r"[a-z][a-z_]*[a-z]", row[0]), row[0]
        assert row[4] in ("true", "false")


def test_index_and_files_match() -> None:
    in_index = {r[0] for r in _index_rows()[1:]}
    on_disk = {p.stem for p in _list_files()}
    assert in_index == on_disk


def test_expected_lists_shipped() -> None:
    assert set(codelists.bundled_names()) == EXPECTED_OPEN | EXPECTED_CLOSED


@pytest.mark.parametrize("path", _list_files(), ids=lambda p: p.stem)
def test_list_file_is_well_formed(path: Path) -> None:
    rows = _read(path)
    assert rows[0] == LIST_HEADER
    codes = [r[0] for r in rows[1:]]
    assert codes, "empty list"
    assert len(codes) == len(set(codes)), "duplicate codes"
    for row in rows[1:]:
        assert len(row) == len(LIST_HEADER), row
        code, label_zh, label_en, source, deprecated = row
        assert re.fullmatch(r"[0-9A-Za-z_]+", code), code
        assert label_zh, row
        assert label_en, row
        assert label_zh.strip() == label_zh, row
        assert label_en.strip() == label_en, row
        assert source, row
        assert deprecated in ("true", "false"), row


def test_files_are_utf8_without_bom() -> None:
    for path in [*_list_files(), DATA / "index.csv"]:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), path.name
        raw.decode("utf-8")


# --- the loader ---------------------------------------------------------------------------


def test_names_sorted_and_all_loaded() -> None:
    names = codelists.names()
    assert names == sorted(names)
    lists = codelists.all_codelists()
    assert [cl.name for cl in lists] == names
    for cl in lists:
        assert cl.version == codelists.CODELISTS_VERSION
        assert cl.title_zh
        assert cl.title_en
        assert cl.source
        assert cl.all_codes() == tuple(c.code for c in cl.codes)


def test_closed_and_open_flags() -> None:
    for name in EXPECTED_OPEN:
        assert codelists.get(name).closed is False, name
    for name in EXPECTED_CLOSED:
        assert codelists.get(name).closed is True, name


def test_get_is_cached() -> None:
    assert codelists.get("gender") is codelists.get("gender")


def test_unknown_list_suggests_close_names() -> None:
    with pytest.raises(KeyError, match="gender"):
        codelists.get("gendr")
    with pytest.raises(KeyError, match="unknown code list"):
        codelists.get("no_such_thing_at_all")


def test_membership_label_and_get() -> None:
    gender = codelists.get("gender")
    assert "1" in gender
    assert "3" not in gender
    assert 1 not in gender  # codes are strings, never numbers
    assert None not in gender
    entry = gender.get("1")
    assert entry is not None
    assert (entry.code, entry.label_zh, entry.label_en, entry.deprecated) == (
        "1",
        "男",
        "Male",
        False,
    )
    assert gender.get("3") is None
    assert gender.label("2") == "女"
    assert gender.label("2", lang="en") == "Female"
    assert gender.label("7") == "7"  # unknown codes fall back to themselves
    with pytest.raises(ValueError, match="lang"):
        gender.label("1", lang="fr")


def test_active_codes_skip_deprecated() -> None:
    cl = CodeList(
        name="demo",
        title_zh="示例",
        title_en="Demo",
        version="1.0",
        closed=True,
        source="test",
        codes=(Code("a", "甲", "A", "test", False), Code("b", "乙", "B", "test", True)),
    )
    assert cl.active_codes() == ("a",)
    assert cl.all_codes() == ("a", "b")
    assert "b" in cl  # deprecated codes stay valid for old data


def test_values_are_immutable_and_hashable() -> None:
    gender = codelists.get("gender")
    with pytest.raises(dataclasses.FrozenInstanceError):
        gender.closed = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        gender.codes[0].code = "x"  # type: ignore[misc]
    assert isinstance(hash(gender), int)
    assert gender == codelists.get("gender")


def test_data_dir_is_package_data() -> None:
    assert (DATA / "index.csv").is_file()
    assert DATA.parent == Path(codelists.__file__).parent


# --- facts re-keyed from the sources --------------------------------------------------------


def test_service_category() -> None:
    cl = codelists.get("service_category")
    assert cl.all_codes() == (*(f"{i:04d}" for i in range(1, 21)), "0099")
    assert cl.label("0013") == "应急救援"
    assert cl.label("0013", "en") == "Emergency rescue"


def test_service_target() -> None:
    expected = (*(f"{i:02d}" for i in range(1, 12)), "13", "99")
    assert codelists.get("service_target").all_codes() == expected


def test_gender_follows_gb_t_2261_1() -> None:
    cl = codelists.get("gender")
    assert set(cl.all_codes()) == {"0", "1", "2", "9"}
    assert cl.label("1") == "男"
    assert cl.label("9") == "未说明的性别"


def test_id_document_type_additions_are_marked() -> None:
    cl = codelists.get("id_document_type")
    assert cl.label("01") == "内地居民身份证"
    assert cl.label("05") == "护照"
    for code in ("10", "11", "12"):
        entry = cl.get(code)
        assert entry is not None
        assert entry.source == "volunteer-standard"
    assert cl.label("12") == "外国人永久居留身份证"
    assert "99" in cl


def test_political_status_and_education() -> None:
    assert codelists.get("political_status").all_codes() == (
        *(f"{i:02d}" for i in range(1, 14)),
        "20",
    )
    edu = codelists.get("education")
    for code in ("11", "14", "20", "90", "91", "98", "00", "99"):
        assert code in edu
    assert edu.label("00") == "文盲或半文盲"


def test_ethnicity_has_all_56_groups() -> None:
    cl = codelists.get("ethnicity")
    numbered = [c for c in cl.codes if int(c.code) <= 56]
    assert [c.code for c in numbered] == [f"{i:02d}" for i in range(1, 57)]
    assert len({c.label_zh for c in numbered}) == 56
    assert all(c.label_zh.endswith("族") for c in numbered)
    assert (cl.label("01"), cl.label("01", "en")) == ("汉族", "Han")
    assert (cl.label("02"), cl.label("02", "en")) == ("蒙古族", "Mongol")
    assert cl.label("56") == "基诺族"
    assert cl.label("97") == "其他"
    assert cl.label("98") == "外国血统中国籍人士"


def test_availability_slots_in_order() -> None:
    cl = codelists.get("availability_slot")
    assert cl.all_codes() == tuple(f"{i:02d}" for i in range(1, 25))
    assert cl.label("01") == "星期一上午"
    assert cl.label("02") == "星期一下午"
    assert cl.label("03") == "星期一晚上"
    assert cl.label("04") == "星期二上午"
    assert cl.label("21") == "星期日晚上"
    assert cl.label("22") == "节假日上午"
    assert cl.label("24", "en") == "Public holiday evening"


def test_skill_and_org_type() -> None:
    assert codelists.get("skill").all_codes() == (*(f"{i:02d}" for i in range(1, 24)), "99")
    org = codelists.get("org_type")
    assert org.all_codes() == (*(f"{i:02d}" for i in range(1, 17)), "99")
    assert org.label("15") == "基金会"


def test_team_type() -> None:
    cl = codelists.get("team_type")
    assert cl.all_codes() == ("1", "2", "3")
    assert cl.label("2") == "志愿服务组织"


def test_status_token_lists() -> None:
    assert codelists.get("org_status").all_codes() == (
        "pending",
        "active",
        "suspended",
        "dissolved",
        "rejected",
    )
    project = codelists.get("project_status")
    assert project.all_codes() == (
        "draft",
        "pending_review",
        "recruiting",
        "recruitment_closed",
        "in_progress",
        "completed",
        "suspended",
        "cancelled",
        "backfill",
    )
    backfill = project.get("backfill")
    assert backfill is not None
    assert "albx0015" in backfill.source
    assert codelists.get("hours_record_status").label("open") == "未签退"
    assert set(codelists.get("volunteer_status").all_codes()) == {
        "active",
        "suspended",
        "transferred",
        "deregistered",
        "deceased",
    }


def test_hours_lists() -> None:
    method = codelists.get("hours_entry_method")
    assert method.all_codes() == tuple(str(i) for i in range(8))
    assert method.label("0") == "强制签退"
    assert method.label("5") == "时长码兑换"
    assert codelists.get("hours_type").label("2") == "荣誉时长"


def test_small_nvsi_lists() -> None:
    assert codelists.get("recruitment_scope").all_codes() == ("1", "2", "3", "4", "5")
    guarantee = codelists.get("guarantee")
    assert guarantee.all_codes() == (*(f"{i:02d}" for i in range(1, 12)), "99")
    assert guarantee.label("01", "en") == "Volunteer insurance"
    assert codelists.get("training_type").all_codes() == ("1", "2", "3")
    assert codelists.get("training_mode").label("3") == "混合"
    assert codelists.get("funding_source").all_codes() == tuple(str(i) for i in range(1, 8))
    assert codelists.get("star_level").label("5") == "五星级"
    assert codelists.get("real_name_status").label("2") == "审核中"
    assert codelists.get("award_subject_type").label("3") == "志愿者"
    assert codelists.get("guardian_relation").all_codes() == ("51", "52", "99")


def test_volunteer_type_covers_the_2024_policy() -> None:
    cl = codelists.get("volunteer_type")
    for code in (
        "party_member",
        "youth",
        "women",
        "community",
        "worker",
        "veteran",
        "student",
        "senior",
        "emergency",
        "civilization_practice",
        "family",
        "professional",
    ):
        assert code in cl, code
    assert cl.label("women") == "巾帼志愿者"


def test_nationality_keeps_leading_zeros() -> None:
    cl = codelists.get("nationality")
    for code in ("156", "344", "446", "158", "036", "076"):
        assert code in cl
    assert "36" not in cl
    assert all(len(c) == 3 for c in cl.all_codes())


def test_language() -> None:
    cl = codelists.get("language")
    for code in ("zh", "en", "yue", "bo", "ug", "sgn"):
        assert code in cl
    assert 20 <= len(cl.codes) <= 40


def test_entity_type() -> None:
    assert codelists.get("entity_type").all_codes() == (
        "volunteer",
        "organization",
        "project",
        "activity",
        "service_record",
        "training_record",
        "award",
        "evaluation",
        "certificate",
        "demand",
        "station",
    )


# --- code hygiene -----------------------------------------------------------------------------


def test_no_unicode_digit_class_in_package_sources() -> None:
    """``\\d`` matches full-width and other Unicode digits; codes must be ASCII."""
    package = Path(codelists.__file__).parent
    for source in package.glob("*.py"):
        assert "\\d" not in source.read_text(encoding="utf-8"), source.name
