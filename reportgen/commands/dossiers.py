"""`reportgen dossiers`: workbook → one planned dossier per certification → issued PDFs → the output folder."""

from __future__ import annotations

from pathlib import Path

from reportgen import i18n
from reportgen.certification import keys, signing, statuslist
from reportgen.commands.common import (
    Outcome,
    Stage,
    check_glyphs,
    formatter_for,
    load_clean,
    logo_url,
    no_stage,
    seal_url,
)
from reportgen.commands.status import read_entries
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import N_, _, ngettext
from reportgen.model.problems import WARNING, Problem
from reportgen.model.records import same_name
from reportgen.output.folder import OutputFolder
from reportgen.settings import Settings


def _key_warnings(body: keys.NewKey, source: str, chosen) -> list[Problem]:
    """Return what readers will make of the signing key's signatures: an Ed25519 (or Ed448) key, which `keys new`
    made before RSA, is one they cannot check; a key in another name than the settings' certification body is
    shown as the signer of every dossier, beside a certificate naming the body."""
    out = []
    if body.algorithm in ("Ed25519", "Ed448"):
        message = _(
            "{path}: an {kind} key: `reportgen verify` checks its signatures, but PDF readers (Acrobat, Evince, Okular)"
            " cannot; make a new key with `reportgen keys new --force`, and keep the old certificate to check the"
            " dossiers signed before"
        ).format(path=quoted(source), kind=body.algorithm)
        out.append(Problem(message, severity=WARNING))
    if chosen.certifying_body and not same_name(body.subject, chosen.certifying_body):
        message = _(
            "the signing key is in the name of {signer}, which PDF readers show as the signer of every dossier; make"
            " the key in the certification body's name (reportgen keys new --name …)"
        ).format(signer=quoted(body.subject))
        out.append(Problem(message, "settings", "", "جهة منح الشهادة", chosen.certifying_body, WARNING))
    return out


