"""Checks and display masks for contact details: mainland mobile numbers, e-mail, names.

Mobile numbers are commonly written with a country prefix and separators, so the check
normalises those before validating; anything else (letters, newlines, landlines) is an error.
"""

from __future__ import annotations

import re

from volunteer_standard.identifiers._common import FULLWIDTH_TO_ASCII, IdProblem, error

_MOBILE_RE = re.compile("1[3-9][0-9]{9}")
_COUNTRY_PREFIXES = ("+86", "0086", "86")

# Pragmatic RFC 5322 subset: a dot-atom local part (no quoted strings, no comments) and a DNS
# host name with at least two labels and an alphabetic or punycode top-level label. No IP
# literals and no non-ASCII: such addresses are legal but rare and often rejected downstream.
_ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-"
_LOCAL_RE = re.compile(f"[{_ATEXT}]+(?:[.][{_ATEXT}]+)*")
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN_RE = re.compile(f"(?:{_LABEL}[.])+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})")


def normalize_mobile(value: str) -> str:
    """Strip spaces, hyphens and a +86 / 0086 / 86 country prefix; full-width digits to ASCII.

    It does not validate; `check_mobile` does. Newlines and other characters are kept so that
    the check rejects them.
    """
    number = value.translate(FULLWIDTH_TO_ASCII).replace("\uff0b", "+")
    number = number.replace(" ", "").replace("\u3000", "").replace("-", "")
    for prefix in _COUNTRY_PREFIXES:
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            return number[len(prefix) :]
    return number


def check_mobile(value: str) -> tuple[IdProblem, ...]:
    """Problems with a mainland mobile number (11 digits, 1[3-9]…); empty when it is valid."""
    if not isinstance(value, str):
        return (error("phone.format", "expected a string"),)
    if _MOBILE_RE.fullmatch(normalize_mobile(value)) is None:
        return (error("phone.format", "expected an 11-digit mainland mobile number 1[3-9]…"),)
    return ()


def mask_mobile(value: str) -> str:
    """Mask a mobile number for display as 3 + **** + 4 (``138****1234``).

    Values that are not an 11-digit mobile keep at most their last four characters.
    """
    number = normalize_mobile(value)
    if _MOBILE_RE.fullmatch(number):
        return number[:3] + "****" + number[7:]
    if len(number) <= 7:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def check_email(value: str) -> tuple[IdProblem, ...]:
    """Problems with an e-mail address (pragmatic RFC 5322 subset); empty when it is valid."""
    if not isinstance(value, str):
        return (error("email.format", "expected a string"),)
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return (error("email.format", "expected local-part@domain"),)
    if len(value) > 254 or len(local) > 64 or len(domain) > 253:
        return (error("email.format", "address is too long (RFC 5321 limits)"),)
    if _LOCAL_RE.fullmatch(local) is None:
        return (error("email.format", "local part has characters or dots that are not allowed"),)
    if _DOMAIN_RE.fullmatch(domain) is None:
        return (error("email.format", "domain is not a valid host name"),)
    return ()


def mask_name(value: str) -> str:
    """Mask a personal name: keep the first character, and the last one for 3+ characters.

    ``张三`` → ``张*``, ``张小三`` → ``张*三``, ``欧阳小明`` → ``欧**明``.
    """
    name = value.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
