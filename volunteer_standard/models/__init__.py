"""The standard data model v1.0: pydantic models are the source of truth.

``ENTITY_MODELS`` maps each entity ``type`` to its model and ``COLLECTIONS`` names the
array that holds that type in a JSON package.
"""

from __future__ import annotations

from volunteer_standard.models.award import Award
from volunteer_standard.models.certificate import (
    Certificate,
    CertificateHolder,
    CertificateIssuer,
    CertificateLine,
    CertificateProof,
    Verification,
)
from volunteer_standard.models.common import (
    Address,
    Consent,
    ContactPoint,
    Entity,
    Evidence,
    GeoPoint,
    Identifier,
    Period,
    Provenance,
)
from volunteer_standard.models.demand import Demand
from volunteer_standard.models.evaluation import Evaluation, Scores
from volunteer_standard.models.organization import ApprovingUnit, Organization, Registration
from volunteer_standard.models.package import ExtensionDeclaration, PackageMetadata, Publisher
from volunteer_standard.models.project import Activity, Backfill, CheckinPoint, Project, Recruitment
from volunteer_standard.models.record import ServiceRecord
from volunteer_standard.models.station import OpeningHours, Station
from volunteer_standard.models.training import TrainingRecord
from volunteer_standard.models.volunteer import Guardian, IdDocument, Volunteer

#: Entity type → model, in dependency order (referenced types first).
ENTITY_MODELS: dict[str, type[Entity]] = {
    "organization": Organization,
    "volunteer": Volunteer,
    "project": Project,
    "activity": Activity,
    "service_record": ServiceRecord,
    "training_record": TrainingRecord,
    "award": Award,
    "evaluation": Evaluation,
    "certificate": Certificate,
    "station": Station,
    "demand": Demand,
}

#: Entity type → name of its array in a JSON package.
COLLECTIONS: dict[str, str] = {
    "organization": "organizations",
    "volunteer": "volunteers",
    "project": "projects",
    "activity": "activities",
    "service_record": "service_records",
    "training_record": "training_records",
    "award": "awards",
    "evaluation": "evaluations",
    "certificate": "certificates",
    "station": "stations",
    "demand": "demands",
}

#: Package array name → entity type.
COLLECTION_TYPES: dict[str, str] = {plural: kind for kind, plural in COLLECTIONS.items()}

__all__ = [
    "COLLECTIONS",
    "COLLECTION_TYPES",
    "ENTITY_MODELS",
    "Activity",
    "Address",
    "ApprovingUnit",
    "Award",
    "Backfill",
    "Certificate",
    "CertificateHolder",
    "CertificateIssuer",
    "CertificateLine",
    "CertificateProof",
    "CheckinPoint",
    "Consent",
    "ContactPoint",
    "Demand",
    "Entity",
    "Evaluation",
    "Evidence",
    "ExtensionDeclaration",
    "GeoPoint",
    "Guardian",
    "IdDocument",
    "Identifier",
    "OpeningHours",
    "Organization",
    "PackageMetadata",
    "Period",
    "Project",
    "Provenance",
    "Publisher",
    "Recruitment",
    "Registration",
    "Scores",
    "ServiceRecord",
    "Station",
    "TrainingRecord",
    "Verification",
    "Volunteer",
]
