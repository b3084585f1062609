"""Privacy modes for everything the toolkit writes: raw, masked, pseudonymized, anonymized.

PIPL art. 28 makes ID numbers, face and ID photos, location tracks, health data and all
personal information of minors under 14 *sensitive*; art. 51 asks for de-identification
and minimisation; art. 73 defines anonymisation (cannot be re-identified) and
de-identification (cannot be re-identified without extra information). The modes:

``raw``
    Values as they are. Needed for a lossless copy between systems that may hold the
    data; for any other export it must be asked for explicitly and prints a warning.
``masked``
    ID numbers keep the first 6 and last 4 characters (or the last 4 only), phones
    3 + ``****`` + 4, names their first character, e-mail the first character and the
    domain; other personal fields keep their first character; birth dates are dropped.
    Free text is scanned and ID and phone numbers found in it are masked too.
``pseudonymized``
    Direct identifiers become ``ps_`` + a keyed HMAC-SHA256 of their normalised value:
    the same person gets the same pseudonym in every run and system holding the key.
    The key comes from ``VSTD_PSEUDONYM_KEY`` or the OS keyring (service ``vstd``,
    name ``pseudonym-key``), never from the command line.
``anonymized``
    For statistics: direct identifiers dropped, birth date replaced by a ten-year age
    band (under ``extensions.vstd_privacy``), region codes generalised to the city
    (prefecture) level; :func:`suppress_small_cells` hides counts under *k* in tables.

The fields each mode touches come from the models' ``x-sensitivity`` marks, so a new
sensitive field is covered the day it is marked.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel

from volunteer_standard.errors import VstdError
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.text import Text

Mode = Literal["raw", "masked", "pseudonymized", "anonymized"]
MODES: tuple[Mode, ...] = get_args(Mode)
IdMask = Literal["6+4", "4"]

#: Environment variable holding the pseudonym key (at least 16 bytes).
KEY_ENV = "VSTD_PSEUDONYM_KEY"

# An ID number may sit inside another value ("V310105…" as a volunteer number): only
# digits around it end the match.
_ID_RE = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])"
)
_PHONE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
#: Either of the two, in one pass over a text (the digit look-arounds make a line break
#: between joined values as much a boundary as the start or end of a text).
_IDENTIFIER_RE = re.compile(f"{_ID_RE.pattern}|{_PHONE_RE.pattern}")
#: What every match of either contains: eleven characters of digits and separators from
#: digit to digit. Much cheaper to look for (no look-behind at every position), so most
#: texts are cleared without the full search.
_CANDIDATE_RE = re.compile(r"[0-9][0-9 +-]{9}[0-9]")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_REGION_FIELDS = {"region_code", "registration_region", "region", "service_regions"}


class PrivacyError(VstdError):
    """A privacy mode cannot run (no pseudonym key, unknown mode)."""


def mask_id(value: str, style: IdMask = "6+4") -> str:
    """``110101********1234`` (first 6 and last 4) or ``**************1234`` (last 4)."""
    text = value.strip()
    if len(text) <= 4:
        return "*" * len(text)
    if style == "4" or len(text) <= 10:
        return "*" * (len(text) - 4) + text[-4:]
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(value: str) -> str:
    """``138****5678`` for a mobile number; other numbers keep their last 4 digits."""
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) >= 11 and digits[-11] == "1":
        mobile = digits[-11:]
        return mobile[:3] + "****" + mobile[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_name(value: str) -> str:
    """The first character, then one ``*`` per remaining character (``张**``)."""
    text = value.strip()
    return text[:1] + "*" * max(len(text) - 1, 1) if text else text


def mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    return (local[:1] + "***" + at + domain) if at else mask_name(value)


def scrub_text(text: str, style: IdMask = "6+4") -> str:
    """``text`` with every ID number, mobile number and e-mail address in it masked."""
    if "@" not in text and _CANDIDATE_RE.search(text) is None:
        return text  # no e-mail address, no ID or mobile number: nothing to mask
    text = _ID_RE.sub(lambda m: mask_id(m.group(0), style), text)
    text = _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
    return _EMAIL_RE.sub(lambda m: mask_email(m.group(0)), text)


def contains_identifier(text: str) -> bool:
    """Whether ``text`` holds something that looks like an ID or mobile number."""
    if _CANDIDATE_RE.search(text) is None:
        return False
    return _IDENTIFIER_RE.search(text) is not None


def age_band(birth: date, today: date | None = None) -> str:
    """A ten-year band such as ``"30-39"`` (``"0-13"`` and ``"14-17"`` for minors)."""
    now = today or date.today()
    age = now.year - birth.year - ((now.month, now.day) < (birth.month, birth.day))
    if age < 14:
        return "0-13"
    if age < 18:
        return "14-17"
    low = age // 10 * 10
    return f"{max(low, 18)}-{low + 9}"


def generalise_region(code: str) -> str:
    """A GB/T 2260 county code generalised to its city: ``110105`` → ``110100``."""
    return code[:4] + "00" if len(code) == 6 and code.isdigit() else code


def suppress_small_cells(counts: Mapping[str, int], k: int = 5) -> dict[str, int | None]:
    """Counts below ``k`` (but above 0) replaced by ``None``, so no small group is exposed."""
    return {key: (None if 0 < n < k else n) for key, n in counts.items()}


def load_key(environ: Mapping[str, str] | None = None) -> bytes:
    """The pseudonym key from ``VSTD_PSEUDONYM_KEY`` or the OS keyring; never an argument."""
    env = os.environ if environ is None else environ
    value = env.get(KEY_ENV)
    if not value:
        try:
            import keyring  # type: ignore[import-not-found]  # optional: the OS keyring

            value = keyring.get_password("vstd", "pseudonym-key")
        except Exception:  # keyring missing or no backend: fall through to the error
            value = None
    if not value or len(value.encode("utf-8")) < 16:
        raise PrivacyError(
            Text(
                "假名化需要至少 16 字节的密钥：请设置环境变量 {env}，或存入系统钥匙串"
                "（服务 vstd，名称 pseudonym-key）；密钥不能写在命令行上",
                "pseudonymization needs a key of at least 16 bytes: set the environment "
                "variable {env} or store it in the OS keyring (service vstd, name "
                "pseudonym-key); keys are never taken from the command line",
            ).format(env=KEY_ENV)
        )
    return value.encode("utf-8")


def normalise_identifier(value: str) -> str:
    """NFKC, no white space or dashes, upper case: the same person, the same input."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-]", "", text).upper()