def run(
    workbook: Path,
    out_dir: Path,
    settings: Settings,
    cluster_ids: tuple[str, ...] = (),
    jobs: int | None = None,
    key=None,
    progress=None,
    force: bool = False,
    executor: str | None = None,
    unsigned: bool = False,
    stage: Stage = no_stage,
    rendered: Stage = no_stage,
) -> Outcome:
    """Write a dossier PDF per certification (PDF/A-3b, record attached) and register.xlsx into out_dir.

    A dossier that cannot be made is a failure naming its cluster; the others are still written.
    Only files whose inputs changed since the folder's last run are made again (all with force);
    a file changed by hand is made again and the changed one kept beside it. progress, when given,
    is called with the number of dossiers to make and returns a context manager whose update(1)
    is called as each one is done; stage is told what the run does, rendered each cluster whose dossier is done.
    executor: None (local processes) or "dask://HOST:PORT".
    Every dossier is signed with key, and the key's certificate kept beside the register (body-certificate.pem)
    for `verify`; without a key, only drafts are made (unsigned), each page marked as not a certificate.
    """
    import contextlib
    import dataclasses

    from reportgen.certification import register
    from reportgen.commands.executors import check_executor
    from reportgen.documents import dossier as dossier_doc
    from reportgen.output import incremental

    if key is None and not unsigned:
        raise ReportgenError(_(NO_KEY))
    formatter_for(settings)  # an unknown locale fails here, before any worker starts
    check_executor(executor)
    body = keys.import_p12(key.p12, key.password, key.source) if key is not None else None  # read once
    body_cert = body.certificate_pem if body is not None else b""
    if body_cert:  # a name verifiers could not read: refused before anything is signed with it
        signing.check_certificate(body_cert, key.source if key is not None else "")
    # The language too: a run asked in another language reads the workbook again for its warnings (the PDFs,
    # Arabic whatever the messages' language, are still only made again when what they are made of changed).
    asked = incremental.digest(
        str(Path(workbook).resolve()), incremental.run_digest(settings, tuple(cluster_ids), key), i18n.current()
    )
    if not force and (same := _unchanged_run(Path(out_dir), asked)) is not None:
        return same  # the workbook and everything else as last time: not even read again
    stage(_("reading {workbook}").format(workbook=quoted(workbook)))
    parsed = load_clean(workbook, settings)
    sources = {str(Path(workbook).resolve()): incremental.file_digest(workbook)}
    from reportgen.commands import issuing  # imported once the workbook is known to be good
    from reportgen.fonts import coverage as glyphs

    planned = dossier_doc.plan(parsed.dataset, settings, tuple(cluster_ids))
    # The HTML is made in the workers: check the text the dossiers are made of, here, before any.
    missing = check_glyphs(glyphs.strings_of(planned.dossiers), workbook, settings)
    outcome = Outcome(
        warnings=parsed.warnings + missing, failures=[f"{f.cluster_id}: {f.message}" for f in planned.failures]
    )
    folder_of, chosen = Path(parsed.dataset.workbook_dir), parsed.dataset.settings
    if body is not None and key is not None:
        outcome.warnings.extend(_key_warnings(body, key.source, chosen))
    logo, seal = (folder_of / name if name else None for name in (chosen.logo, chosen.seal))
    for image in (logo, seal):
        if image is not None:
            sources[str(image.resolve())] = incremental.file_digest(image)
    base = incremental.dossier_digest_base(settings, key, logo, seal)
    # Each signed certificate's place in the status lists: given once, kept for good (status-list-index.json).
    indexes = _status_indexes(Path(out_dir), [d.number for d in planned.dossiers]) if key is not None else {}
    inputs = {
        d.file_name: incremental.digest(base, incremental.data_digest(d), str(indexes.get(d.number)))
        for d in planned.dossiers
    }
    done: set[str] = set()
    # Everything is staged and put in place at the end: an interrupted run changes nothing.
    with OutputFolder.claim(out_dir) as folder:
        extra = [keys.BODY_CERT, statuslist.INDEX_FILE] if key is not None else []
        folder.check([d.file_name for d in planned.dossiers] + [register.FILE_NAME, *extra], replace_altered=True)
        todo = tuple(d for d in planned.dossiers if force or not folder.current(d.file_name, inputs[d.file_name]))
        if todo:
            stage(ngettext("rendering {n} dossier", "rendering {n} dossiers", len(todo)).format(n=len(todo)))
        bar = progress(len(todo)) if progress and todo else contextlib.nullcontext()
        with bar as shown:
            for issued in issuing.issue(
                todo,
                settings,
                Path(parsed.dataset.workbook_dir),
                logo_url(parsed.dataset),
                jobs,
                key,
                executor,
                draft=key is None,
                seal_url=seal_url(parsed.dataset),
                status_indexes=indexes,
            ):
                if issued.pdf is None:
                    outcome.failures.append(f"{issued.dossier.cluster.id}: {issued.error}")
                else:
                    folder.stage(issued.dossier.file_name, issued.pdf, inputs[issued.dossier.file_name])
                    done.add(issued.dossier.number)
                rendered(f"{issued.dossier.cluster.id} {issued.dossier.cluster.name}")
                if shown is not None:
                    shown.update(1)
        remade = {d.file_name for d in todo}
        issued_ok = [d for d in planned.dossiers if d.number in done or d.file_name not in remade]
        outputs = [d.file_name for d in issued_ok]
        if issued_ok:
            entries = read_entries(folder.path) or []
            sheet = register.sheet(issued_ok, entries)
            listed = incremental.digest("register", incremental.data_digest(sheet), incremental.code_digest())
            if force or not folder.current(register.FILE_NAME, listed):
                with folder.stage_path(register.FILE_NAME, listed) as tmp:
                    tmp.write_bytes(register.workbook(issued_ok, entries))
            outputs.append(register.FILE_NAME)
        if indexes:
            listed_indexes = statuslist.index_bytes(indexes)
            index_inputs = incremental.digest("status list index", listed_indexes.decode("utf-8"))
            if force or not folder.current(statuslist.INDEX_FILE, index_inputs):
                folder.stage(statuslist.INDEX_FILE, listed_indexes, index_inputs)
            outputs.append(statuslist.INDEX_FILE)
        if body_cert:
            # What `verify` trusts in this folder: the body's certificate, beside the register.
            cert_inputs = incremental.digest("body certificate", body_cert.decode("ascii"))
            if force or not folder.current(keys.BODY_CERT, cert_inputs):
                folder.stage(keys.BODY_CERT, body_cert, cert_inputs)
            outputs.append(keys.BODY_CERT)
        complete = len(outcome.failures) == len(planned.failures)  # a failed render is tried again next time
        run = (
            {
                "inputs": asked,
                "sources": sources,
                "outputs": outputs,
                "failures": outcome.failures,
                "warnings": [dataclasses.asdict(w) for w in outcome.warnings],
            }
            if complete
            else None
        )
        written = folder.commit(run)
        outcome.kept = folder.kept
    outcome.written.extend(p for p in written if p.name.endswith(".pdf"))
    outcome.written.extend(p for p in written if not p.name.endswith(".pdf"))
    made = {p.name for p in written}
    outcome.unchanged = [folder.path / name for name in outputs if name not in made]
    return outcome


NO_KEY = N_(
    "no signing key: a dossier is a certificate only when the certification body signs it. Make the body's key "
    "once with `reportgen keys new` (kept beside the workbook), or give one with --sign KEY.p12; "
    "--unsigned makes drafts marked as not certificates"
)


def _status_indexes(folder: Path, numbers: list[str]) -> dict[str, int]:
    """Return the status list indexes kept in a dossiers folder, with the new numbers given the next free ones."""
    path = folder / statuslist.INDEX_FILE
    try:
        kept = statuslist.read_index(path.read_bytes(), str(path)) if path.is_file() else {}
        return statuslist.assign(kept, numbers)
    except OSError as exc:
        raise ReportgenError(_("cannot read {path}: {reason}").format(path=quoted(path), reason=exc.strerror)) from exc
    except ValueError as exc:
        raise ReportgenError(str(exc)) from exc


def _unchanged_run(out_dir: Path, asked: str) -> Outcome | None:
    """Return the last run's outcome when it was asked the same, its input files are the same and every file it
    made is still there as it made it; None otherwise (then the workbook is read and each document checked)."""
    from reportgen.output import incremental

    folder = OutputFolder.peek(out_dir)
    run = folder.run if folder is not None else None
    if folder is None or not run or run.get("inputs") != asked:
        return None
    try:
        for path, sha in run["sources"].items():
            if not Path(path).is_file() or incremental.file_digest(Path(path)) != sha:
                return None
        if not all(folder.current(name, folder.inputs.get(name, "")) for name in run["outputs"]):
            return None
        return Outcome(
            warnings=[Problem(**w) for w in run["warnings"]],
            failures=list(run["failures"]),
            unchanged=[folder.path / name for name in run["outputs"]],
        )
    except (KeyError, TypeError, AttributeError, OSError):  # a record this version cannot read: do the work
        return None
