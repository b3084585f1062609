"""Rule profiles: bundled files, inheritance, overrides, and precise errors for bad files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.validation.rules_support import at, dataset, record, rule_codes, run
from volunteer_standard.profiles import (
    Profile,
    ProfileError,
    available_profiles,
    load_profile,
    register_profile,
    register_profile_dir,
)
from volunteer_standard.validation.catalogue import CATALOGUE


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_profiles() -> None:
    names = set(available_profiles())
    assert {"national", "beijing-2014", "zhangjiagang", "zhejiang", "structure"} <= names
    national = load_profile()
    assert national.name == "national" and national.lineage == ("national",)
    assert national.stars.thresholds == tuple(Decimal(x) for x in (100, 300, 600, 1000, 1500))
    assert national.insurance.risky_categories == ("0012", "0013")
    assert national.minors.guardian_consent_under == 14
    assert national.required == {"certificate": ("issuer.responsible_person", "issuer.handler")}
    assert all(code in national.enabled_codes() for code in CATALOGUE)
    for name in names:
        profile = load_profile(name)
        assert profile.title("zh") and profile.title("en") and profile.sources, name


def test_inheritance_and_overrides() -> None:
    beijing = load_profile("beijing-2014")
    assert beijing.lineage == ("national", "beijing-2014")
    assert beijing.stars.thresholds == tuple(Decimal(x) for x in (100, 200, 500, 800, 1000))
    assert beijing.minors == load_profile("national").minors  # inherited unchanged
    assert load_profile("zhangjiagang").stars.thresholds[0] == Decimal(30)
    zhejiang = load_profile("zhejiang")
    assert zhejiang.severities() == {"VR402": "error"}
    structure = load_profile("structure")
    assert not any(code.startswith("VR") for code in structure.enabled_codes())
    assert any(code.startswith("VS") for code in structure.enabled_codes())


def test_enable_and_disable_accumulate_down_the_chain(tmp_path: Path) -> None:
    _write(
        tmp_path / "parent.toml",
        'name = "parent"\nextends = "national"\n[rules]\ndisable = ["VR3*", "VR610"]\n'
        '[rules.severity]\nVR221 = "warning"\n',
    )
    child = _write(
        tmp_path / "child.toml",
        'name = "child"\nextends = "parent.toml"\n[rules]\nenable = ["overlapping-records"]\n'
        '[rules.severity]\nVR201 = "warning"\n[stars]\nthresholds = [1, 2, 3, 4, 5]\n',
    )
    profile = load_profile(child)
    assert profile.lineage == ("national", "parent", "child")
    enabled = profile.enabled_codes()
    assert "VR310" in enabled and "VR301" not in enabled and "VR610" not in enabled
    assert profile.severities() == {"VR221": "warning", "VR201": "warning"}
    assert profile.stars.thresholds[-1] == Decimal(5)


def test_severity_override_changes_the_exit_code(tmp_path: Path) -> None:
    ds = dataset()
    prj = dict(ds["prj"], service_categories=["0013"])  # VR410: insurance missing
    report, _ = run(tmp_path, [ds["org"], prj])
    assert report.exit_code == 1
    lenient = _write(
        tmp_path / "l.toml",
        'name = "l"\nextends = "national"\n[rules.severity]\nVR410 = "warning"\n',
    )
    report, issues = run(tmp_path, [ds["org"], prj], profile=lenient)
    assert report.exit_code == 0 and issues[0].severity == "warning"
    assert report.to_dict()["issues_by_code"][0]["severity"] == "warning"


def test_profile_objects_and_paths(tmp_path: Path) -> None:
    custom = Profile(name="inline", rules={"disable": ("VR*",)})  # type: ignore[arg-type]
    ds = dataset()
    bad = record("rec-x", at("2024-03-05", "11:00"), at("2024-03-05", "09:00"), "1.00")
    report, issues = run(tmp_path, [bad], profile=custom)
    assert rule_codes(issues) == [] and report.profile == "inline"
    path = _write(tmp_path / "mine.toml", 'name = "mine"\nextends = "national"\n')
    report, _ = run(tmp_path, [ds["org"]], profile=str(path))
    assert report.profile == "mine"


def test_registration_for_plugins(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    _write(folder / "plugin-a.toml", 'name = "plugin-a"\nextends = "beijing-2014"\n')
    assert register_profile_dir(folder) == ["plugin-a"]
    register_profile("plugin-b", _write(tmp_path / "b.toml", 'name = "plugin-b"\n'))
    try:
        assert load_profile("plugin-a").lineage == ("national", "beijing-2014", "plugin-a")
        assert load_profile("plugin-b").name == "plugin-b"
    finally:
        from volunteer_standard.profiles import PROFILES

        PROFILES.remove("plugin-a")
        PROFILES.remove("plugin-b")
    with pytest.raises(ProfileError, match="no such file"):
        register_profile("x", tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('name = "x"\n[stars\n', "not valid TOML (line 2"),
        ('name = "x"\n[stars]\nthreshold = [1, 2, 3, 4, 5]\n', "stars.threshold: unknown key"),
        (
            'name = "x"\n[stars]\nthresholds = [100, 300, 200, 1000, 1500]\n',
            "stars.thresholds: Value error, thresholds must be strictly ascending",
        ),
        ('name = "x"\n[stars]\nthresholds = [100, 300]\n', "stars.thresholds"),
        ('name = "x"\n[minors]\nadult_age = "18"\n', "minors.adult_age"),
        ('name = "x"\n[rules]\ndisable = ["VR999"]\n', "rules.disable: unknown rule 'VR999'"),
        ('name = "x"\n[rules]\ndisable = ["VR31"]\n', "did you mean"),
        ('name = "x"\n[rules.severity]\nVR301 = "fatal"\n', "rules.severity.VR301"),
        ('name = "x"\nextends = "nowhere"\n', "extends: unknown profile 'nowhere'"),
        ('name = "x"\n[required]\nvolunteer = ["nickname"]\n', "volunteer has no field 'nickname'"),
        ('name = "x"\n[required]\npeople = ["name"]\n', "unknown entity type 'people'"),
        ('name = "x"\n[identifiers]\nvolunteer_no_pattern = "("\n', "not a valid regular"),
        ('name = "Bad Name"\n', "name: String should match pattern"),
    ],
)
def test_bad_profile_files_give_precise_errors(tmp_path: Path, text: str, needle: str) -> None:
    path = _write(tmp_path / "bad.toml", text)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert needle in message, message
    if "unknown rule" not in needle and "did you mean" not in needle:
        assert str(path) in message


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.toml", 'name = "x"\n\n[stars]\nthresholds = = [1]\n')
    with pytest.raises(ProfileError, match=r"line 4"):
        load_profile(path)


def test_extends_cycles_and_unknown_profiles(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'name = "a"\nextends = "b.toml"\n')
    _write(tmp_path / "b.toml", 'name = "b"\nextends = "a.toml"\n')
    with pytest.raises(ProfileError, match="cycle"):
        load_profile(tmp_path / "a.toml")
    with pytest.raises(ProfileError, match="did you mean national"):
        load_profile("nationa")
