"""CLI command groups, one module each; every command is a thin layer over the library."""
