"""The valid sample: every entity in dependency order, streamed, and written as two files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from volunteer_standard._version import SCHEMA_VERSION
from volunteer_standard.codelists import CODELISTS_VERSION, regions
from volunteer_standard.io.writer import JsonlWriter, PackageWriter
from volunteer_standard.models import (
    Entity,
    ExtensionDeclaration,
    PackageMetadata,
    Publisher,
)
from volunteer_standard.samples.common import hours_of, rng_for
from volunteer_standard.samples.entities import (
    activity_entities,
    demand_entities,
    organization_entity,
    project_entity,
    station_entities,
)
from volunteer_standard.samples.plan import Plan, Totals, counts_as_credit, first_pass, plan_records
from volunteer_standard.samples.records import (
    Line,
    award_entities,
    certificate_entity,
    evaluation_entities,
    service_record_entity,
    training_entities,
)
from volunteer_standard.samples.spec import (
    EXTENSION_NAMESPACE,
    GENERATED_AT,
    PUBLISHER_NAME,
    SOURCE_SYSTEM,
    SampleSpec,
)
from volunteer_standard.samples.volunteers import volunteer_entity
from volunteer_standard.samples.world import World, build_world

#: Certificate lines being collected, per (volunteer, organisation) pair, per project.
_Collected = dict[tuple[int, int], dict[int, Line]]


def generate(spec: SampleSpec | None = None) -> Iterator[Entity]:
    """Yield the sample's entities in dependency order, lazily.

    Memory is bounded by the number of volunteers, organisations and projects (plus the
    spec's small counts of evaluations and certificates), not by ``service_records``.
    """
    spec = spec or SampleSpec()
    spec.check()
    world = build_world(spec)
    for org in world.orgs:
        yield organization_entity(world, org)
    totals = first_pass(world)
    for person in world.people:
        yield volunteer_entity(world, person, totals.credit[person.index])
    for proj in world.projects:
        yield project_entity(world, proj)
    for proj in world.projects:
        yield from activity_entities(world, proj)
    chosen = certificate_pairs(spec, totals)
    collected: _Collected = {pair: {} for pair in chosen}
    for plan in plan_records(world):
        yield service_record_entity(world, plan)
        _collect(world, totals, collected, plan)
    yield from training_entities(world)
    yield from award_entities(world, totals)
    yield from evaluation_entities(world, totals)
    for index, pair in enumerate(chosen):
        yield certificate_entity(world, index, pair, collected[pair])
    yield from station_entities(world)
    yield from demand_entities(world)


def certificate_pairs(spec: SampleSpec, totals: Totals) -> list[tuple[int, int]]:
    """The (volunteer, organisation) pairs that get a certificate, in order.

    The three busiest pairs always (for multi-line certificates), the rest drawn at random.
    """
    ranked = sorted(totals.pair_count, key=lambda pair: (-totals.pair_count[pair], pair))
    wanted = min(spec.certificates, len(ranked))
    top = ranked[: min(3, wanted)]
    rest = sorted(ranked[len(top) :])
    return sorted(top + rng_for(spec.seed, "certificates").sample(rest, wanted - len(top)))


def _collect(world: World, totals: Totals, collected: _Collected, plan: Plan) -> None:
    """Add a record to its pair's certificate line if it is certifiable and before the cut-off."""
    pair = (plan.volunteer, world.projects[plan.project].org)
    lines = collected.get(pair)
    if lines is None or not counts_as_credit(plan) or plan.day > totals.pair_cutoff[pair]:
        return
    line = lines.setdefault(plan.project, Line())
    line.ids.append(f"sr-{plan.seq + 1:07d}")
    line.hours += hours_of(plan.minutes)
    line.first = min(line.first, plan.day)
    line.last = max(line.last, plan.day)


def sample_metadata() -> PackageMetadata:
    """Fixed metadata, so that the package is byte-for-byte reproducible."""
    return PackageMetadata(
        schema_version=SCHEMA_VERSION,
        publisher=Publisher(name=PUBLISHER_NAME, system=SOURCE_SYSTEM),
        generated_at=GENERATED_AT,
        title="志愿服务示例数据（全部虚构） Synthetic volunteer-service sample",
        extensions=[
            ExtensionDeclaration(
                namespace=EXTENSION_NAMESPACE,
                title="Sample generator bookkeeping (synthetic flag, kind, ordinal)",
                version="1.0",
            )
        ],
        codelists_version=CODELISTS_VERSION,
        regions_vintage=regions.REGIONS_VINTAGE,
        license="CC0-1.0",
    )


def write_sample(out_dir: Path, spec: SampleSpec | None = None) -> dict[str, Path]:
    """Write ``sample.json`` (package) and ``sample.jsonl`` with the same records."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"sample.json": out_dir / "sample.json", "sample.jsonl": out_dir / "sample.jsonl"}
    with (
        PackageWriter(paths["sample.json"], sample_metadata()) as package,
        JsonlWriter(paths["sample.jsonl"]) as lines,
    ):
        for entity in generate(spec):
            data = entity.model_dump(mode="json", exclude_none=True)
            package.write(data)
            lines.write(data)
    return paths
