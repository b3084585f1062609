"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error response of the hub is one JSON object with ``type``, ``title``, ``status``,
``detail`` and, as an extension, ``detail_zh``: the same message in Chinese.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from volunteer_standard.errors import VstdError
from volunteer_standard.text import Lang, Text

PROBLEM_TYPE = "https://volunteer-standard.org/problems/"
MEDIA_TYPE = "application/problem+json"

_TITLES: dict[int, Text] = {
    400: Text("请求有误", "Bad request"),
    401: Text("需要认证", "Unauthorized"),
    403: Text("无权访问", "Forbidden"),
    404: Text("未找到", "Not found"),
    405: Text("方法不允许", "Method not allowed"),
    409: Text("冲突", "Conflict"),
    413: Text("请求过大", "Content too large"),
    415: Text("不支持的媒体类型", "Unsupported media type"),
    422: Text("无法处理的请求", "Unprocessable content"),
    500: Text("服务器内部错误", "Internal server error"),
    503: Text("服务不可用", "Service unavailable"),
}


class HubProblem(VstdError):
    """Raised by an endpoint to answer with a problem document."""

    def __init__(
        self, status: int, slug: str, detail: Text, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.extra = extra or {}


def problem_response(
    status: int,
    slug: str,
    detail: Text,
    *,
    instance: str | None = None,
    lang: Lang = "en",
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title = _TITLES.get(status, Text("错误", "Error"))
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug,
        "title": title.get(lang),
        "status": status,
        "detail": detail.get(lang),
        "detail_zh": detail.zh,
        "detail_en": detail.en,
    }
    if instance is not None:
        body["instance"] = instance
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def request_lang(request: Request) -> Lang:
    """``zh`` when the client prefers Chinese (``?lang=zh`` or ``Accept-Language``)."""
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "")
    return "zh" if wanted.lower().startswith("zh") else "en"


#: The problem document's shape, for the OpenAPI description of error responses.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "detail_zh": {"type": "string"},
        "detail_en": {"type": "string"},
        "instance": {"type": "string"},
    },
}
