"""`reportgen site`: a dossiers folder → a static verification site (pages, search index, signed register, status
lists, Open Badges credentials), written as a whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from reportgen.certification import badge, jose, keys, statuslist
from reportgen.certification import record as certs
from reportgen.certification import status as status_log
from reportgen.certification.signing import SigningKey, load_trust_roots
from reportgen.certification.verification import verify_file
from reportgen.commands.common import Outcome, formatter_for
from reportgen.commands.status import CHANGED, log_changed, read_entries, register_rows
from reportgen.documents import site as site_doc
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.input.pdffile import FinishedPdf, UnreadablePdf
from reportgen.output.folder import OutputFolder
from reportgen.settings import Settings, today

ASSETS = ("site.css", "site.js")  # from the templates' site/ folder, copied to assets/
FONTS = ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")  # bundled, served as WOFF2


def run(dossiers: Path, out_dir: Path, settings: Settings, key: SigningKey, base_url: str) -> Outcome:
    """Build the verification site of the dossiers folder into out_dir (replaced whole; nothing half-written).

    Every dossier listed in the register is verified first (record, QR codes, signature by the body whose
    certificate is in the folder); one that fails stops the build, since the site would vouch for it.
    """
    from reportgen.output.tree import write_tree

    folder = Path(dossiers)
    body_pem = _body_certificate(folder, key)
    private_pem, kind = keys.signing_key_pem(key.p12, key.password, key.source)
    manifest = OutputFolder.peek(folder)
    if manifest is not None and log_changed(manifest):
        raise ReportgenError(
            _("the status log {path} {changed}").format(path=quoted(folder / status_log.LOG_NAME), changed=_(CHANGED))
        )
    entries = read_entries(folder) or []
    when = today()
    published, failures, addresses = _published(folder, entries, when)
    if failures:
        raise ReportgenError(_("the site was not built; these dossiers do not verify:") + "\n" + "\n".join(failures))
    if not published:
        raise ReportgenError(_("{path} lists no dossier to publish").format(path=quoted(folder / "register.xlsx")))
    base = _checked_url(base_url or (addresses[0] if len(set(addresses)) == 1 else ""))
    elsewhere = sorted({a for a in addresses if a != base})
    if elsewhere:
        raise ReportgenError(
            _(
                "the dossiers' QR codes open {addresses}, not {address}: publish the site there, or make the "
                "dossiers again with this verify_url"
            ).format(addresses=_(", ").join(quoted(a) for a in elsewhere), address=quoted(base))
        )
    # The body the public knows: the one the certificates name (a row may name another body: the most named).
    named = Counter(p.record["certification"]["certifying_body"] for p in published)
    body = max(named, key=lambda name: (named[name], name))
    plan = site_doc.plan(published, body, base, when)
    files = _pages(plan, settings)
    files.update(_data_files(plan, published, body_pem, private_pem, kind, when))
    files.update(_assets(settings))
    write_tree(Path(out_dir), files)
    return Outcome(written=[Path(out_dir) / "index.html"])


def _checked_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ReportgenError(
            _(
                "the site needs its public address (https://…): make the dossiers with verify_url set in "
                "reportgen.toml (their QR codes then open the site), or give --url"
            )
        )
    return url.strip().rstrip("/")


def _body_certificate(folder: Path, key: SigningKey) -> bytes:
    """Return the body's certificate kept in the folder, after checking that key is that body's key."""
    path = folder / keys.BODY_CERT
    if not path.is_file():
        raise ReportgenError(
            _("{folder} holds no {name}: give the folder `reportgen dossiers` signed into").format(
                folder=quoted(folder), name=keys.BODY_CERT
            )
        )
    pem = path.read_bytes()
    own = keys.certificate_pem(key.p12, key.password, key.source)
    try:
        same = keys.public_key_pem(pem) == keys.public_key_pem(own)
    except ValueError as exc:
        raise ReportgenError(_("{path}: not a certificate ({reason})").format(path=quoted(path), reason=exc)) from exc
    if not same:
        raise ReportgenError(
            _("{key} is not the key of the body whose certificate is {path}").format(
                key=quoted(key.source), path=quoted(path)
            )
        )
    return pem


def _published(folder: Path, entries: list[status_log.Entry], when: dt.date):
    """Return (published dossiers, failures, the site addresses their QR codes open): each dossier of the register
    read back and verified."""
    roots = load_trust_roots([folder / keys.BODY_CERT])
    indexes: dict[str, int] = {}
    index_path = folder / statuslist.INDEX_FILE
    if index_path.is_file():
        try:
            indexes = statuslist.read_index(index_path.read_bytes(), str(index_path))
        except ValueError as exc:
            raise ReportgenError(str(exc)) from exc
    out, failures, addresses = [], [], []
    for row in register_rows(folder)[1:]:
        # The row's file name (its "الملف" cell): read by what it is, since empty cells are not kept in a row.
        names = [str(v) for v in row if isinstance(v, str) and v.lower().endswith(".pdf")]
        if not names:
            continue
        path = folder / Path(names[0]).name
        verdict = verify_file(path, roots, str(folder / keys.BODY_CERT), entries, when, indexes or None)
        status = verdict.status
        problems = [p for p in verdict.problems if status is None or p != status.sentence()]
        if problems or status is None:
            failures.append(f"{quoted(path)}: " + _("; ").join(problems or [_("no record")]))
            continue
        data = path.read_bytes()
        try:
            with FinishedPdf(data) as pdf:
                raw = pdf.embedded_file(certs.RECORD_NAME) or b""
                token = pdf.embedded_file(badge.CREDENTIAL_NAME) or b""
                qr_text = certs.parse_keywords(pdf.metadata().get("Keywords", "")).get("qr", "")
        except UnreadablePdf as exc:
            failures.append(f"{quoted(path)}: {exc}")
            continue
        record = json.loads(raw.decode("utf-8"))
        page = f"/c/{quote(record['number'], safe='')}/#"
        if page in qr_text:
            addresses.append(qr_text.split(page)[0])
        out.append(
            site_doc.Published(
                record=record,
                fingerprint=certs.fingerprint(raw),
                file_name=path.name,
                file_sha256=hashlib.sha256(data).hexdigest(),
                credential=token.decode("ascii"),
                status=status,
                status_index=indexes.get(record["number"]),
            )
        )
    return out, failures, addresses


def _pages(plan: site_doc.SitePlan, settings: Settings) -> dict[str, bytes]:
    """Return every HTML page: the index and each certificate, in Arabic and in English."""
    from reportgen.render.formatting import Formatter
    from reportgen.render.html import environment, render_html

    envs = {
        True: environment(settings, formatter_for(settings)),
        False: environment(settings.with_(digits="latin"), Formatter(locale="en", digits="latin")),
    }
    files: dict[str, bytes] = {}
    for ar, env in envs.items():
        home = "index.html" if ar else "en/index.html"
        digits = settings.digits if ar else "latin"
        context = {"site": plan, "ar": ar, "root": "" if ar else "../", "digits": digits}
        context["other_language"] = "en/index.html" if ar else "../index.html"
        files[home] = render_html(env, "site/index.html", context).encode("utf-8")
        for page in plan.pages:
            name = f"{page.path}index.html" if ar else f"{page.path}en/index.html"
            context = {
                "site": plan,
                "page": page,
                "ar": ar,
                "digits": digits,
                "root": "../../" if ar else "../../../",
                "other_language": "en/index.html" if ar else "../index.html",
            }
            files[name] = render_html(env, "site/certificate.html", context).encode("utf-8")
    return files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def _data_files(
    plan: site_doc.SitePlan, published: list, body_pem: bytes, private_pem: bytes, kind: str, when: dt.date
) -> dict[str, bytes]:
    """Return the machine-readable files: register (signed), search index, keys, issuer, status lists, credentials."""
    public_pem = keys.public_key_pem(body_pem)
    jwk = jose.public_jwk(public_pem)
    register = _json(
        {
            "format": "reportgen/site-register/1",
            "body": plan.body,
            "site": plan.base_url + "/",
            "built": plan.built.isoformat(),
            "key": jwk["kid"],
            "certificates": [p.register_entry() for p in plan.pages],
        }
    )
    index = json.dumps([p.index_entry() for p in plan.pages], ensure_ascii=False, separators=(",", ":"))
    issuer = badge.issuer(plan.base_url, plan.body)
    files = {
        "register.json": register,
        "register.json.jws": jose.sign_detached(register, private_pem, kind).encode("ascii") + b"\n",
        "search-index.json": index.encode("utf-8") + b"\n",
        "search-index.js": f"window.REPORTGEN_INDEX = {index};\n".encode(),
        "body-certificate.pem": body_pem,
        "body-key.jwk.json": _json({"keys": [jwk]}),
        "issuer.json": _json({"@context": badge.CONTEXTS, **issuer}),
    }
    states = {page.number: pub.status for page, pub in _pairs(plan, published)}
    indexes = {p.number: p.status_index for p in plan.pages if p.status_index is not None}
    stamp = f"{when.isoformat()}T00:00:00Z"
    for purpose in statuslist.PURPOSES:
        encoded = statuslist.encode(statuslist.bits_for(purpose, states, indexes))
        vc = statuslist.list_credential(plan.base_url, purpose, issuer, encoded, stamp)
        claims = {**vc, "iss": issuer["id"], "jti": vc["id"], "nbf": _epoch(when)}
        files[f"status/{purpose}.json"] = _json(vc)
        files[f"status/{purpose}.jwt"] = jose.sign_jwt(claims, private_pem, kind).encode("ascii")
    for page, pub in _pairs(plan, published):
        if pub.credential:
            files[f"{page.path}credential.jwt"] = pub.credential.encode("ascii")
    return files


def _pairs(plan: site_doc.SitePlan, published: list):
    by_number = {p.record["number"]: p for p in published}
    return [(page, by_number[page.number]) for page in plan.pages]


def _epoch(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC).timestamp())


def _assets(settings: Settings) -> dict[str, bytes]:
    """Return the stylesheet, the script and the Arabic web font (the templates' site/ folder, the bundled fonts)."""
    from reportgen.fonts.files import woff2

    files = {}
    for name in ASSETS:
        found = [d / "site" / name for d in settings.template_dirs() if (d / "site" / name).is_file()]
        if not found:
            raise ReportgenError(_("the site's {name} is missing from the templates").format(name=name))
        files[f"assets/{name}"] = found[0].read_bytes()
    for font in FONTS:
        files[f"assets/fonts/{Path(font).stem}.woff2"] = woff2(font)
    return files
