"""Command line (Click only): the only module that echoes or exits; each command hands its work to `commands`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen import __version__

DIGITS = click.Choice(["arabic", "latin"])


def common(func):
    """Add the options every rendering command shares."""
    options = [
        click.option(
            "--config",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Settings file (default: reportgen.toml in the current folder, if any).",
        ),
        click.option(
            "--templates",
            type=click.Path(file_okay=False, exists=True, path_type=Path),
            help="Folder of your own templates; each file overrides the built-in one of the same name.",
        ),
        click.option(
            "--digits",
            type=DIGITS,
            default=None,
            help="Arabic-Indic (٠١٢٣, default) or Latin (0123) digits in text, tables and page numbers.",
        ),
        click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors."),
        click.option(
            "--strict",
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help="Fail, writing nothing, when a character is in none of the bundled fonts (otherwise a warning).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _remember(ctx, param, value):
    """Keep an option for _settings without adding it to every command's parameters."""
    ctx.meta[param.name] = value


def _settings(config, templates, digits, quiet, **extra):
    from reportgen.settings import load

    strict = click.get_current_context().meta.get("strict") or None
    return load(config, templates_dir=templates, digits=digits, quiet=quiet or None, strict=strict, **extra)


def _report(outcome, quiet: bool) -> None:
    if quiet:
        return
    for w in outcome.warnings:
        click.echo(w.describe(), err=True)
    for path in outcome.written:
        click.echo(f"wrote {path}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected failures.")
@click.pass_context
def cli(ctx, debug):
    """Arabic right-to-left PDF documents from a natural-production-cluster workbook.

    \b
    reportgen init my-programme/                      starter workbook + reportgen.toml
    reportgen validate clusters.xlsx                  every problem, located
    reportgen brief clusters.xlsx -o brief.pdf        the strategy brief
    reportgen handout clusters.xlsx -o handout.pdf    conference programme and fact sheets
    reportgen keys new --name "الهيئة …"              the certification body's signing key
    reportgen dossiers clusters.xlsx -o dossiers/     signed certification dossiers + register.xlsx
    reportgen verify dossiers/*.pdf                   check certificates; exit 0 intact and in force, 1 not
    reportgen suspend|withdraw|reinstate NUMBER       change a certificate's status (--reason)
    reportgen serve [clusters.xlsx]                   all of it in your web browser, in Arabic
    """
    ctx.obj = {"debug": debug}


_KEY_DIR = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Folder of the workbook, where the key is kept (default: the current folder).",
)
_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="File whose first line is the key's password (otherwise you are asked for it).",
)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing workbook.xlsx / reportgen.toml.")
@click.option(
    "--body",
    metavar="NAME",
    help="Also make the signing key of the certification body NAME (as `reportgen keys new --name NAME`).",
)
@_PASSWORD_FILE
def init(directory, force, body, password_file):
    """Write a starter workbook (every sheet, headers, drop-downs, 3 example rows) and reportgen.toml."""
    from reportgen.commands import init as command
    from reportgen.commands import keys as key_command

    if body is not None:
        key_command.targets(directory, force)  # before anything is written
        password = _password("the new signing key", password_file, "--password-file", confirm=True)
    for path in command.run(directory, force=force):
        click.echo(f"wrote {path}")
    if body is not None:
        key_path, cert_path, _ = key_command.new(directory, body, password, force)
        click.echo(f"wrote {key_path}")
        click.echo(f"wrote {cert_path}")
    else:
        click.echo(f'to sign dossiers, make the body\'s key: reportgen keys new --dir {directory} --name "…"')


@cli.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="Settings file.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
def validate(workbook, config, quiet):
    """List every problem of WORKBOOK with its sheet and cell; exit 0 when clean, 1 when not."""
    from reportgen.commands import validate as command

    settings = _settings(config, None, None, quiet)
    parsed, problems = command.run(workbook, settings)
    for p in problems:
        if p.is_error or not quiet:
            click.echo(p.describe())
    errors = len(parsed.errors)
    warnings = len(problems) - errors
    if not quiet:
        d = parsed.dataset
        click.echo(
            f"{workbook}: {len(d.clusters)} clusters, {len(d.interventions)} interventions, "
            f"{len(d.assessments)} assessed criteria, {len(d.certifications)} certifications, "
            f"{len(d.programme)} sessions; {errors} error(s), {warnings} warning(s)"
        )
    sys.exit(1 if errors else 0)


