"""`reportgen serve`: the local web application (Starlette on uvicorn), between the CLI and the commands.

Owns the web pages and their templates (`templates/`), the vendored htmx (`static/`), the per-launch session
(token, temporary folder, the watched workbook) and the background jobs that generate documents. It calls
the command functions of `commands` for every piece of work and renders pages through `render.html`; `app`
is the only importer of Starlette, `server` the only importer of uvicorn. Nothing imports it but `cli`.
"""
