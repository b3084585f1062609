"""Identity resolution by a keyed pseudonym of the ID number.

The same person registered in two systems has two volunteer ids but one ID number. The hub
links them through ``HMAC-SHA256(hub secret, normalised document type and number)``: equal
numbers give equal pseudonyms, and without the secret nobody can test a guessed ID number
against the linking table, which never stores the number itself.
A volunteer without an ID document is a person of their own, keyed by system and id.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any


def person_key(secret: bytes, source_system: str, volunteer: dict[str, Any]) -> str:
    """The hub's person id for a volunteer record (``P`` + 32 hex digits of the HMAC)."""
    doc = volunteer.get("id_document")
    number = doc.get("number") if isinstance(doc, dict) else None
    if isinstance(number, str) and number.strip():
        kind = str(doc.get("type") or "01") if isinstance(doc, dict) else "01"
        message = f"id\0{kind}\0{number.strip().upper()}"
    else:
        message = f"local\0{source_system}\0{volunteer.get('id', '')}"
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return "P" + digest[:32]
