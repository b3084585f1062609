"""Tooling of the documentation site: mkdocs hooks, generated references, code-block runner.

Not part of the installed package: it serves ``mkdocs.yml`` and the docs tests.
"""
