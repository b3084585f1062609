"""Which database a location names, how to connect, and errors people can act on.

A location is resolved once into a :class:`Database`: the SQLAlchemy URL (from the
secret ``url`` setting, or from the location itself: a SQLite file or a URL without a
password), the schema, and a label for messages and record locations. The label shows
the URL with its password masked; the password itself appears nowhere, not even in the
driver's own error text, which is scrubbed before it becomes a :class:`ConnectorError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, exc, inspect
from sqlalchemy.engine import URL, make_url

from volunteer_standard.connectors.base import ConnectorError
from volunteer_standard.connectors.sql.config import SqlConfig
from volunteer_standard.text import Text

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_DEFAULT = frozenset({"", "default", ".", "-"})

#: The pip extra (or package) that brings each dialect's driver.
DRIVER_HINTS = {
    "postgresql": "pip install 'volunteer-standard[postgres]'",
    "mysql": "pip install 'volunteer-standard[mysql]'",
    "mssql": "pip install pyodbc (and Microsoft's ODBC driver)",
    "oracle": "pip install oracledb",
    "dm": "pip install dmPython sqlalchemy-dm (from the 达梦 DM8 client)",
}


def mask(url: URL) -> str:
    """The URL as people may see it: the password replaced by ``***``."""
    return url.render_as_string(hide_password=True)


@dataclass(frozen=True)
class Database:
    """A resolved location: where to connect, in which schema, and how to name it."""

    url: URL
    schema: str | None
    label: str

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @property
    def is_sqlite_file(self) -> bool:
        return self.dialect == "sqlite" and self.url.database not in (None, "", ":memory:")

    def scrub(self, message: str) -> str:
        """``message`` with the password (if any) removed."""
        password = self.url.password
        if password:
            message = message.replace(str(password), "***")
        return message

    def error(self, text: Text, **params: object) -> ConnectorError:
        """A ConnectorError about this database (its password masked everywhere)."""
        filled = text.format(where=self.label, **params)
        return ConnectorError(Text(self.scrub(filled.zh), self.scrub(filled.en)))

    def connect(self) -> Engine:
        """An engine for this database; a missing driver or dialect is a clear error."""
        try:
            return create_engine(self.url)
        except exc.NoSuchModuleError:
            raise self.error(
                Text(
                    "{where}：未知的数据库类型 {dialect}",
                    "{where}: unknown database type {dialect}",
                ),
                dialect=self.dialect,
            ) from None
        except ImportError as error:
            hint = DRIVER_HINTS.get(self.dialect, "install the SQLAlchemy dialect's driver")
            raise self.error(
                Text(
                    "{where}：未安装 {dialect} 的数据库驱动（{module}）；请执行 {hint}",
                    "{where}: the {dialect} driver ({module}) is not installed; {hint}",
                ),
                dialect=self.dialect,
                module=error.name or "?",
                hint=hint,
            ) from None

    def table_names(self, engine: Engine) -> list[str]:
        """Tables present in the schema (raises a clear error when unreachable)."""
        with guard(self):
            return list(inspect(engine).get_table_names(schema=self.schema))


def _name(location: str) -> str:
    return location.strip()


def resolve(location: str, settings: SqlConfig, *, for_writing: bool = False) -> Database:
    """The database a location names under ``settings``.

    * With ``url`` configured: the location names a schema (``default`` for the URL's own).
    * Otherwise: a SQLAlchemy URL without a password, or a path to a SQLite file.
    """
    configured = settings.url.get_secret_value() if settings.url is not None else None
    if configured:
        url = _parse(configured)
        name = _name(location)
        schema = settings.db_schema
        if name not in _DEFAULT:
            if not _NAME.match(name):
                raise ConnectorError(
                    Text(
                        "已在配置中给出 url，位置参数应为模式（schema）名或 default，"
                        "而不是 {loc!r}",
                        "with 'url' configured, the location names a schema (or 'default'), "
                        "not {loc!r}",
                    ).format(loc=name)
                )
            schema = name
        if schema is not None and url.get_backend_name() == "sqlite":
            raise ConnectorError(
                Text(
                    "SQLite 没有模式（schema）：位置参数请写 default",
                    "SQLite has no schemas: write 'default' as the location",
                )
            )
        return Database(url, schema, mask(url) + (f"#{schema}" if schema else ""))
    if "://" in location:
        url = _parse(location)
        if url.password:
            raise ConnectorError(
                Text(
                    "命令行上的数据库地址不能含密码（{url}）："
                    "请写入配置文件的 url 或环境变量 VSTD_SQL_URL",
                    "a database URL on the command line must not hold a password ({url}): put "
                    "it in the config file's 'url' or in VSTD_SQL_URL",
                ).format(url=mask(url))
            )
        return Database(url, settings.db_schema, mask(url))
    path = Path(location)
    if not for_writing and not path.is_file():
        raise ConnectorError(
            Text("{loc}：数据库文件不存在", "{loc}: no such database file").format(loc=location)
        )
    return Database(URL.create("sqlite", database=str(path)), None, location)


def _parse(text: str) -> URL:
    try:
        return make_url(text)
    except (exc.ArgumentError, ValueError):
        # The text itself is never repeated: it may hold a password.
        raise ConnectorError(
            Text(
                "数据库地址（url）格式不对：应为 方言+驱动://用户:密码@主机:端口/数据库",
                "the database URL is malformed: expected dialect+driver://user:password@host:port/"
                "database",
            )
        ) from None


@contextmanager
def guard(database: Database) -> Iterator[None]:
    """Turn database errors into ConnectorErrors that name the database (password masked)
    and never carry the statement's parameters (they may hold personal data)."""
    try:
        yield
    except exc.NoSuchTableError as error:
        raise database.error(
            Text("{where}：表 {table} 不存在", "{where}: table {table} does not exist"),
            table=str(error),
        ) from None
    except exc.DBAPIError as error:
        reason = _first_line(error.orig) if error.orig is not None else type(error).__name__
        if isinstance(error, exc.DataError):
            # "invalid input syntax for type integer: "张三"": the value may be personal.
            reason = re.sub(r":\s*[\"'].*$", ": …", reason)
        if error.connection_invalidated or isinstance(error, exc.OperationalError):
            raise database.error(
                Text(
                    "{where}：无法访问数据库：{reason}",
                    "{where}: cannot reach the database: {reason}",
                ),
                reason=reason,
            ) from None
        raise database.error(
            Text("{where}：数据库报错：{reason}", "{where}: the database refused: {reason}"),
            reason=reason,
        ) from None
    except exc.StatementError as error:
        # Raised before the database saw the row: its message quotes the row's values.
        cause = type(error.orig).__name__ if error.orig is not None else "error"
        raise database.error(
            Text(
                "{where}：有一行的值无法按列的类型发送（{cause}）",
                "{where}: a row's values could not be sent as their columns' types ({cause})",
            ),
            cause=cause,
        ) from None
    except exc.SQLAlchemyError as error:
        raise database.error(
            Text("{where}：{reason}", "{where}: {reason}"), reason=_first_line(error)
        ) from None


def _first_line(error: BaseException) -> str:
    """The driver's message without SQL, parameters or SQLAlchemy's help links."""
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return re.sub(r"\s*\[SQL:.*$", "", line)[:300]


__all__ = ["DRIVER_HINTS", "Database", "guard", "mask", "resolve"]
