"""Starlette (the only importer): the routes of `reportgen serve`, the gate every request passes, the pages."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from reportgen import i18n
from reportgen.certification.verification import MAX_PDF_BYTES
from reportgen.errors import ReportgenError
from reportgen.i18n import _
from reportgen.input.container import MAX_FILE_BYTES
from reportgen.model.arabic import arabic_indic_digits
from reportgen.render.html import page_environment
from reportgen.serve import work
from reportgen.serve.session import Job, Session, Stopped, safe_name
from reportgen.settings import fonts_dir

HERE = Path(__file__).resolve().parent
TOKEN_COOKIE = "reportgen_token"
TOKEN_HEADER = "x-reportgen-token"
LANG_COOKIE = "reportgen_lang"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}  # a Host header naming anything else is a DNS-rebinding page
FORM_SLACK = 1024 * 1024  # the multipart envelope and the other fields around an uploaded file
CERT_BYTES = 1024 * 1024  # a certificate (PEM or DER) is a few KB
SCREENS = ("workbook", "documents", "verify")
# Every answer tells the browser to load nothing from elsewhere, to be framed by no one and to name no referrer.
GUARD_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
]
EVENT_POLL = 1.0  # seconds a progress stream waits for news before it looks whether the server is stopping
KEEP_ALIVE = 15.0  # seconds without news after which a progress stream sends a comment


def _hostname(host: str) -> str:
    return host if host.startswith("[") else host.rsplit(":", 1)[0]


def _same(given: str, token: str) -> bool:
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def language_of(request: Request, session: Session) -> str:
    """Return the language of a request: its cookie, else the one the server was started with."""
    return i18n.normalize(request.cookies.get(LANG_COOKIE)) or session.language


class Gate:
    """ASGI middleware: a request must name 127.0.0.1 or localhost as its Host and carry the launch's token."""

    def __init__(self, app, session: Session) -> None:
        self.app, self.session = app, session

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        with i18n.language(language_of(request, self.session)):
            response = self.check(request)

        async def send_guarded(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *GUARD_HEADERS]
            await send(message)

        if response is None:
            await self.app(scope, receive, send_guarded)
        else:
            await response(scope, receive, send_guarded)

    def check(self, request: Request) -> Response | None:
        """Return the response refusing or redirecting the request, None to let it through."""
        token = self.session.token
        if _hostname(request.headers.get("host", "")) not in LOCAL_HOSTS:
            return PlainTextResponse(_("Forbidden: reportgen serve answers only at 127.0.0.1 or localhost."), 403)
        query = request.query_params
        if request.method == "GET" and ("token" in query or "lang" in query):
            if "token" in query and not _same(query["token"], token):
                return PlainTextResponse(_("Forbidden: this is not the address reportgen serve printed."), 403)
            if "token" not in query and not self._carries(request):
                return self._refused()
            # The token leaves the address (and the history) for a cookie only this site's pages send.
            rest = request.url.remove_query_params(["token", "lang"])
            redirect = RedirectResponse(rest.path + (f"?{rest.query}" if rest.query else ""), status_code=303)
            redirect.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
            chosen = i18n.normalize(query.get("lang"))
            if chosen:
                redirect.set_cookie(LANG_COOKIE, chosen, samesite="strict", path="/", max_age=365 * 86400)
            return redirect
        return None if self._carries(request) else self._refused()

    def _carries(self, request: Request) -> bool:
        carried = request.cookies.get(TOKEN_COOKIE) or request.headers.get(TOKEN_HEADER) or ""
        return _same(carried, self.session.token)

    def _refused(self) -> Response:
        return PlainTextResponse(
            _("Forbidden: open the address reportgen serve printed (it carries this launch's token)."), 403
        )


def digits(text: str) -> str:
    """Return a counted phrase with Arabic-Indic digits on an Arabic page (as the documents print them)."""
    return arabic_indic_digits(text) if i18n.is_arabic() else text


def failure(exc: BaseException) -> str:
    """Return what the user reads when work fails: the message of a reportgen error, one sentence otherwise."""
    if isinstance(exc, ReportgenError):
        return exc.format_message()
    return _("reportgen could not finish this: {reason}").format(reason=str(exc) or type(exc).__name__)


