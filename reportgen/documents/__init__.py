"""PLAN: one pure planner per document kind (brief, dossier, handout with its fact sheets) and the
certification rule; each turns a `Dataset` into a typed context its template lays out.

No I/O and no rendering library: a planner that needs formatted text or text widths is handed a formatter
or uses `fonts`' metrics. May import `certification`, `fonts`, `input`, `model`, `settings` and `errors`.
"""