class Privacy:
    """Applies one privacy mode to standard objects and to plain records (rejects)."""

    def __init__(
        self,
        mode: Mode = "masked",
        *,
        key: bytes | None = None,
        id_mask: IdMask = "6+4",
        sensitive_columns: frozenset[str] = frozenset(),
        today: date | None = None,
    ) -> None:
        if mode not in MODES:
            raise PrivacyError(
                Text("未知的隐私模式 {mode}", "unknown privacy mode {mode!r}").format(mode=mode)
            )
        self.mode: Mode = mode
        self.id_mask: IdMask = id_mask
        self.sensitive_columns = sensitive_columns
        self.today = today
        self.key = key if key is not None or mode != "pseudonymized" else load_key()

    # -- values ----------------------------------------------------------------------------
    def pseudonym(self, value: str) -> str:
        """``ps_`` and 32 hex digits of HMAC-SHA256(key, normalised value)."""
        assert self.key is not None
        digest = hmac.new(self.key, normalise_identifier(value).encode("utf-8"), hashlib.sha256)
        return "ps_" + digest.hexdigest()[:32]

    def value(self, name: str, value: str) -> str | None:
        """A sensitive string value under this mode (``None``: dropped)."""
        if self.mode == "raw":
            return value
        if self.mode == "anonymized":
            return None
        if self.mode == "pseudonymized":
            return self.pseudonym(value)
        if _ID_RE.fullmatch(value.strip()) or name in ("number", "id_number"):
            return mask_id(value, self.id_mask)
        if name.endswith("phone") or _PHONE_RE.fullmatch(value.strip()):
            return mask_phone(value)
        if "@" in value:
            return mask_email(value)
        return mask_name(value)

    def text(self, value: str) -> str:
        """Free text: identifiers found inside are masked (or pseudonymized) unless raw."""
        if self.mode == "raw":
            return value
        if self.mode == "pseudonymized":
            if _CANDIDATE_RE.search(value) is None:
                return value
            value = _ID_RE.sub(lambda m: self.pseudonym(m.group(0)), value)
            return _PHONE_RE.sub(lambda m: self.pseudonym(m.group(0)), value)
        return scrub_text(value, self.id_mask)

    # -- standard objects -----------------------------------------------------------------
    def entity(self, obj: Any) -> Any:
        """A copy of ``obj`` (a standard model) with this mode applied (``raw``: itself)."""
        if self.mode == "raw":
            return obj
        if self.mode != "anonymized" and self._child(obj):
            # PIPL art. 28/31: a child's record is sensitive as a whole; no masked or
            # pseudonymized trace of its personal fields leaves, only the anonymized form.
            return Privacy("anonymized", key=self.key, today=self.today)._model(obj)
        return self._model(obj)

    def _child(self, obj: Any) -> bool:
        birth = getattr(obj, "birth_date", None)
        if getattr(obj, "type", None) != "volunteer" or not isinstance(birth, date):
            return False
        return age_band(birth, self.today) == "0-13"

    def _model(self, obj: BaseModel) -> BaseModel:
        changes: dict[str, Any] = {}
        for name, marked, visibility in _fields(type(obj)):
            current = getattr(obj, name)
            if current is None:
                continue
            if (
                marked
                and self.mode == "masked"
                and visibility is not None
                and getattr(obj, visibility, None) == "public"
            ):
                continue  # 是否公开: the value was chosen to be published
            new = self._field(name, current, marked, changes)
            if new is not current:
                changes[name] = new
        return obj.model_copy(update=changes) if changes else obj

    def _field(self, name: str, value: Any, marked: bool, changes: dict[str, Any]) -> Any:
        if isinstance(value, BaseModel):
            if marked and self.mode == "anonymized":
                return None
            return self._model(value)
        if isinstance(value, list):
            items = [self._field(name, v, marked, changes) for v in value]
            return [v for v in items if v is not None] if items != value else value
        if name == "extensions" and isinstance(value, dict):
            return self.data(value)
        if isinstance(value, date) and marked:
            if self.mode == "anonymized" and name == "birth_date":
                band = age_band(value, self.today)
                changes.setdefault("extensions", {})
                changes["extensions"] = {"vstd_privacy": {"age_band": band}}
            return None
        if isinstance(value, str):
            if marked:
                return self.value(name, value)
            if self.mode == "anonymized" and name in _REGION_FIELDS:
                return generalise_region(value)
            return self.text(value)
        return value

    # -- plain records ---------------------------------------------------------------------
    def data(self, data: Any) -> Any:
        """A JSON-like record (reject files, extensions, source rows) with this mode
        applied: fields the standard marks sensitive, columns a mapping marks sensitive,
        and identifiers found in any text."""
        if self.mode == "raw":
            return data
        kind = data.get("type") if isinstance(data, dict) else None
        model = ENTITY_MODELS.get(kind) if isinstance(kind, str) else None
        marked = _marked_names(model) if model is not None else frozenset()
        return self._plain(data, marked, 0)

    def _plain(self, value: Any, marked: frozenset[str], depth: int) -> Any:
        if depth > 64:
            return None
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                if isinstance(item, str) and (key in marked or key in self.sensitive_columns):
                    out[key] = self.value(str(key), item)
                else:
                    out[key] = self._plain(item, marked, depth + 1)
            return out
        if isinstance(value, list):
            return [self._plain(v, marked, depth + 1) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, bool, str | None], ...]:
    """Each field of ``model``: its name, whether it is marked personal or sensitive, and
    the name of its ``<name>_visibility`` companion when ``model`` can have one (a field,
    any class attribute, or extra fields allowed): decided once per model, not per record."""
    fields = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        marked = extra.get("x-sensitivity") in ("personal", "sensitive")
        companion = f"{name}_visibility"
        possible = (
            companion in model.model_fields
            or hasattr(model, companion)
            or model.model_config.get("extra") == "allow"
        )
        fields.append((name, marked, companion if possible else None))
    return tuple(fields)


def _marked_names(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields marked sensitive anywhere in ``model`` (nested too)."""
    from volunteer_standard.models.introspect import sensitive_fields

    return frozenset(path[-1] for path in sensitive_fields(model) if path)


__all__ = [
    "KEY_ENV",
    "MODES",
    "IdMask",
    "Mode",
    "Privacy",
    "PrivacyError",
    "age_band",
    "contains_identifier",
    "generalise_region",
    "load_key",
    "mask_email",
    "mask_id",
    "mask_name",
    "mask_phone",
    "normalise_identifier",
    "scrub_text",
    "suppress_small_cells",
]