@cli.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PDF to write."
)
@click.option("--region", help='Only this region, e.g. "Upper Egypt" or "صعيد مصر".')
@click.option(
    "--governorate",
    "governorates",
    multiple=True,
    help="Only this governorate (Arabic or English name, or ISO code); repeat for several.",
)
@click.option("--force", is_flag=True, help="Replace the output file even if reportgen did not make it.")
@common
def brief(workbook, out, region, governorates, force, config, templates, digits, quiet):
    """Render the strategy brief of WORKBOOK (national, or narrowed to a region/governorates)."""
    from reportgen.commands import brief as command

    settings = _settings(config, templates, digits, quiet)
    _report(command.run(workbook, out, settings, region, tuple(governorates), _stage("brief", quiet), force), quiet)


@cli.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The PDF to write."
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "A5"], case_sensitive=False),
    default=None,
    help="Page size of the handout (default A4; A5 with --booklet).",
)
@click.option(
    "--booklet",
    is_flag=True,
    help="Impose for saddle-stitching, bound on the right: two pages per side of a sheet twice "
    "their width (A5 pages on A4 sheets); print double-sided, flip on the short edge.",
)
@click.option(
    "--bleed",
    "bleed_mm",
    type=click.FloatRange(0, 10),
    default=0,
    metavar="MM",
    help="Bleed in millimetres, with crop marks, for a press (e.g. 3).",
)
@click.option("--region", help='Only this region\'s clusters, e.g. "Upper Egypt" or "صعيد مصر".')
@click.option(
    "--governorate",
    "governorates",
    multiple=True,
    help="Only this governorate's clusters (Arabic or English name, or ISO code); repeat for several.",
)
@click.option(
    "--all-clusters",
    is_flag=True,
    help="Every cluster, even when the settings name the conference's city (whose region is the default).",
)
@click.option("--force", is_flag=True, help="Replace the output file even if reportgen did not make it.")
@common
def handout(
    workbook, out, paper, booklet, bleed_mm, region, governorates, all_clusters, force, config, templates, digits, quiet
):
    """Render the conference handout of WORKBOOK: cover, programme, a fact sheet per cluster, closing page."""
    from reportgen.commands import handout as command

    if booklet and bleed_mm:
        raise click.UsageError(
            "--booklet and --bleed do not go together: a press imposes bled pages itself, "
            "so give it the pages (--bleed) and keep --booklet for office printers"
        )
    settings = _settings(config, templates, digits, quiet)
    _report(
        command.run(
            workbook,
            out,
            settings,
            paper and paper.upper(),
            booklet,
            bleed_mm,
            region,
            tuple(governorates),
            _stage("handout", quiet),
            force,
            all_clusters,
        ),
        quiet,
    )


def _password(what: str, password_file: Path | None, option: str, confirm: bool = False) -> bytes:
    """Return a password: the first line of password_file, else asked on a terminal, else a usage error."""
    if password_file is not None:
        lines = password_file.read_bytes().splitlines()
        return lines[0] if lines else b""
    if sys.stdin.isatty():
        text = click.prompt(
            f"password for {what}", hide_input=True, default="", show_default=False, confirmation_prompt=confirm
        )
        return text.encode("utf-8")
    raise click.UsageError(f"{what} needs {option} when there is no terminal to ask for the password")


def _signing_key(workbook: Path, path: Path | None, password_file: Path | None, unsigned: bool):
    """Return the signing key: --sign, else the one kept beside the workbook; None for --unsigned drafts."""
    from reportgen.certification import keys
    from reportgen.certification.signing import read_key

    if unsigned:
        if path is not None or password_file is not None:
            raise click.UsageError("--unsigned makes drafts: it does not go with --sign or --sign-password-file")
        return None
    if path is None:
        path = keys.beside(workbook)[0]
        if not path.is_file():
            from reportgen.commands.dossiers import NO_KEY

            raise click.UsageError(f"{NO_KEY} (looked for {path})")
    password = _password(str(path), password_file, "--sign-password-file")
    return read_key(path, password or None)


def _stage(command: str, quiet: bool):
    """Return what prints a run's stages on standard error ("brief: laying out the pages"), or ignores them."""
    if quiet:
        return lambda text: None
    return lambda text: click.echo(f"{command}: {text}", err=True)


