"""The one place for label tables: words the reports and commands show, as ``Text(zh, en)``.

Entity types, issue categories and severities are named here once; the text, HTML and
Markdown renderers and the commands all read these tables, so a category added by a rule
shows in both languages everywhere or is caught by the catalogue test.
"""

from __future__ import annotations

from volunteer_standard.text import Lang, Text

ENTITY_TYPES: dict[str, Text] = {
    "volunteer": Text("志愿者", "volunteer"),
    "organization": Text("志愿服务组织", "organization"),
    "project": Text("志愿服务项目", "project"),
    "activity": Text("志愿服务活动", "activity"),
    "service_record": Text("志愿服务记录", "service record"),
    "training_record": Text("培训记录", "training record"),
    "award": Text("表彰奖励", "award"),
    "evaluation": Text("评价", "evaluation"),
    "certificate": Text("志愿服务证明", "certificate"),
    "demand": Text("服务需求", "demand"),
    "station": Text("志愿服务站点", "station"),
}

CATEGORIES: dict[str, Text] = {
    "structure": Text("结构", "Structure"),
    "codes": Text("代码表", "Code lists"),
    "package": Text("数据包", "Package"),
    "extensions": Text("扩展", "Extensions"),
    "identifiers": Text("标识符与区划代码", "Identifiers and region codes"),
    "hours": Text("服务时长与记录", "Service hours and records"),
    "minors": Text("未成年人", "Minors"),
    "insurance": Text("保险", "Insurance"),
    "certificates": Text("志愿服务证明", "Certificates"),
    "stars": Text("星级", "Star levels"),
    "integrity": Text("完整性与重复", "Integrity and duplicates"),
    "privacy": Text("个人信息保护", "Personal information"),
}

SEVERITIES: dict[str, Text] = {
    "error": Text("错误", "error"),
    "warning": Text("警告", "warning"),
    "info": Text("提示", "info"),
    "off": Text("关闭", "off"),
}


def entity_type(kind: str, lang: Lang) -> str:
    """An entity type in words; an unknown type shows as it is."""
    found = ENTITY_TYPES.get(kind)
    return found.get(lang) if found is not None else kind


def category(name: str, lang: Lang) -> str:
    """An issue category in words; a plugin's own category shows as it is."""
    found = CATEGORIES.get(name)
    return found.get(lang) if found is not None else name


def severity(name: str, lang: Lang) -> str:
    found = SEVERITIES.get(name)
    return found.get(lang) if found is not None else name


__all__ = ["CATEGORIES", "ENTITY_TYPES", "SEVERITIES", "category", "entity_type", "severity"]
