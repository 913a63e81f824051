"""WRITE's caller: one module per command, the only place the stages are chained.

Each command reads and validates everything first, then plans, renders and writes; `common` holds
what they share, `issuing` and `executors` the per-dossier work and where it runs. May import every
other package; nothing imports it but `cli`.
"""