class _Lines:
    """Progress as one line per document done ("dossiers: 3/16"), for output that is not a terminal."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        self.done += n
        click.echo(f"dossiers: {self.done}/{self.total}", err=True)


def _progress(quiet: bool):
    """Return a progress-bar maker: a bar on a terminal, lines otherwise, None when quiet."""
    if quiet:
        return None
    if not sys.stderr.isatty():
        return _Lines
    return lambda total: click.progressbar(length=total, label="dossiers", file=sys.stderr)


@cli.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the dossiers (one PDF per certified cluster) and register.xlsx.",
)
@click.option("--cluster", "clusters", multiple=True, help="Only this cluster's dossier (its id); repeat for several.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Dossiers rendered at once, each in its own process (default: one per core).",
)
@click.option(
    "--sign",
    "sign_key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="PKCS#12 file (.p12/.pfx) of the certification body to sign each dossier with (PAdES); "
    "default: signing-key.p12 beside the workbook (see `reportgen keys new`).",
)
@click.option(
    "--unsigned",
    is_flag=True,
    help='Make drafts without a key: unsigned, and every page marked "DRAFT — not a certificate".',
)
@click.option(
    "--sign-password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="File whose first line is the PKCS#12 password (otherwise you are asked for it).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Render every dossier, even those whose data, templates, fonts and settings are unchanged.",
)
@click.option(
    "--executor",
    default="local",
    metavar="local|dask://HOST:PORT",
    help="Where to render: local processes (default), or the workers of the Dask cluster whose "
    "scheduler is at HOST:PORT (pip install 'reportgen[dask]'; see README).",
)
@common
def dossiers(
    workbook,
    out,
    clusters,
    jobs,
    sign_key,
    unsigned,
    sign_password_file,
    force,
    executor,
    config,
    templates,
    digits,
    quiet,
):
    """Render a certification dossier per certified cluster of WORKBOOK, and the register.

    Every dossier is signed with the certification body's key (signing-key.p12 beside the workbook, or
    --sign), and the body's certificate is kept beside the register for `reportgen verify`. Only the
    dossiers whose inputs changed since the last run into the folder are rendered again.
    """
    from reportgen.commands import dossiers as command

    settings = _settings(config, templates, digits, quiet)
    key = _signing_key(workbook, sign_key, sign_password_file, unsigned)
    outcome = command.run(
        workbook, out, settings, tuple(clusters), jobs, key, _progress(quiet), force, executor, unsigned=unsigned
    )
    _report(outcome, quiet)
    for path in outcome.kept:
        click.echo(
            f"warning: {path}: a file reportgen wrote had been changed by hand; it is kept under this "
            "name and was rendered again",
            err=True,
        )
    if outcome.unchanged and not quiet:
        click.echo(f"{len(outcome.unchanged)} file(s) in {out} already up to date")
    for failure in outcome.failures:
        click.echo(f"error: {failure}", err=True)
    sys.exit(1 if outcome.failures else 0)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Certificate (PEM or DER) of the certification body; signatures must chain to one. Repeatable. "
    "Default: body-certificate.pem in the dossiers folder.",
)
@click.option(
    "--dossiers",
    "dossiers_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="The dossiers folder whose body-certificate.pem and status-log.jsonl to use (default: each file's folder).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the files that fail.")
def verify(files, trust, dossiers_dir, quiet):
    """Check each dossier FILE: intact, signed by the trusted certification body, and in force.

    \b
    A file is OK (exit 0) only when its record, fingerprint and QR codes agree, it is signed and the
    signature covers the whole file, the signer is trusted, and the certificate is not expired,
    suspended, withdrawn or superseded. Otherwise it FAILED (exit 1), with the reasons.
    """
    from reportgen.commands import verify as command

    failed = 0
    for verdict in command.run(list(files), list(trust), dossiers_dir):
        failed += not verdict.ok
        if not (quiet and verdict.ok):
            click.echo(verdict.line())
    sys.exit(1 if failed else 0)


@cli.group()
def keys():
    """The certification body's signing key: make one, or import one from a certification authority."""


@keys.command("new")
@click.option(
    "--name", required=True, help='The certification body\'s name, as signatures show it (e.g. "الهيئة X 2030").'
)
@_KEY_DIR
@_PASSWORD_FILE
@click.option(
    "--force", is_flag=True, help="Replace an existing key (dossiers signed with it then need its old certificate)."
)
def keys_new(name, directory, password_file, force):
    """Make the body's signing key (Ed25519) and self-signed certificate, beside the workbook.

    \b
    signing-key.p12          the private key, encrypted with the password
    signing-certificate.pem  the certificate, for those who verify (--trust)
    """
    from reportgen.commands import keys as command

    password = _password("the new signing key", password_file, "--password-file", confirm=True)
    key_path, cert_path, made = command.new(directory, name, password, force)
    click.echo(f"wrote {key_path} (the private key: keep it and its password safe)")
    click.echo(f"wrote {cert_path} (give it to those who verify your dossiers: reportgen verify --trust)")


