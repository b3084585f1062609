"""The time-bank / service-points ledger (时间储蓄 / 服务积分).

An account per person holds entries in hundredths of a point:

* ``deposit``: points for counted effective hours not deposited before, at the profile's
  ``points.rate``; its ``sources`` are the service records' feed item ids;
* ``redeem`` and ``transfer_out``: spend points; refused when the balance would go below
  zero; their ``sources`` are the credit entries they draw on (first in, first out), so
  any spending traces back through deposits to service records;
* ``transfer_in``: the receiving side of a transfer; its source is the ``transfer_out``.

Every change runs under the hub's write lock, so two redemptions cannot both spend the
same points. An optional idempotency ``key`` makes a retried request a no-op.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from volunteer_standard.errors import VstdError
from volunteer_standard.hub import db
from volunteer_standard.hub.aggregate.people import People
from volunteer_standard.hub.store import lock_writes, now_us, write_connection
from volunteer_standard.profiles import Profile
from volunteer_standard.text import Text

_CREDITS = ("deposit", "transfer_in")


class LedgerError(VstdError):
    """A ledger operation that cannot be done (unknown person, not enough points)."""

    def __init__(self, status: int, slug: str, text: Text) -> None:
        super().__init__(text)
        self.status = status
        self.slug = slug


def cents_of(points: str | Decimal) -> int:
    value = Decimal(points).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value * 100)


def points_text(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class Ledger:
    """Service-points accounts of the hub's people."""

    def __init__(self, engine: Engine, profile: Profile, people: People) -> None:
        self.engine = engine
        self.profile = profile
        self.people = people

    def _entries(self, conn: Connection, person: str) -> list[Any]:
        return list(
            conn.execute(
                select(db.ledger).where(db.ledger.c.person == person).order_by(db.ledger.c.entry_id)
            )
        )

    def balance(self, person: str) -> int:
        with self.engine.connect() as conn:
            return sum(int(e.cents) for e in self._entries(conn, person))

    def balance_text(self, person: str) -> str:
        return points_text(self.balance(person))

    def statement(self, person: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            entries = self._entries(conn, person)
        return {
            "person": person,
            "balance": points_text(sum(int(e.cents) for e in entries)),
            "entries": [
                {
                    "entry_id": e.entry_id,
                    "kind": e.kind,
                    "points": points_text(int(e.cents)),
                    "at": e.at,
                    "counterparty": e.counterparty,
                    "memo": e.memo,
                    "sources": list(e.sources),
                }
                for e in entries
            ],
        }

    def _known(self, person: str) -> None:
        if not self.people.links(person):
            raise LedgerError(404, "not-found", Text("没有这个人", "no such person"))

    def deposit(self, person: str) -> int | None:
        """Deposit points for not yet deposited counted hours; the new entry's id, if any."""
        self._known(person)
        counted = [s for s in self.people.services(person) if s.counted]
        with write_connection(self.engine) as conn, conn.begin():
            lock_writes(conn)
            done: set[str] = set()
            for entry in self._entries(conn, person):
                if entry.kind == "deposit":
                    done.update(entry.sources)
            fresh = [s for s in counted if s.item_id not in done]
            if not fresh:
                return None
            hours = sum((s.hours for s in fresh), Decimal(0))
            cents = cents_of(hours * self.profile.points.rate)
            result = conn.execute(
                insert(db.ledger).values(
                    person=person,
                    kind="deposit",
                    cents=cents,
                    at=now_us(),
                    memo=f"{hours:.2f} h x {self.profile.points.rate}",
                    sources=[s.item_id for s in fresh],
                )
            )
            return _new_id(result)

    def _spend(
        self,
        conn: Connection,
        person: str,
        cents: int,
        kind: str,
        *,
        memo: str | None,
        key: str | None,
        counterparty: str | None = None,
    ) -> int:
        if cents <= 0:
            raise LedgerError(
                422, "bad-amount", Text("积分数必须大于零", "the number of points must be positive")
            )
        entries = self._entries(conn, person)
        balance = sum(int(e.cents) for e in entries)
        if balance < cents:
            raise LedgerError(
                409,
                "insufficient-points",
                Text(
                    "积分不足：余额 {balance}，需要 {amount}",
                    "not enough points: balance {balance}, needed {amount}",
                ).format(balance=points_text(balance), amount=points_text(cents)),
            )
        spent = -sum(int(e.cents) for e in entries if e.kind not in _CREDITS)
        sources: list[str] = []
        running = 0
        for entry in entries:
            if entry.kind not in _CREDITS:
                continue
            lo, running = running, running + int(entry.cents)
            if running > spent and lo < spent + cents:
                sources.append(f"ledger:{entry.entry_id}")
        result = conn.execute(
            insert(db.ledger).values(
                person=person,
                kind=kind,
                cents=-cents,
                at=now_us(),
                counterparty=counterparty,
                memo=memo,
                sources=sources,
                key=key,
            )
        )
        return _new_id(result)

    @staticmethod
    def _replayed(conn: Connection, key: str | None) -> bool:
        if key is None:
            return False
        row = conn.execute(select(db.ledger.c.entry_id).where(db.ledger.c.key == key)).first()
        return row is not None

    def redeem(
        self, person: str, points: str, *, memo: str | None = None, key: str | None = None
    ) -> None:
        """Spend points (a redemption); refused below zero."""
        self._known(person)
        with write_connection(self.engine) as conn, conn.begin():
            lock_writes(conn)
            if self._replayed(conn, key):
                return
            self._spend(conn, person, cents_of(points), "redeem", memo=memo, key=key)

    def transfer(
        self,
        person: str,
        to: str,
        points: str,
        *,
        memo: str | None = None,
        key: str | None = None,
    ) -> None:
        """Move points to another person's account, both sides in one transaction."""
        self._known(person)
        self._known(to)
        if to == person:
            raise LedgerError(
                422, "bad-transfer", Text("不能转给自己", "cannot transfer to the same account")
            )
        cents = cents_of(points)
        with write_connection(self.engine) as conn, conn.begin():
            lock_writes(conn)
            if self._replayed(conn, key):
                return
            out_id = self._spend(
                conn, person, cents, "transfer_out", memo=memo, key=key, counterparty=to
            )
            conn.execute(
                insert(db.ledger).values(
                    person=to,
                    kind="transfer_in",
                    cents=cents,
                    at=now_us(),
                    counterparty=person,
                    memo=memo,
                    sources=[f"ledger:{out_id}"],
                )
            )
