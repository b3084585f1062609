"""A corpus for the mojibake detector: garbled cells as real exports carry them, and clean
text that must not be flagged. Synthetic and reproducible (fixed seeds).

Run ``python tests/connectors/mojibake_corpus.py`` to print recall and false positives.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass

from volunteer_standard import codelists
from volunteer_standard.codelists import data_dir

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "慕容", "令狐")
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉鹏宇浩凯欣怡晨雪琳佳"
    "思涵梓轩子墨一诺雨泽浩然梦瑶语嫣俊熙博文欣妍若曦嘉懿天佑宇航志强国庆建华海燕丽娟春梅"
    "秋菊冬梅晓东晓燕婷婷丹丹慧敏淑珍桂芳秀英玉梅永刚振华德明世杰家豪明轩瑞霖皓轩宸睿昊"
    "彤馨悦涵欣怡诗琪雅静可馨奕辰煜祺铭泽逸凡"
)
PLACES = (
    "朝阳社区", "幸福里", "玄武区", "鼓楼街道", "滨江公园", "市图书馆", "第一中学", "青年路",
    "东湖小区", "长江路", "敬老院", "阳光家园", "少年宫", "人民广场", "火车站", "新华书店",
)  # fmt: skip
ACTIONS = (
    "助老探访", "文明交通劝导", "垃圾分类宣传", "科普讲座", "义务植树", "爱心义卖", "防诈骗宣传",
    "清洁家园", "关爱留守儿童", "无偿献血", "法律咨询", "心理疏导", "应急演练", "图书整理",
    "环境保护", "扶贫帮困", "志愿服务", "文艺汇演", "健康义诊", "消防安全培训",
)  # fmt: skip
SUFFIXES = ("活动", "行动", "志愿服务", "主题活动", "（第一期）", "（第3次）", "", "专场")
SENTENCES = (
    "组织志愿者走访辖区内的独居老人，了解生活需求并帮助打扫卫生。",
    "在路口协助交警维持秩序，劝导行人和非机动车遵守交通规则。",
    "向居民发放宣传资料，讲解垃圾分类知识，现场答疑解惑。",
    "为社区儿童开展课后辅导和科学小实验，共服务二十余人。",
    "清理河道两岸的白色垃圾，共收集垃圾约三十公斤。",
    "陪伴敬老院老人聊天、读报，表演文艺节目。",
)


@dataclass(frozen=True)
class Corpus:
    garbled: list[tuple[str, str]]  # (garbled cell, original)
    clean: list[str]


def synthetic_names(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        surname = rng.choice(COMPOUND) if rng.random() < 0.05 else rng.choice(SURNAMES)
        out.append(surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))))
    return out


def synthetic_titles(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        year = rng.choice(("", "2024年", "2023年度"))
        out.append(year + rng.choice(PLACES) + rng.choice(ACTIONS) + rng.choice(SUFFIXES))
    return out


def synthetic_descriptions(rng: random.Random, n: int) -> list[str]:
    return [
        rng.choice(PLACES) + "：" + "".join(rng.sample(SENTENCES, rng.choice((1, 2))))
        for _ in range(n)
    ]


def region_names() -> list[str]:
    with (data_dir() / "regions.csv").open(encoding="utf-8") as fh:
        return sorted({row["name"] for row in csv.DictReader(fh)})


def code_labels() -> list[str]:
    return sorted({c.label_zh for cl in codelists.all_codelists() for c in cl.codes})


def garble(text: str) -> str:
    """UTF-8 bytes decoded as GBK, as a program without the right encoding does."""
    return text.encode("utf-8").decode("gbk", errors="replace")


def build(seed: int = 2024) -> Corpus:
    rng = random.Random(seed)
    originals = (
        synthetic_names(rng, 3000) + synthetic_titles(rng, 2000) + synthetic_descriptions(rng, 500)
    )
    garbled: list[tuple[str, str]] = []
    for text in originals:
        cell = garble(text)
        if cell.endswith("\ufffd") and rng.random() < 0.5:
            cell = cell[:-1] + "?"  # Windows programs write '?' for the byte they lost
        if len(cell) >= 3:
            garbled.append((cell, text))
    clean_rng = random.Random(seed + 1)
    clean = (
        region_names()
        + code_labels()
        + synthetic_names(clean_rng, 5000)
        + synthetic_titles(clean_rng, 3000)
        + synthetic_descriptions(clean_rng, 500)
    )
    return Corpus(garbled, clean)


def measure(corpus: Corpus, flag: Callable[[str], object]) -> tuple[float, float]:
    """(recall on garbled cells, false-positive rate on clean text)."""
    found = sum(1 for cell, _original in corpus.garbled if flag(cell))
    wrong = sum(1 for text in corpus.clean if flag(text))
    return found / len(corpus.garbled), wrong / len(corpus.clean)


if __name__ == "__main__":
    from volunteer_standard.connectors.tabular.encoding import mojibake_hint

    corpus = build()
    recall, false_positives = measure(corpus, mojibake_hint)
    print(
        f"garbled cells: {len(corpus.garbled)}, clean texts: {len(corpus.clean)}; "
        f"recall {recall:.2%}, false positives {false_positives:.3%}"
    )
