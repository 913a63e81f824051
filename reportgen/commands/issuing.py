"""Issue dossiers: each planned dossier → HTML → PDF/A-3b with its record, signed (or marked draft), in workers."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.certification import badge, jose, keys, qr
from reportgen.certification import record as certs
from reportgen.certification.signing import SigningKey
from reportgen.commands import executors
from reportgen.documents.dossier import Dossier
from reportgen.errors import ReportgenError
from reportgen.render.formatting import Formatter
from reportgen.settings import Settings, fonts_dir, now

if TYPE_CHECKING:
    from reportgen.render.pdf import Laid, PageFill

VARIANT = "pdf/a-3b"  # PDF/A-2 would drop the JSON record; PDF/A-3 keeps it as an associated file

_worker: dict = {}  # what each process sets up once: formatter, Jinja environment, signer


DENSITIES = ("normal", "compact", "tight")  # the certificate's sizes, from the most generous (templates/ar/dossier.css)
LAST_PAGE_FILLED = 0.35  # a dossier's last page filled less than this reads as left over (tests/layout.py)
SPARE_MM = (8.0, 40.0)  # the room a certificate's framed page leaves between its blocks (its spacers), at best


@dataclass(frozen=True)
class Setting:
    """How closely a dossier is set, chosen from its layout (render): the certificate's density, the file's."""

    density: str = "normal"  # the most generous of DENSITIES whose certificate keeps to its one framed page
    close: bool = False  # the file set closer, so that its last page is not left nearly empty


@dataclass(frozen=True)
class Issued:
    """One dossier's outcome: its PDF bytes, or the message saying why it failed; and how it was set."""

    dossier: Dossier
    pdf: bytes | None
    error: str = ""
    setting: Setting = Setting()


def setup(settings: Settings, key: SigningKey | None, draft: bool = False) -> None:
    """Prepare this process to render dossiers (run once per worker); draft marks every page as not a certificate."""
    from reportgen.certification.signing import load_signer
    from reportgen.render import pdf
    from reportgen.render.html import environment

    fmt = Formatter(locale=settings.locale, digits=settings.digits, hijri_adjust=settings.hijri_adjust)
    _worker.update(
        settings=settings,
        fmt=fmt,
        env=environment(settings, fmt),
        signer=load_signer(key) if key else None,
        jose_key=keys.signing_key_pem(key.p12, key.password, key.source) if key else None,
        draft=draft,
    )
    pdf.warm_up()  # import WeasyPrint and load the fonts once, not per dossier


def _score_text(fmt: Formatter) -> Callable[[float], str]:
    return lambda v: fmt.integer(v) if float(v).is_integer() else fmt.decimal(v, 1)


def area_score_text(fmt: Formatter) -> Callable[[float], str]:
    """Return how an area's score is printed, in the areas table (the `dec` filter) and on its chart's bars."""
    return lambda v: fmt.decimal(v, 1)


def score_bands() -> tuple[str, ...]:
    """Return the score chart's bar colours, by band: below the refusal threshold, between, from the grant one."""
    from reportgen.render import charts

    return tuple(charts.SCORE_COLORS)


def figures(d: Dossier, fmt: Formatter) -> dict[str, str]:
    """Return the dossier's pictures as data: URIs: area scores chart, locator map, QR code (and specimen mark)."""
    from reportgen.render import charts  # matplotlib: in the workers only (the parent process never draws)
    from reportgen.render.figures import data_uri

    chart = charts.area_scores_chart(
        [a.label for a in d.areas],
        [a.score for a in d.areas],
        fmt=area_score_text(fmt),  # as the areas table beside it prints them: ٦٦٫٠, not ٦٦
        mark_fmt=_score_text(fmt),
        fonts_dir=fonts_dir(),
        thresholds=d.thresholds,
        width_cm=15.5,
    )
    where = _locator_map(d.cluster.governorate.code)
    code = base64.b64encode(qr.png(d.qr_text)).decode("ascii")
    out = {"areas": data_uri(chart), "map": data_uri(where), "qr": f"data:image/png;base64,{code}"}
    if d.specimen:
        out["specimen"] = _specimen_mark()
    return out


SPECIMEN = "نموذج / SPECIMEN"  # what a specimen's mark says, drawn as outlines (not in the text layer)


