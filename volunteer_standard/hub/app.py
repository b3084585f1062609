"""The exchange API as a FastAPI application (``create_app``).

(No ``from __future__ import annotations`` here: FastAPI reads the route signatures.)

The routes are thin: they authenticate, check scopes, and call the store, the aggregation
and the ledger. Errors leave as RFC 9457 problem documents.
"""

import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, insert, text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from volunteer_standard._version import __version__
from volunteer_standard.hub import db
from volunteer_standard.hub.aggregate.ledger import Ledger, LedgerError
from volunteer_standard.hub.aggregate.people import People
from volunteer_standard.hub.limits import BodySizeLimit
from volunteer_standard.hub.logs import log_event
from volunteer_standard.hub.masking import mask_record
from volunteer_standard.hub.problems import (
    MEDIA_TYPE,
    PROBLEM_SCHEMA,
    HubProblem,
    problem_response,
    request_lang,
)
from volunteer_standard.hub.schemas import (
    BatchIn,
    BatchOut,
    EntityKind,
    FeedPage,
    Health,
    LedgerOut,
    PersonOut,
    RedeemIn,
    TransferIn,
)
from volunteer_standard.hub.settings import HubSettings
from volunteer_standard.hub.store import Store, SubmitItem, now_us, write_connection
from volunteer_standard.hub.tokens import Principal, authenticate
from volunteer_standard.models import ENTITY_MODELS
from volunteer_standard.profiles import load_profile
from volunteer_standard.text import Lang, Text

logger = logging.getLogger("vstd.hub")

_bearer = HTTPBearer(auto_error=False, description="An API token: 'Authorization: Bearer vstd_…'")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same token.")


