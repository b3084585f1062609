"""Real places and invented themes the sample draws from.

Only the region codes are real (in-use county codes), so that region checks pass; the
organisation themes, project titles and service descriptions are made up.
"""

from __future__ import annotations

from typing import NamedTuple


class District(NamedTuple):
    """A county-level division where organisations sit and volunteers live."""

    code: str
    city: str
    name: str
    lat: float
    lng: float
    postcode: str


# Real, in-use county-level codes (GB/T 2260); coordinates are rough district centres.
DISTRICTS: tuple[District, ...] = (
    District("110105", "北京市", "朝阳区", 39.9215, 116.4431, "100020"),
    District("110108", "北京市", "海淀区", 39.9593, 116.2981, "100080"),
    District("310104", "上海市", "徐汇区", 31.1886, 121.4365, "200030"),
    District("310115", "上海市", "浦东新区", 31.2215, 121.5444, "200120"),
    District("320102", "南京市", "玄武区", 32.0487, 118.7979, "210018"),
    District("320106", "南京市", "鼓楼区", 32.0662, 118.7699, "210009"),
    District("440106", "广州市", "天河区", 23.1247, 113.3612, "510620"),
    District("440305", "深圳市", "南山区", 22.5329, 113.9305, "518052"),
    District("510104", "成都市", "锦江区", 30.6558, 104.0808, "610021"),
    District("510107", "成都市", "武侯区", 30.6421, 104.0431, "610041"),
)


class OrgTheme(NamedTuple):
    """What an organisation is about, and the year-round project it runs."""

    name: str
    categories: tuple[str, ...]
    targets: tuple[str, ...]
    project_title: str
    project_categories: tuple[str, ...]


ORG_THEMES: tuple[OrgTheme, ...] = (
    OrgTheme("暖阳助老", ("0001", "0017"), ("03",), "社区助老陪伴服务", ("0017", "0001")),
    OrgTheme("守护应急", ("0013", "0012", "0009"), ("11",), "社区平安宣传服务", ("0009",)),
    OrgTheme("绿洲环保", ("0006",), ("11",), "河道环境巡护行动", ("0006",)),
    OrgTheme("星火助学", ("0003", "0007"), ("01",), "周末课业辅导", ("0003",)),
    OrgTheme("邻里互助", ("0001", "0010"), ("10",), "邻里文明劝导服务", ("0010", "0001")),
)
# (title, categories, targets)
PROJECT_TEMPLATES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("应急救援技能演练", ("0013",), ("11",)),
    ("社区消防安全巡查", ("0012", "0009"), ("10",)),
    ("文明交通引导", ("0011", "0010"), ("11",)),
    ("孤寡老人上门探访", ("0017", "0001"), ("03",)),
    ("城市马拉松赛事服务", ("0018", "0015"), ("11",)),
    ("科普进社区", ("0007",), ("10",)),
    ("防汛应急值守", ("0013", "0009"), ("11",)),
    ("图书馆阅读推广", ("0008", "0003"), ("01",)),
    ("禁毒知识宣传", ("0014",), ("11",)),
    ("残障人士助行服务", ("0017",), ("04",)),
)
#: What a service record of each category says was done.
CONTENT = {
    "0001": "协助社区开展便民服务",
    "0003": "为中小学生辅导作业",
    "0006": "清理河道垃圾并宣传垃圾分类",
    "0007": "讲解防诈骗和健康科普知识",
    "0008": "协助读者借阅并组织读书会",
    "0009": "参与治安巡逻和安全宣传",
    "0010": "劝导不文明行为，维护公共秩序",
    "0011": "在路口引导行人和非机动车",
    "0012": "检查楼道消防通道和灭火器",
    "0013": "参加应急救援演练和物资搬运",
    "0014": "发放禁毒宣传资料",
    "0015": "在补给站为参赛者服务",
    "0017": "陪伴老人聊天并协助购物",
    "0018": "负责赛事现场引导和秩序维护",
}