@functools.cache  # the same picture on every page of every specimen: drawn once per worker process
def _specimen_mark() -> str:
    from reportgen.render import charts
    from reportgen.render.figures import data_uri

    return data_uri(charts.page_mark(SPECIMEN, fonts_dir=fonts_dir(), size_pt=54, color="#c0392b", alpha=0.22))


@functools.lru_cache(maxsize=32)  # one map per governorate (27), drawn once per worker process, not per dossier
def _locator_map(code: str) -> str:
    from reportgen.render import charts
    from reportgen.render.figures import boundaries_path

    return charts.locator_map(code, fonts_dir=fonts_dir(), geojson_path=boundaries_path("locator"), width_cm=4.8)


def html_of(
    d: Dossier,
    base_dir: Path,
    logo_url: str = "",
    seal_url: str = "",
    setting: Setting = Setting(),  # noqa: B008 (frozen)
    pictures: dict[str, str] | None = None,
) -> str:
    """Return the dossier's HTML (in a process that ran setup), set as setting says (render chooses it from the
    layout: Issued.setting). pictures: figures() already drawn."""
    from reportgen.render.html import render_html

    fmt, env, settings = _worker["fmt"], _worker["env"], _worker["settings"]
    context = {
        "doc": d,
        "figures": pictures if pictures is not None else figures(d, fmt),
        "density": setting.density,
        "close": setting.close,
        "bands": score_bands(),
        "settings": settings,
        "logo_url": logo_url,
        "seal_url": seal_url,
        "record_name": certs.RECORD_NAME,
        "credential_name": badge.CREDENTIAL_NAME if _credential_attached(d) else "",
        "score": _score_text(fmt),
        "draft": _worker.get("draft", False),
    }
    return render_html(env, "dossier.html", context)


def _credential_attached(d: Dossier) -> bool:
    """Return whether the dossier carries an Open Badges credential: signed, and not a refusal."""
    return _worker.get("jose_key") is not None and d.decision != "refused"


def credential_jwt(d: Dossier, status_index: int | None) -> bytes | None:
    """Return the dossier's Open Badges 3.0 credential as a VC-JWT signed with the body's key (None: a draft, or a
    refusal, which certifies nothing)."""
    if not _credential_attached(d):
        return None
    pem, kind = _worker["jose_key"]
    vc = badge.credential(json.loads(d.record), d.fingerprint, d.verify_url, status_index)
    return jose.sign_jwt(badge.jwt_claims(vc), pem, kind).encode("ascii")


def render(
    d: Dossier, base_dir: Path, logo_url: str = "", seal_url: str = "", status_index: int | None = None
) -> Issued:
    """Return the dossier as a PDF/A-3b with its record (and, signed, its Open Badges credential) attached,
    signed when a key was set up."""
    from reportgen.certification.signing import sign
    from reportgen.render.pdf import Attachment, PdfJob, draw, lay_out

    try:
        created = dt.datetime.combine(d.issue_date, dt.time(0), tzinfo=dt.UTC)
        record = Attachment(
            certs.RECORD_NAME,
            d.record,
            description=f"Certificate record {d.number}",
            relationship="Data",
        )
        token = credential_jwt(d, status_index)
        attachments = [record]
        if token is not None:
            attachments.append(
                Attachment(
                    badge.CREDENTIAL_NAME,
                    token,
                    description=f"Open Badges 3.0 credential {d.number} (VC-JWT)",
                    relationship="Supplement",
                )
            )
        pictures = figures(d, _worker["fmt"])

        def laid(setting: Setting) -> Laid:
            return lay_out(
                PdfJob(
                    html=html_of(d, base_dir, logo_url, seal_url, setting, pictures),
                    base_dir=base_dir,
                    allowed_dirs=tuple(_worker["settings"].template_dirs()),
                    allowed_files=tuple(_path_of(u) for u in (logo_url, seal_url) if u.startswith("file:")),
                    attachments=attachments,
                    variant=VARIANT,
                    created=created,
                ),
                measure=SPARE,
            )

        setting, chosen = _set(d, laid)
        data = draw(chosen)
        if _worker.get("signer") is not None:
            data = sign(
                data,
                _worker["signer"],
                now(),  # SOURCE_DATE_EPOCH when set: the same signed bytes on every run
                reason=f"{d.number}",
                location=d.cluster.governorate.name_en,
            )
        return Issued(d, data, setting=setting)
    except ReportgenError as exc:
        return Issued(d, None, exc.format_message())