def _problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {
            "description": "A problem (RFC 9457).",
            "content": {MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for code in codes
    }


def person_path_param() -> Any:
    """The path parameter of a person id (``P`` and 32 hex digits)."""
    return Path(pattern=r"^P[0-9a-f]{32}$", description="A person id from /v1/people.")


class Hub:
    """The running hub: settings, database engine, store, and the shutdown flag."""

    def __init__(self, settings: HubSettings, engine: Engine | None = None) -> None:
        self.settings = settings.resolved()
        self.engine = engine or db.make_engine(self.settings.db_url)
        self.profile = load_profile(self.settings.profile)
        self.store = Store(self.engine, self.profile, self.settings.secret)
        #: Set when the server must stop: batches not yet committed roll back.
        self.abort = threading.Event()

    def migrate(self) -> None:
        db.migrate(self.engine)

    def audit(self, principal: Principal, action: str, kind: str | None, ids: list[str]) -> None:
        """Record a read of sensitive fields: who, when, which records (never the values)."""
        with write_connection(self.engine) as conn, conn.begin():
            conn.execute(
                insert(db.audit).values(
                    at=now_us(),
                    token_name=principal.name,
                    action=action,
                    entity_type=kind,
                    item_ids=ids,
                )
            )
        log_event("sensitive_read", token=principal.name, action=action, kind=kind, count=len(ids))


def create_app(settings: HubSettings | None = None, *, hub: Hub | None = None) -> FastAPI:
    """The hub's ASGI application; migrates the database on start."""
    hub = hub or Hub(settings or HubSettings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.migrate()
        log_event("hub_started", version=__version__, database=hub.engine.dialect.name)
        yield
        hub.abort.set()
        log_event("hub_stopping")

    app = FastAPI(
        title="volunteer-standard exchange API",
        version="1.0.0",
        summary="Publish and consume volunteer-service data in the volunteer standard.",
        description=(
            "Incremental feeds per entity type (RPDE: ordered by modified and id, with "
            "tombstones), batch submit with a per-record result, idempotency keys, scoped "
            "tokens and RFC 9457 problem details. 志愿服务数据交换接口。"
        ),
        lifespan=lifespan,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
    )
    app.state.hub = hub
    app.add_middleware(BodySizeLimit, max_bytes=hub.settings.max_body_bytes)

    @app.middleware("http")
    async def _log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        log_event(
            "request",
            method=request.method,
            route=getattr(route, "path", "(unmatched)"),
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
            token=getattr(request.state, "token_name", None),
        )
        return response

    @app.exception_handler(HubProblem)
    async def _hub_problem(request: Request, exc: HubProblem) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            exc.status,
            exc.slug,
            exc.detail,
            instance=request.url.path,
            lang=request_lang(request),
            extra=exc.extra,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()[:20]
        ]
        return problem_response(
            422,
            "invalid-request",
            Text("请求格式不符合接口说明", "the request does not match the API description"),
            instance=request.url.path,
            lang=request_lang(request),
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return problem_response(
            exc.status_code,
            "http-" + str(exc.status_code),
            Text(str(exc.detail), str(exc.detail)),
            instance=request.url.path,
            lang=request_lang(request),
        )

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        logger.error("internal error: %s", type(exc).__name__)
        return problem_response(
            500,
            "internal",
            Text("服务器内部错误，已记录", "internal error; it has been logged"),
            instance=request.url.path,
            lang=request_lang(request),
        )

    def principal(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        api_key: Annotated[str | None, Depends(_api_key)],
    ) -> Principal:
        token = bearer.credentials if bearer is not None else api_key
        found = authenticate(hub.engine, token) if token else None
        if found is None:
            raise HubProblem(
                401,
                "unauthorized",
                Text(
                    "需要有效的令牌（Authorization: Bearer 或 X-API-Key）",
                    "a valid token is required (Authorization: Bearer or X-API-Key)",
                ),
            )
        request.state.token_name = found.name
        return found

    Caller = Annotated[Principal, Depends(principal)]

    def need(ok: bool, what: Text) -> None:
        if not ok:
            raise HubProblem(403, "forbidden", what)

    def need_admin(caller: Principal) -> None:
        need(caller.scopes.admin, Text("令牌没有 admin 权限", "the token has no admin scope"))

    # -- operations -------------------------------------------------------------------------

    @app.get("/healthz", response_model=Health, tags=["operations"])
    def healthz() -> Health:
        """Liveness: the process answers."""
        return Health(status="ok")

    @app.get(
        "/readyz", response_model=Health, tags=["operations"], responses=_problem_responses(503)
    )
    def readyz() -> Health:
        """Readiness: the database answers and its schema is current."""
        try:
            with hub.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            revision = db.current_revision(hub.engine)
        except Exception:
            raise HubProblem(
                503, "not-ready", Text("数据库不可用", "the database is unavailable")
            ) from None
        if revision != db.head_revision(hub.engine) or hub.abort.is_set():
            raise HubProblem(503, "not-ready", Text("服务尚未就绪", "the hub is not ready"))
        return Health(status="ready", schema_revision=revision)

    # -- exchange ---------------------------------------------------------------------------

    @app.get(
        "/v1/feeds/{kind}",
        response_model=FeedPage,
        response_model_exclude_none=True,
        tags=["exchange"],
        responses=_problem_responses(401, 403, 422),
    )
    def feed(
        request: Request,
        kind: EntityKind,
        caller: Caller,
        after_timestamp: Annotated[int | None, Query(alias="afterTimestamp", ge=0)] = None,
        after_id: Annotated[str | None, Query(alias="afterId", max_length=400)] = None,
        limit: Annotated[int | None, Query(ge=1, le=500)] = None,
        region: Annotated[str | None, Query(pattern=r"^[0-9]{2}([0-9]{2}){0,2}$")] = None,
    ) -> dict[str, Any]:
        """Changes to records of one entity type after the bookmark, oldest first (RPDE).

        Start without a bookmark; follow ``next`` until ``items`` is empty, keep the last
        ``next`` and poll it later. Deleted records appear once as ``state: deleted``.
        ``afterId`` only counts together with ``afterTimestamp``.
        """
        scopes = caller.scopes
        need(scopes.read, Text("令牌没有 read 权限", "the token has no read scope"))
        need(
            scopes.allows_type(kind.value),
            Text("令牌无权读取 {kind}", "the token may not read {kind}").format(kind=kind.value),
        )
        if after_timestamp is None:
            after_id = None  # a position is (modified, id): an id alone starts at the top
        regions: tuple[str, ...] = scopes.regions
        if region is not None:
            need(
                scopes.covers_region(region),
                Text("令牌无权读取地区 {region}", "the token may not read region {region}").format(
                    region=region
                ),
            )
            regions = (region,)
        size = min(limit or hub.settings.default_page, hub.settings.max_page)
        items = hub.store.feed(
            kind.value,
            after_timestamp=after_timestamp,
            after_id=after_id,
            limit=size,
            regions=regions,
        )
        sensitive_ids: list[str] = []
        for item in items:
            data = item.get("data")
            if data is None:
                continue
            if scopes.sensitive:
                sensitive_ids.append(item["id"])
            else:
                item["data"] = mask_record(kind.value, data)
        if sensitive_ids:
            hub.audit(caller, "feed", kind.value, sensitive_ids)
        params: dict[str, Any] = {}
        if items:
            params = {"afterTimestamp": items[-1]["modified"], "afterId": items[-1]["id"]}
        elif after_timestamp is not None:
            params = {"afterTimestamp": after_timestamp}
            if after_id is not None:
                params["afterId"] = after_id
        if limit is not None:
            params["limit"] = limit
        if region is not None:
            params["region"] = region
        base = str(request.url_for("feed", kind=kind.value))
        nxt = base + ("?" + urlencode(params) if params else "")
        return {"items": items, "next": nxt}

    @app.post(
        "/v1/batches",
        response_model=BatchOut,
        tags=["exchange"],
        responses=_problem_responses(401, 403, 413, 422, 503),
    )
    def submit(batch: BatchIn, caller: Caller) -> BatchOut:
        """Submit records and deletions; each item is accepted or rejected with reasons.

        The batch is stored in one transaction. Items with a ``key`` already seen from this
        source system return their first result (``replayed``).
        """
        scopes = caller.scopes
        need(scopes.write, Text("令牌没有 write 权限", "the token has no write scope"))
        if len(batch.items) > hub.settings.max_batch_items:
            raise HubProblem(
                413,
                "batch-too-large",
                Text("一批最多 {n} 条", "at most {n} items per batch").format(
                    n=hub.settings.max_batch_items
                ),
            )
        items: list[SubmitItem] = []
        denied: set[str] = set()
        for item in batch.items:
            kind = item.type.value if item.type is not None else None
            if item.action == "upsert" and isinstance(item.record, dict):
                found = item.record.get("type")
                kind = found if isinstance(found, str) else None
            if kind in ENTITY_MODELS and not scopes.allows_type(kind):
                denied.add(kind)
            items.append(
                SubmitItem(
                    key=item.key,
                    action=item.action,
                    record=item.record,
                    type=item.type.value if item.type is not None else None,
                    id=item.id,
                )
            )
        need(
            not denied,
            Text("令牌无权写入 {kinds}", "the token may not write {kinds}").format(
                kinds=", ".join(sorted(denied))
            ),
        )

        def before_commit() -> None:
            if hub.abort.is_set():
                raise HubProblem(
                    503,
                    "shutting-down",
                    Text("服务正在停止，本批未保存", "the hub is stopping; nothing was stored"),
                )

        results = hub.store.submit(caller, items, before_commit=before_commit)
        accepted = sum(r.status == "accepted" for r in results)
        log_event(
            "batch",
            token=caller.name,
            items=len(results),
            accepted=accepted,
            rejected=len(results) - accepted,
        )
        return BatchOut.model_validate(
            {
                "accepted": accepted,
                "rejected": len(results) - accepted,
                "results": [r.to_json() for r in results],
            }
        )

    # -- aggregation ------------------------------------------------------------------------

    def need_all_regions_admin(caller: Principal) -> None:
        """Aggregates span systems and regions: only an admin of every region sees them."""
        need_admin(caller)
        need(
            "*" in caller.scopes.regions,
            Text(
                "跨地区归集数据需要不限地区的 admin 令牌",
                "aggregates across regions need an admin token for all regions",
            ),
        )

    people = People(hub.engine, hub.profile)
    ledger = Ledger(hub.engine, hub.profile, people)

    def ledger_problem(exc: LedgerError) -> HubProblem:
        return HubProblem(exc.status, exc.slug, exc.text)

    @app.get(
        "/v1/people",
        tags=["aggregation"],
        response_model=list[str],
        responses=_problem_responses(401, 403, 422),
    )
    def list_people(
        caller: Caller,
        after: Annotated[str | None, Query(max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[str]:
        """Person ids (pseudonyms) known to the hub, in order, after ``after``."""
        need_all_regions_admin(caller)
        return people.ids(after=after, limit=limit)

    @app.get(
        "/v1/people/{person}",
        tags=["aggregation"],
        response_model=PersonOut,
        responses=_problem_responses(401, 403, 404, 422),
    )
    def person(
        person: Annotated[str, person_path_param()],
        caller: Caller,
    ) -> dict[str, Any]:
        """One person across systems: merged volunteer with per-field provenance, effective
        hours without double counting (duplicates listed), star level and points balance."""
        need_all_regions_admin(caller)
        found = people.get(person)
        if found is None:
            raise HubProblem(404, "not-found", Text("没有这个人", "no such person"))
        found["points_balance"] = ledger.balance_text(person)
        if caller.scopes.sensitive:
            hub.audit(caller, "person", "volunteer", [link["item_id"] for link in found["links"]])
        else:
            found["volunteer"] = mask_record("volunteer", found["volunteer"])
        return found

    @app.get(
        "/v1/ledger/{person}",
        tags=["ledger"],
        response_model=LedgerOut,
        responses=_problem_responses(401, 403, 422),
    )
    def ledger_get(person: Annotated[str, person_path_param()], caller: Caller) -> dict[str, Any]:
        """Balance and entries of a person's service-points account."""
        need_all_regions_admin(caller)
        return ledger.statement(person)

    @app.post(
        "/v1/ledger/{person}/deposits",
        tags=["ledger"],
        response_model=LedgerOut,
        responses=_problem_responses(401, 403, 404, 409, 422),
    )
    def ledger_deposit(
        person: Annotated[str, person_path_param()], caller: Caller
    ) -> dict[str, Any]:
        """Deposit points for effective hours not yet deposited (at the profile's rate)."""
        need_all_regions_admin(caller)
        try:
            ledger.deposit(person)
        except LedgerError as exc:
            raise ledger_problem(exc) from None
        return ledger.statement(person)

    @app.post(
        "/v1/ledger/{person}/redemptions",
        tags=["ledger"],
        response_model=LedgerOut,
        responses=_problem_responses(401, 403, 404, 409, 422),
    )
    def ledger_redeem(
        person: Annotated[str, person_path_param()], body: RedeemIn, caller: Caller
    ) -> dict[str, Any]:
        """Spend points; refused (409) when the balance would go below zero."""
        need_all_regions_admin(caller)
        try:
            ledger.redeem(person, body.points, memo=body.memo, key=body.key)
        except LedgerError as exc:
            raise ledger_problem(exc) from None
        return ledger.statement(person)

    @app.post(
        "/v1/ledger/{person}/transfers",
        tags=["ledger"],
        response_model=LedgerOut,
        responses=_problem_responses(401, 403, 404, 409, 422),
    )
    def ledger_transfer(
        person: Annotated[str, person_path_param()], body: TransferIn, caller: Caller
    ) -> dict[str, Any]:
        """Move points to another person's account; refused (409) below zero."""
        need_all_regions_admin(caller)
        try:
            ledger.transfer(person, body.to, body.points, memo=body.memo, key=body.key)
        except LedgerError as exc:
            raise ledger_problem(exc) from None
        return ledger.statement(person)

    # -- dashboard --------------------------------------------------------------------------

    @app.get("/dashboard", response_class=HTMLResponse, tags=["dashboard"], include_in_schema=False)
    def dashboard(request: Request, lang: str | None = None) -> HTMLResponse:
        from volunteer_standard.hub.dashboard import render_dashboard

        if not hub.settings.dashboard_public:
            token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            token = token or request.headers.get("x-api-key", "")
            found = authenticate(hub.engine, token) if token else None
            if found is None or not found.scopes.admin:
                raise HubProblem(
                    401 if found is None else 403,
                    "unauthorized",
                    Text("仪表板需要 admin 令牌", "the dashboard needs an admin token"),
                )
        chosen: Lang = "zh" if (lang or request_lang(request)) == "zh" else "en"
        return HTMLResponse(render_dashboard(hub.engine, chosen))

    return app
