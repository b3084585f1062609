"""The ``zyh`` connector: a 志愿汇-style API ↔ the standard, on the HTTP base.

Everything system-specific (endpoints, paging, the errCode envelope, the token endpoint,
field names and value maps) is in ``zyh.toml`` beside this module; this class only names
it. Pass a corrected copy as the ``api`` option when the real API differs.
"""

from __future__ import annotations

from importlib import resources
from typing import ClassVar

from volunteer_standard.connectors import ConnectorConfig
from volunteer_standard.connectors.http import HttpConfig, HttpConnector

#: The API description shipped with the package.
API_FILE = resources.files("vstd_connector_zyh").joinpath("zyh.toml")


class ZyhConfig(HttpConfig):
    """Options of the ``zyh`` connector: base URL, client id and secret, limits."""


class ZyhConnector(HttpConnector):
    """志愿汇-style API: volunteer profiles, activities and service hours; writes hours."""

    name = "zyh"
    title = "志愿汇-style API (profiles, activities, service hours)"
    version = "0.1.0"
    config_model: ClassVar[type[ConnectorConfig]] = ZyhConfig
    api_file = API_FILE