def _set(d: Dossier, laid: Callable[[Setting], Laid]) -> tuple[Setting, Laid]:
    """Return the setting of the dossier and its layout, read from the layout (not guessed from text lengths).

    The certificate: the most generous density that keeps it to its one framed page with SPARE_MM of room left
    between its blocks (none: they touch; more: a band looks like a missing block); when none does, the most
    generous that keeps it to one page (the tightest when none does). Then the file set closer, when it ends on a
    nearly empty page and the closer setting does not.
    """

    def fits(layout: Laid) -> bool:
        return not d.certified or certificate_fits(layout.pages)

    def spaced(layout: Laid) -> bool:
        return fits(layout) and (not d.certified or SPARE_MM[0] <= spare(layout) <= SPARE_MM[1])

    tried: list[tuple[Setting, Laid]] = []
    for density in DENSITIES if d.certified else DENSITIES[:1]:
        tried.append((Setting(density), laid(Setting(density))))
        if spaced(tried[-1][1]):
            break
    chosen = [t for t in tried if spaced(t[1])] or [t for t in tried if fits(t[1])] or tried[-1:]
    setting, layout = chosen[0]
    if not ends_on_a_full_page(layout.pages):
        closer = replace(setting, close=True)
        other = laid(closer)
        if ends_on_a_full_page(other.pages) and (not d.certified or certificate_fits(other.pages)):
            setting, layout = closer, other
    return setting, layout


SPARE = ("space", "inner")  # the framed page's spacers and its column (templates/ar/dossier.html)


def spare(layout: Laid) -> float:
    """Return the room (mm) the certificate's framed page has over: its spacers' and what is left below them."""
    return sum(layout.room[name] for name in SPARE)


def certificate_fits(pages: list[PageFill]) -> bool:
    """Return True when the certificate keeps to one page: a block that does not fit in the framed page's flex
    column is moved overleaf, onto a second page of the certificate's (named page `certificate`)."""
    return sum(page.name == "certificate" for page in pages) == 1


def ends_on_a_full_page(pages: list[PageFill]) -> bool:
    """Return True when the dossier's last page (one of several) is filled to LAST_PAGE_FILLED at least."""
    return len(pages) < 2 or pages[-1].filled >= LAST_PAGE_FILLED


def _render_item(item: tuple[Dossier, Path, str, str, int | None]) -> Issued:
    """Render one (dossier, base folder, logo URL, seal URL, status list index): the task every executor runs."""
    return render(*item)


def issue(
    dossiers: tuple[Dossier, ...],
    settings: Settings,
    base_dir: Path,
    logo_url: str = "",
    jobs: int | None = None,
    key: SigningKey | None = None,
    executor: str | None = None,
    draft: bool = False,
    seal_url: str = "",
    status_indexes: dict[str, int] | None = None,
) -> Iterator[Issued]:
    """Yield each dossier's outcome as it is ready: in jobs spawned processes, or on a Dask cluster.

    For a Dask cluster (executor "dask://HOST:PORT") the logo and the seal travel as data: URIs, since the
    workers may not see this machine's files.
    """
    if executors.check_executor(executor):
        logo_url, seal_url = (_inline(u) if u.startswith("file:") else u for u in (logo_url, seal_url))
    work = executors.Work(
        setup=setup,
        setup_args=(settings, key, draft),
        task=_render_item,
        limits=executors.Limits(settings.render_seconds, settings.render_memory_mb),
        name=lambda item: item[0].file_name,
    )
    indexes = status_indexes or {}
    items = ((d, base_dir, logo_url, seal_url, indexes.get(d.number)) for d in dossiers)
    yield from executors.run(items, work, jobs, executor)


def _path_of(file_url: str) -> Path:
    """Return the path a file: URL names."""
    from urllib.parse import unquote, urlparse
    from urllib.request import url2pathname

    return Path(url2pathname(unquote(urlparse(file_url).path)))


def _inline(file_url: str) -> str:
    """Return the file at a file: URL as a data: URI."""
    import mimetypes

    path = _path_of(file_url)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