@keys.command("import")
@click.argument("p12", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_KEY_DIR
@_PASSWORD_FILE
@click.option("--force", is_flag=True, help="Replace an existing key.")
def keys_import(p12, directory, password_file, force):
    """Keep a PKCS#12 key (.p12/.pfx) from a certification authority as the body's signing key."""
    from reportgen.commands import keys as command

    password = _password(str(p12), password_file, "--password-file")
    key_path, cert_path, made = command.import_p12(p12, password or None, directory, force)
    click.echo(f"wrote {key_path} (signed by {made.subject}, {made.algorithm})")
    click.echo(f"wrote {cert_path}")
    if made.algorithm == "ECDSA":
        click.echo("note: an ECDSA key signs differently each run, so signed dossiers are not byte-identical", err=True)


_STATUS_OPTIONS = [
    click.option("--reason", required=True, help="Why (kept in the status log, shown by `verify`)."),
    click.option(
        "--dossiers",
        "dossiers_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=".",
        help="The dossiers folder (with register.xlsx) the certificate was issued into (default: current folder).",
    ),
    click.option("--by", default="", help="Who decided (default: the system user)."),
]


def _status_options(func):
    for option in reversed(_STATUS_OPTIONS):
        func = option(func)
    return func


def _change_status(action: str, number: str, reason: str, dossiers_dir: Path, by: str, new: str = "") -> None:
    from reportgen.commands import status as command

    status = command.run(action, number, reason, dossiers_dir, by, new)
    click.echo(f"{number.strip().upper()}: {status.sentence()}")


@cli.command()
@click.argument("number")
@_status_options
def suspend(number, reason, dossiers_dir, by):
    """Suspend certificate NUMBER: `verify` then fails it until it is reinstated."""
    _change_status("suspend", number, reason, dossiers_dir, by)


@cli.command()
@click.argument("number")
@_status_options
def withdraw(number, reason, dossiers_dir, by):
    """Withdraw certificate NUMBER for good: `verify` fails it from now on."""
    _change_status("withdraw", number, reason, dossiers_dir, by)


@cli.command()
@click.argument("number")
@_status_options
def reinstate(number, reason, dossiers_dir, by):
    """Reinstate suspended certificate NUMBER."""
    _change_status("reinstate", number, reason, dossiers_dir, by)


@cli.command()
@click.argument("number")
@click.option("--new", "new", required=True, help="Number of the certificate issued to replace it.")
@_status_options
def renew(number, new, reason, dossiers_dir, by):
    """Record that certificate NEW supersedes NUMBER (renewal or reissue): NUMBER then reads superseded."""
    _change_status("supersede", number, reason, dossiers_dir, by, new)


SERVE_EXTRA = "reportgen serve needs its extra: pip install 'reportgen[serve]' (make demo installs it)"


@cli.command()
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a web browser.")
@click.option(
    "--lang",
    type=click.Choice(["ar", "en"]),
    default="ar",
    help="Language of the pages (default: Arabic, right to left); each page switches with one click.",
)
def serve(workbook, port, no_browser, lang):
    """Open reportgen in your web browser: check a workbook, preview and make documents, verify dossiers.

    \b
    It listens on this computer only (127.0.0.1) and the address it prints carries a key for this launch.
    WORKBOOK, when given, is watched: save it in Excel and the page checks it again. Uploaded files and
    generated documents stay in a temporary folder, removed when you stop it with Ctrl-C.
    """
    import webbrowser

    try:
        from reportgen.serve import app, server
        from reportgen.serve.session import Session
    except ModuleNotFoundError as exc:
        raise click.UsageError(f"{SERVE_EXTRA} ({exc.name} is missing)") from None
    try:
        sock = server.bind(port)
    except OSError as exc:
        raise click.UsageError(f"port {port} on 127.0.0.1 cannot be used ({exc.strerror}); leave --port out") from None
    with Session.open(workbook, lang) as session:
        url = f"http://{server.HOST}:{sock.getsockname()[1]}/?token={session.token}"
        click.echo(f"reportgen serve: open {url}")
        click.echo("stop it with Ctrl-C (the uploaded files are removed)")
        if not no_browser:
            webbrowser.open(url)
        try:
            server.run(app.create(session), sock, session.closing.set)
        except KeyboardInterrupt:
            pass
    click.echo("reportgen serve stopped; its temporary files are removed")


class Terminated(KeyboardInterrupt):
    """Raised on SIGTERM, so that a stopped run cleans up exactly as one stopped with Ctrl-C does."""


def _terminate(signum, frame) -> None:
    raise Terminated


def main() -> None:
    """Run the CLI; unexpected failures print one line unless --debug is given."""
    import signal

    debug = "--debug" in sys.argv[1:]
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort as exc:  # Click turns Ctrl-C into Abort
        click.echo("interrupted; nothing was written", err=True)
        sys.exit(143 if isinstance(exc.__cause__, Terminated) else 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        click.echo("interrupted; nothing was written", err=True)
        sys.exit(143 if isinstance(exc, Terminated) else 130)
    except Exception as exc:
        if debug:
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