def create(session: Session) -> Starlette:
    """Return the application of one launch."""
    pages = Pages(session)
    routes = [
        Route("/", pages.workbook_screen),
        Route("/documents", pages.documents_screen),
        Route("/verify", pages.verify_screen),
        Route("/health", pages.health),
        Route("/workbook", pages.upload_workbook, methods=["POST"]),
        Route("/problems", pages.problems),
        Route("/preview", pages.preview, methods=["POST"]),
        Route("/previews/{id}/{page:int}.png", pages.preview_page),
        Route("/generate", pages.generate, methods=["POST"]),
        Route("/jobs/{id}/events", pages.job_events),
        Route("/jobs/{id}/file", pages.job_file),
        Route("/verify", pages.verify_dossier, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/fonts", StaticFiles(directory=fonts_dir()), name="fonts"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Gate, session=session)
    return app


class Pages:
    """The screens and their fragments (htmx swaps a fragment; without htmx the whole screen comes back)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        functions = {"_": i18n._, "ngettext": i18n.ngettext, "digits": digits, "decision": work.decision_name}
        self.env = page_environment(HERE / "templates", functions)
        self._validated: tuple[tuple, work.Validation] | None = None

    # -- helpers

    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        """Return a template rendered in the request's language."""
        lang = language_of(request, self.session)
        with i18n.language(lang):
            html = self.env.get_template(template).render(
                lang=lang,
                direction="rtl" if lang == "ar" else "ltr",
                other=("en", "English") if lang == "ar" else ("ar", "العربية"),
                path=request.url.path if request.url.path in ("/", "/documents", "/verify") else "/",
                watching=self.session.watched is not None and self.session.workbook == self.session.watched,
                mtime=self._validated[0][1] if self._validated is not None else 0,
                **context,
            )
        return HTMLResponse(html, status_code=status)

    def screen_or_fragment(self, request: Request, screen: str, fragment: str, **context) -> HTMLResponse:
        if request.headers.get("hx-request"):
            return self.render(request, fragment, **context)
        context = {**self.screen_context(request, screen), **context, "fragment": fragment}
        return self.render(request, f"{screen}.html", screen=screen, **context)

    def validation(self, request: Request) -> work.Validation | None:
        """Return the shown workbook's validation (made again when the file or the language changes)."""
        path = self.session.workbook
        if path is None:
            return None
        try:
            stat = path.stat()
            key: tuple = (path, stat.st_mtime_ns, stat.st_size, language_of(request, self.session))
        except OSError:
            key = (path, 0, 0, language_of(request, self.session))
        if self._validated is None or self._validated[0] != key:
            with i18n.language(key[3]):
                validation = work.check(path, path.name)
                validation.failure = self.session.hide(validation.failure)
                self._validated = (key, validation)
        return self._validated[1]

    def screen_context(self, request: Request, screen: str) -> dict:
        context: dict = {"validation": None, "fragment": None}
        if screen in ("workbook", "documents"):
            context["validation"] = self.validation(request)
        if screen == "documents":
            context["regions"] = work.regions()
            context["governorates"] = work.governorates()
            context["signed"] = self.session.workbook is not None and work.has_key(self.session.workbook)
        return context

    async def form(self, request: Request, limit: int) -> dict:
        """Return the request's form fields (name → values), refusing (ReportgenError) a body over limit (plus the
        envelope and other fields, FORM_SLACK) or of unknown length."""
        length = request.headers.get("content-length")
        if length is None or not length.isdigit():
            raise ReportgenError(_("The upload did not say its size; try again from the page."))
        if int(length) > limit + FORM_SLACK:
            raise ReportgenError(_("The file is too large: the limit is {mb} MB.").format(mb=limit // 1_048_576))
        form = await request.form(max_files=3, max_fields=200)
        fields: dict = {}
        for name, value in form.multi_items():
            fields.setdefault(name, []).append(value)
        return fields

    async def save(self, upload: object, kind: str, default: str, limit: int) -> Path | None:
        """Save an uploaded file into a new folder of the session; None when no file was chosen."""
        if not isinstance(upload, UploadFile) or not upload.filename:
            return None
        path = self.session.place(kind) / safe_name(upload.filename, default)
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ReportgenError(
                        _("The file is too large: the limit is {mb} MB.").format(mb=limit // 1_048_576)
                    )
                out.write(chunk)
        return path

    def job(self, job_id: str) -> Job | None:
        return self.session.jobs.get(job_id)

    # -- screens

    async def workbook_screen(self, request: Request) -> Response:
        context = await run_in_threadpool(self.screen_context, request, "workbook")
        return self.render(request, "workbook.html", screen="workbook", **context)

    async def documents_screen(self, request: Request) -> Response:
        context = await run_in_threadpool(self.screen_context, request, "documents")
        return self.render(request, "documents.html", screen="documents", **context)

    async def verify_screen(self, request: Request) -> Response:
        context = await run_in_threadpool(self.screen_context, request, "verify")
        return self.render(request, "verify.html", screen="verify", **context)

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    # -- the workbook

    async def upload_workbook(self, request: Request) -> Response:
        with i18n.language(language_of(request, self.session)):
            try:
                fields = await self.form(request, MAX_FILE_BYTES)
                path = await self.save((fields.get("workbook") or [None])[0], "upload", "workbook.xlsx", MAX_FILE_BYTES)
            except ReportgenError as exc:
                status = 200 if request.headers.get("hx-request") else 413  # htmx swaps only a success
                return self.render(
                    request, "error.html", status=status, message=exc.format_message(), target="problems"
                )
        if path is not None:
            self.session.workbook = path
        validation = await run_in_threadpool(self.validation, request)
        if not request.headers.get("hx-request"):
            return RedirectResponse("/", status_code=303)
        return self.render(request, "problems.html", validation=validation)

    async def problems(self, request: Request) -> Response:
        """The validation list; 204 (nothing to swap) while the watched workbook is unchanged since `seen`."""
        seen = request.query_params.get("seen", "")
        if seen and seen == str(self.session.watched_mtime()):
            return Response(status_code=204)
        validation = await run_in_threadpool(self.validation, request)
        return self.render(request, "problems.html", validation=validation)

    # -- documents

    async def preview(self, request: Request) -> Response:
        lang = language_of(request, self.session)
        with i18n.language(lang):
            try:
                form = await self.form(request, 0)
            except ReportgenError as exc:
                return self.screen_or_fragment(request, "documents", "error.html", message=exc.format_message())

        def make() -> tuple[str, int, work.Choice]:
            with i18n.language(lang):
                chosen = work.choice(form)
                if self.session.workbook is None:
                    raise ReportgenError(_("Choose a workbook first."))
                folder = self.session.place("preview")
                with self.session.working() as tell:
                    pdf, _name = work.make(self.session.workbook, chosen, folder, tell, preview=True)
                self.session.previews[folder.name] = pdf
                return folder.name, work.page_count(pdf), chosen

        try:
            preview_id, pages, chosen = await run_in_threadpool(make)
        except Stopped:
            return PlainTextResponse("stopping", 503)
        except Exception as exc:
            with i18n.language(lang):
                message = self.session.hide(failure(exc))
            return self.screen_or_fragment(request, "documents", "error.html", message=message)
        return self.screen_or_fragment(
            request, "documents", "preview.html", preview_id=preview_id, pages=pages, chosen=chosen
        )

    async def preview_page(self, request: Request) -> Response:
        pdf = self.session.previews.get(request.path_params["id"])
        index = request.path_params["page"] - 1
        if pdf is None:
            return PlainTextResponse("not found", 404)
        large = request.query_params.get("large") == "1"
        try:
            png = await run_in_threadpool(work.page_png, pdf, index, large)
        except ValueError:
            return PlainTextResponse("not found", 404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    async def generate(self, request: Request) -> Response:
        lang = language_of(request, self.session)
        with i18n.language(lang):
            try:
                form = await self.form(request, 0)
                chosen = work.choice(form)
                if self.session.workbook is None:
                    raise ReportgenError(_("Choose a workbook first."))
            except ReportgenError as exc:
                return self.screen_or_fragment(request, "documents", "error.html", message=exc.format_message())
            job = self.session.add_job()
        workbook, folder = self.session.workbook, self.session.place("output")
        job.start(
            lambda job: work.make(workbook, chosen, folder, job.tell), lambda exc: self.session.hide(failure(exc))
        )
        return self.screen_or_fragment(request, "documents", "job.html", job=job, chosen=chosen)

    async def job_events(self, request: Request) -> Response:
        job = self.job(request.path_params["id"])
        if job is None:
            return PlainTextResponse("not found", 404)

        async def stream() -> AsyncIterator[str]:
            seen, quiet = 0, 0.0
            while not self.session.closing.is_set():
                events = await run_in_threadpool(job.wait, seen, EVENT_POLL)
                if not events:
                    quiet += EVENT_POLL
                    if quiet >= KEEP_ALIVE:
                        quiet = 0.0
                        yield ": still working\n\n"
                    continue
                quiet = 0.0
                for event in events:
                    yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
                seen += len(events)
                if events[-1]["type"] in ("done", "error"):
                    return

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def job_file(self, request: Request) -> Response:
        job = self.job(request.path_params["id"])
        if job is None or job.result is None or not job.finished:
            return PlainTextResponse("not found", 404)
        kind = "application/zip" if job.result.suffix == ".zip" else "application/pdf"
        return FileResponse(job.result, media_type=kind, filename=job.result.name)

    # -- verify

    async def verify_dossier(self, request: Request) -> Response:
        lang = language_of(request, self.session)
        with i18n.language(lang):
            try:
                fields = await self.form(request, MAX_PDF_BYTES + CERT_BYTES)
                pdf = await self.save((fields.get("dossier") or [None])[0], "verify", "dossier.pdf", MAX_PDF_BYTES)
                trust = await self.save((fields.get("trust") or [None])[0], "trust", "body-certificate.pem", CERT_BYTES)
                if pdf is None:
                    raise ReportgenError(_("Choose a dossier PDF first."))
            except ReportgenError as exc:
                return self.screen_or_fragment(request, "verify", "error.html", message=exc.format_message())

        def check():
            with i18n.language(lang):
                return work.check_dossier(pdf, trust)

        try:
            verdict = await run_in_threadpool(check)
        except Exception as exc:
            with i18n.language(lang):
                message = self.session.hide(failure(exc))
            return self.screen_or_fragment(request, "verify", "error.html", message=message)
        verdict.problems = [self.session.hide(p) for p in verdict.problems]
        return self.screen_or_fragment(request, "verify", "verdict.html", verdict=verdict, name=pdf.name)
