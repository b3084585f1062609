"""The issue catalogue, re-exported for the validation package (it lives in
:mod:`volunteer_standard.catalogue`, below the profiles that name its codes)."""

from volunteer_standard.catalogue import (
    CATALOGUE,
    STRUCTURE,
    Catalogue,
    IssueType,
    Severity,
    lookup,
    register,
)

__all__ = ["CATALOGUE", "STRUCTURE", "Catalogue", "IssueType", "Severity", "lookup", "register"]
