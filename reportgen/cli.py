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
    reportgen dossiers clusters.xlsx -o dossiers/     certification dossiers + register.xlsx
    reportgen verify dossiers/*.pdf                   check certificates; exit 0 intact, 1 not
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Overwrite an existing workbook.xlsx / reportgen.toml.")
def init(directory, force):
    """Write a starter workbook (every sheet, headers, drop-downs, 3 example rows) and reportgen.toml."""
    from reportgen.commands import init as command

    for path in command.run(directory, force=force):
        click.echo(f"wrote {path}")


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


def _signing_key(path: Path | None, password_file: Path | None):
    """Return the signing key for --sign, asking for its password on a terminal when no file gives it."""
    if path is None:
        if password_file is not None:
            raise click.UsageError("--sign-password-file is only used with --sign")
        return None
    from reportgen.certification.signing import read_key

    if password_file is not None:
        lines = password_file.read_bytes().splitlines()
        password = lines[0] if lines else b""
    elif sys.stdin.isatty():
        password = click.prompt(f"password for {path}", hide_input=True, default="", show_default=False).encode("utf-8")
    else:
        raise click.UsageError("--sign needs --sign-password-file when there is no terminal to ask for the password")
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
    help="PKCS#12 file (.p12/.pfx) of the certifying body: sign each dossier (PAdES).",
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
    workbook, out, clusters, jobs, sign_key, sign_password_file, force, executor, config, templates, digits, quiet
):
    """Render a certification dossier per certified cluster of WORKBOOK, and the register.

    Only the dossiers whose inputs changed since the last run into the folder are rendered again.
    """
    from reportgen.commands import dossiers as command

    settings = _settings(config, templates, digits, quiet)
    key = _signing_key(sign_key, sign_password_file)
    outcome = command.run(workbook, out, settings, tuple(clusters), jobs, key, _progress(quiet), force, executor)
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
    help="Certificate (PEM or DER) of a signer you trust; signatures must chain to one. Repeatable.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the files that fail.")
def verify(files, trust, quiet):
    """Check each dossier FILE: record, fingerprint, QR code and signature; exit 0 when all are intact."""
    from reportgen.commands import verify as command

    failed = 0
    for verdict in command.run(list(files), list(trust)):
        failed += not verdict.ok
        if not (quiet and verdict.ok):
            click.echo(verdict.line())
    sys.exit(1 if failed else 0)


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
