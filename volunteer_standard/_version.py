"""Package and standard versions (kept apart: the software and the standard evolve separately)."""

__version__ = "0.1.0"

#: Version of the data standard that the models describe.
SCHEMA_VERSION = "1.1"
