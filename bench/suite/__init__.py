"""The one-command benchmark suite behind ``bench/run.py`` (issue 13).

Modules: `data` (seeded inputs: JSON Lines with broken records mixed in, a GB18030 regional
CSV export, an XLSX workbook), `measures` (one measured path each, run in a fresh child
process), `verdicts` (per-record valid/invalid of every validator, compared), `targets`
(the issue's targets as met / NOT met) and `table` (what is printed). The parent process
imports only the standard library, so a child's peak RSS is its own (see `run.py`).
"""
