"""Command line (Click only): the only module that echoes or exits; each command hands its work to `commands`."""

from __future__ import annotations

import gettext
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen import __version__, i18n
from reportgen.errors import quoted
from reportgen.i18n import N_, _, ngettext

DIGITS = click.Choice(["arabic", "latin"])
LANGS = click.Choice(list(i18n.LANGUAGES), case_sensitive=False)

# Click's own texts a user sees, marked here so that `make messages` puts them in reportgen's catalog (Click looks
# them up through the stdlib's gettext functions, which _speak_click() points at that catalog).
CLICK_TEXTS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1),
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1),
)
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def _speak_click() -> None:
    """Make Click's own texts ("Usage:", "Error: No such option") follow reportgen's language.

    Click imports the stdlib's ``gettext.gettext`` and ``gettext.ngettext`` into each module as ``_`` and
    ``ngettext``, which read the process's locale and Click's (absent) domain; they are replaced by reportgen's,
    which read the run's language (tests/test_private_apis.py fails if a Click upgrade moves them).
    """
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]


_speak_click()


def _chosen_language(args: list[str]) -> str:
    """Return the language of a run: the last --lang on the command line, else the locale's (LANG, LC_ALL…)."""
    chosen = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return i18n.normalize(chosen) or i18n.from_environment(os.environ)


if TYPE_CHECKING:  # a mixin: Click's Command or Group comes after it
    _Base = click.Command
else:
    _Base = object


class _Translated(_Base):
    """Help texts (written in English, marked with N_) translated when the help is shown, not at import."""

    def format_help_text(self, ctx, formatter) -> None:  # noqa: D102 - Click's signature
        english = self.help
        self.help = _(english) if english else english
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = english

    def get_short_help_str(self, limit: int = 45) -> str:  # noqa: D102
        english, short = self.help, self.short_help
        self.help = _(english) if english else english
        self.short_help = _(short) if short else short
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help, self.short_help = english, short

    def format_options(self, ctx, formatter) -> None:  # noqa: D102
        saved = [(p, getattr(p, "help", None)) for p in self.get_params(ctx)]
        for param, english in saved:
            if english:
                param.help = _(english)
        try:
            super().format_options(ctx, formatter)
        finally:
            for param, english in saved:
                if english:
                    param.help = english

    def get_params(self, ctx) -> list[click.Parameter]:  # noqa: D102 - --lang is accepted after any command too
        params = super().get_params(ctx)
        return params if any(p.name == "lang" for p in params) else [*params, _LANG_OPTION]


_LANG_HELP = N_("Language of messages and help: ar (Arabic) or en (English); default: the locale's (LANG).")
_LANG_OPTION = click.Option(["--lang"], type=LANGS, expose_value=False, help=_LANG_HELP)


class Command(_Translated, click.Command):
    """A command whose help is shown in the run's language."""


class Group(_Translated, click.Group):
    """A group whose help is shown in the run's language, and whose commands are Commands and Groups too."""

    command_class = Command
    group_class = type  # subgroups are of this class too

    def main(self, args=None, *rest, **extra):  # noqa: D102 - the run's language is chosen before anything else
        argv = list(sys.argv[1:] if args is None else args)
        with i18n.language(_chosen_language(argv)):
            return super().main(argv, *rest, **extra)


def common(func):
    """Add the options every rendering command shares."""
    options = [
        click.option(
            "--config",
            type=click.Path(dir_okay=False, path_type=Path),
            help=N_("Settings file (default: reportgen.toml beside the workbook, else in the current folder)."),
        ),
        click.option(
            "--templates",
            type=click.Path(file_okay=False, exists=True, path_type=Path),
            help=N_("Folder of your own templates; each file overrides the built-in one of the same name."),
        ),
        click.option(
            "--digits",
            type=DIGITS,
            default=None,
            help=N_("Arabic-Indic (٠١٢٣, default) or Latin (0123) digits in text, tables and page numbers."),
        ),
        click.option("--quiet", "-q", is_flag=True, help=N_("Print nothing but errors.")),
        click.option(
            "--strict",
            is_flag=True,
            expose_value=False,
            callback=_remember,
            help=N_("Fail, writing nothing, when a character is in none of the bundled fonts (otherwise a warning)."),
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _remember(ctx, param, value):
    """Keep an option for _settings without adding it to every command's parameters."""
    ctx.meta[param.name] = value


def _settings(workbook, config, templates, digits, quiet, **extra):
    """Return the run's settings (reportgen.toml beside the workbook, else in the current folder); name the file."""
    from reportgen.settings import load

    strict = click.get_current_context().meta.get("strict") or None
    settings = load(
        config, templates_dir=templates, digits=digits, quiet=quiet or None, strict=strict, workbook=workbook, **extra
    )
    if not quiet:
        if settings.source is not None:
            click.echo(_("settings: {path}").format(path=quoted(settings.source)), err=True)
        else:
            click.echo(
                _("settings: no reportgen.toml beside the workbook or in the current folder; the defaults are used"),
                err=True,
            )
    return settings


def _pdf(path: Path) -> Path:
    """Return the output path, .pdf added to a name without an extension; refuse another extension (.xlsx…)."""
    from reportgen.errors import ReportgenError

    if path.suffix.lower() == ".pdf":
        return path
    if not path.suffix:
        return path.with_name(path.name + ".pdf")
    raise ReportgenError(
        _("{path}: reportgen writes PDF documents; give an output name ending in .pdf").format(path=quoted(path))
    )


def _show_version(ctx: click.Context, asked: bool) -> None:
    """Print the version, in the run's language (Click's own option words it when the module is imported)."""
    if asked and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "reportgen", "version": __version__})
        ctx.exit()


def _report(outcome, quiet: bool) -> None:
    if quiet:
        return
    for w in outcome.warnings:
        click.echo(w.describe(), err=True)
    for path in outcome.written:
        click.echo(_("wrote {path}").format(path=quoted(path)))


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "Arabic right-to-left PDF documents from a natural-production-cluster workbook.\n"
        "\n"
        "\b\n"
        "reportgen init my-programme/                      starter workbook + reportgen.toml\n"
        "reportgen validate clusters.xlsx                  every problem, located\n"
        "reportgen brief clusters.xlsx -o brief.pdf        the strategy brief\n"
        "reportgen handout clusters.xlsx -o handout.pdf    conference programme and fact sheets\n"
        'reportgen keys new --name "الهيئة …"              the certification body\'s signing key\n'
        "reportgen dossiers clusters.xlsx -o dossiers/     signed certification dossiers + register.xlsx\n"
        "reportgen verify dossiers/*.pdf                   check certificates; exit 0 intact and in force, 1 not\n"
        "reportgen suspend|withdraw|reinstate NUMBER       change a certificate's status (--reason)\n"
        "reportgen site dossiers/ -o site/ --sign KEY.p12  the static verification site (pages, register, badges)\n"
        "reportgen serve [clusters.xlsx]                   all of it in your web browser, in Arabic\n"
        "\n"
        "Messages are in Arabic when the locale is Arabic (LANG=ar_EG.UTF-8) or with --lang ar."
    ),
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, param, value: _show_version(ctx, value),
    help=N_("Show the version and exit."),
)
@click.option("--debug", is_flag=True, help=N_("Show Python tracebacks for unexpected failures."))
@click.option(
    "--lang",
    type=LANGS,
    expose_value=False,
    help=_LANG_HELP,
)
@click.pass_context
def cli(ctx, debug):
    """Run reportgen (the group's help is its help= text, shown in the run's language)."""
    ctx.obj = {"debug": debug}


_KEY_DIR = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help=N_("Folder of the workbook, where the key is kept (default: the current folder)."),
)
_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=N_("File whose first line is the key's password (otherwise you are asked for it)."),
)
_SIGN_PASSWORD_FILE = click.option(
    "--sign-password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=N_("File whose first line is the PKCS#12 password (otherwise you are asked for it)."),
)


@cli.command(help=N_("Write a starter workbook (every sheet, headers, drop-downs, 3 example rows) and reportgen.toml."))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help=N_("Overwrite an existing workbook.xlsx / reportgen.toml."))
@click.option(
    "--body",
    metavar="NAME",
    help=N_("Also make the signing key of the certification body NAME (as `reportgen keys new --name NAME`)."),
)
@_PASSWORD_FILE
def init(directory, force, body, password_file):
    """Write a starter workbook and reportgen.toml."""
    from reportgen.commands import init as command
    from reportgen.commands import keys as key_command

    if body is not None:
        key_command.targets(directory, force)  # before anything is written
        password = _password(_("the new signing key"), password_file, "--password-file", confirm=True)
    for path in command.run(directory, force=force):
        click.echo(_("wrote {path}").format(path=quoted(path)))
    if body is not None:
        key_path, cert_path, _made = key_command.new(directory, body, password, force)
        click.echo(_("wrote {path}").format(path=quoted(key_path)))
        click.echo(_("wrote {path}").format(path=quoted(cert_path)))
    else:
        click.echo(
            _('to sign dossiers, make the body\'s key: reportgen keys new --dir {folder} --name "…"').format(
                folder=directory
            )
        )


@cli.command(help=N_("List every problem of WORKBOOK with its sheet and cell; exit 0 when clean, 1 when not."))
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Settings file (default: reportgen.toml beside the workbook, else in the current folder)."),
)
@click.option("--quiet", "-q", is_flag=True, help=N_("Print only errors."))
def validate(workbook, config, quiet):
    """List every problem of the workbook."""
    from reportgen.commands import validate as command

    settings = _settings(workbook, config, None, None, quiet)
    parsed, problems = command.run(workbook, settings)
    for p in problems:
        if p.is_error or not quiet:
            click.echo(p.describe())
    errors = len(parsed.errors)
    warnings = len(problems) - errors
    if not quiet:
        d = parsed.dataset
        counts = _(", ").join(
            (
                ngettext("{n} cluster", "{n} clusters", len(d.clusters)).format(n=len(d.clusters)),
                ngettext("{n} intervention", "{n} interventions", len(d.interventions)).format(n=len(d.interventions)),
                ngettext("{n} assessed criterion", "{n} assessed criteria", len(d.assessments)).format(
                    n=len(d.assessments)
                ),
                ngettext("{n} certification", "{n} certifications", len(d.certifications)).format(
                    n=len(d.certifications)
                ),
                ngettext("{n} session", "{n} sessions", len(d.programme)).format(n=len(d.programme)),
            )
        )
        verdict = _(", ").join(
            (
                ngettext("{n} error(s)", "{n} error(s)", errors).format(n=errors),
                ngettext("{n} warning(s)", "{n} warning(s)", warnings).format(n=warnings),
            )
        )
        click.echo(
            _("{workbook}: {counts}; {verdict}").format(workbook=quoted(workbook), counts=counts, verdict=verdict)
        )
    sys.exit(1 if errors else 0)


_PDF_OUTPUT = click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The PDF to write (.pdf is added to a name without an extension)."),
)


@cli.command(help=N_("Render the strategy brief of WORKBOOK (national, or narrowed to a region/governorates)."))
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@_PDF_OUTPUT
@click.option("--region", help=N_('Only this region, e.g. "Upper Egypt" or "صعيد مصر".'))
@click.option(
    "--governorate",
    "governorates",
    multiple=True,
    help=N_("Only this governorate (Arabic or English name, or ISO code); repeat for several."),
)
@click.option("--force", is_flag=True, help=N_("Replace the output file even if reportgen did not make it."))
@common
def brief(workbook, out, region, governorates, force, config, templates, digits, quiet):
    """Render the strategy brief."""
    from reportgen.commands import brief as command

    settings = _settings(workbook, config, templates, digits, quiet)
    outcome = command.run(workbook, _pdf(out), settings, region, tuple(governorates), _stage("brief", quiet), force)
    _report(outcome, quiet)


@cli.command(
    help=N_("Render the conference handout of WORKBOOK: cover, programme, a fact sheet per cluster, closing page.")
)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@_PDF_OUTPUT
@click.option(
    "--paper",
    type=click.Choice(["A4", "A5"], case_sensitive=False),
    default=None,
    help=N_("Page size of the handout (default A4; A5 with --booklet)."),
)
@click.option(
    "--booklet",
    is_flag=True,
    help=N_(
        "Impose for saddle-stitching, bound on the right: two pages per side of a sheet twice "
        "their width (A5 pages on A4 sheets); print double-sided, flip on the short edge."
    ),
)
@click.option(
    "--bleed",
    "bleed_mm",
    type=click.FloatRange(0, 10),
    default=0,
    metavar="MM",
    help=N_("Bleed in millimetres, with crop marks, for a press (e.g. 3)."),
)
@click.option("--region", help=N_('Only this region\'s clusters, e.g. "Upper Egypt" or "صعيد مصر".'))
@click.option(
    "--governorate",
    "governorates",
    multiple=True,
    help=N_("Only this governorate's clusters (Arabic or English name, or ISO code); repeat for several."),
)
@click.option(
    "--all-clusters",
    is_flag=True,
    help=N_("Every cluster, even when the settings name the conference's city (whose region is the default)."),
)
@click.option("--force", is_flag=True, help=N_("Replace the output file even if reportgen did not make it."))
@common
def handout(
    workbook, out, paper, booklet, bleed_mm, region, governorates, all_clusters, force, config, templates, digits, quiet
):
    """Render the conference handout."""
    from reportgen.commands import handout as command

    if booklet and bleed_mm:
        raise click.UsageError(
            _(
                "--booklet and --bleed do not go together: a press imposes bled pages itself, "
                "so give it the pages (--bleed) and keep --booklet for office printers"
            )
        )
    settings = _settings(workbook, config, templates, digits, quiet)
    _report(
        command.run(
            workbook,
            _pdf(out),
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
            _("password for {what}").format(what=what),
            hide_input=True,
            default="",
            show_default=False,
            confirmation_prompt=confirm,
        )
        return text.encode("utf-8")
    raise click.UsageError(
        _("{what} needs {option} when there is no terminal to ask for the password").format(what=what, option=option)
    )


def _signing_key(workbook: Path, path: Path | None, password_file: Path | None, unsigned: bool):
    """Return the signing key: --sign, else the one kept beside the workbook; None for --unsigned drafts."""
    from reportgen.certification import keys
    from reportgen.certification.signing import read_key

    if unsigned:
        if path is not None or password_file is not None:
            raise click.UsageError(_("--unsigned makes drafts: it does not go with --sign or --sign-password-file"))
        return None
    if path is None:
        path = keys.beside(workbook)[0]
        if not path.is_file():
            from reportgen.commands.dossiers import NO_KEY

            raise click.UsageError(_("{problem} (looked for {path})").format(problem=_(NO_KEY), path=quoted(path)))
    password = _password(str(path), password_file, "--sign-password-file")
    return read_key(path, password or None)


def _stage(command: str, quiet: bool):
    """Return what prints a run's stages on standard error ("brief: laying out the pages"), or ignores them."""
    if quiet:
        return lambda text: None
    return lambda text: click.echo(_("{command}: {stage}").format(command=command, stage=text), err=True)


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
        click.echo(
            _("{command}: {done}/{total}").format(command="dossiers", done=self.done, total=self.total), err=True
        )


def _progress(quiet: bool):
    """Return a progress-bar maker: a bar on a terminal, lines otherwise, None when quiet."""
    if quiet:
        return None
    if not sys.stderr.isatty():
        return _Lines
    return lambda total: click.progressbar(length=total, label="dossiers", file=sys.stderr)


@cli.command(
    help=N_(
        "Render a certification dossier per certified cluster of WORKBOOK, and the register.\n"
        "\n"
        "Every dossier is signed with the certification body's key (signing-key.p12 beside the workbook, or "
        "--sign), and the body's certificate is kept beside the register for `reportgen verify`. Only the "
        "dossiers whose inputs changed since the last run into the folder are rendered again."
    )
)
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("Folder for the dossiers (one PDF per certified cluster) and register.xlsx."),
)
@click.option(
    "--cluster", "clusters", multiple=True, help=N_("Only this cluster's dossier (its id); repeat for several.")
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help=N_("Dossiers rendered at once, each in its own process (default: one per core)."),
)
@click.option(
    "--sign",
    "sign_key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=N_(
        "PKCS#12 file (.p12/.pfx) of the certification body to sign each dossier with (PAdES); "
        "default: signing-key.p12 beside the workbook (see `reportgen keys new`)."
    ),
)
@click.option(
    "--unsigned",
    is_flag=True,
    help=N_('Make drafts without a key: unsigned, and every page marked "DRAFT — not a certificate".'),
)
@_SIGN_PASSWORD_FILE
@click.option(
    "--force",
    is_flag=True,
    help=N_("Render every dossier, even those whose data, templates, fonts and settings are unchanged."),
)
@click.option(
    "--executor",
    default="local",
    metavar="local|dask://HOST:PORT",
    help=N_(
        "Where to render: local processes (default), or the workers of the Dask cluster whose "
        "scheduler is at HOST:PORT (pip install 'reportgen[dask]'; see README)."
    ),
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
    """Render the certification dossiers and the register."""
    from reportgen.commands import dossiers as command

    settings = _settings(workbook, config, templates, digits, quiet)
    key = _signing_key(workbook, sign_key, sign_password_file, unsigned)
    outcome = command.run(
        workbook,
        out,
        settings,
        tuple(clusters),
        jobs,
        key,
        _progress(quiet),
        force,
        executor,
        unsigned=unsigned,
        stage=_stage("dossiers", quiet),
    )
    _report(outcome, quiet)
    for path in outcome.kept:
        problem = _(
            "{path}: a file reportgen wrote had been changed by hand; it is kept under this name and was rendered again"
        )
        click.echo(_("{severity}: ").format(severity=_("warning")) + problem.format(path=quoted(path)), err=True)
    if outcome.unchanged and not quiet:
        n = len(outcome.unchanged)
        click.echo(
            ngettext("{n} file in {folder} already up to date", "{n} files in {folder} already up to date", n).format(
                n=n, folder=out
            )
        )
    for failure in outcome.failures:
        click.echo(_("{severity}: ").format(severity=_("error")) + failure, err=True)
    sys.exit(1 if outcome.failures else 0)


@cli.command(
    help=N_(
        "Check each dossier FILE: intact, signed by the trusted certification body, and in force.\n"
        "\n"
        "\b\n"
        "A file is OK (exit 0) only when its record, fingerprint and QR codes agree, it is signed and the\n"
        "signature covers the whole file, the signer is trusted, and the certificate is not expired,\n"
        "suspended, withdrawn or superseded. Otherwise it FAILED (exit 1), with the reasons."
    )
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=N_(
        "Certificate (PEM or DER) of the certification body; signatures must chain to one. Repeatable. "
        "Default: body-certificate.pem in the dossiers folder."
    ),
)
@click.option(
    "--dossiers",
    "dossiers_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=N_(
        "The dossiers folder whose body-certificate.pem and status-log.jsonl to use (default: each file's folder)."
    ),
)
@click.option("--quiet", "-q", is_flag=True, help=N_("Print only the files that fail."))
def verify(files, trust, dossiers_dir, quiet):
    """Check each dossier file."""
    from reportgen.commands import verify as command

    failed = 0
    for verdict in command.run(list(files), list(trust), dossiers_dir):
        failed += not verdict.ok
        if not (quiet and verdict.ok):
            click.echo(verdict.line())
    sys.exit(1 if failed else 0)


@cli.command(
    help=N_(
        "Build the static verification site of REGISTER_FOLDER (the folder `reportgen dossiers` wrote).\n"
        "\n"
        "\b\n"
        "One page per certificate (c/NUMBER/, Arabic, with an English page), its status from the status log, a\n"
        'searchable index, "check this PDF" in the browser, the register as JSON signed by the body\'s key, the\n'
        "W3C Bitstring Status Lists and each certificate's Open Badges 3.0 credential. Run it again after every\n"
        "suspend, withdraw, reinstate or renew, then upload the folder to any web host."
    )
)
@click.argument(
    "dossiers_dir", metavar="REGISTER_FOLDER", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("Folder for the site (made, or replaced whole when reportgen made it before)."),
)
@click.option(
    "--sign",
    "sign_key",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=N_("The certification body's PKCS#12 key, which signed the dossiers: it signs the register and status lists."),
)
@_SIGN_PASSWORD_FILE
@click.option(
    "--url",
    default=None,
    help=N_(
        "The site's public address (default: verify_url in reportgen.toml, else the address the dossiers' "
        "QR codes open; the two must agree)."
    ),
)
@common
def site(dossiers_dir, out, sign_key, sign_password_file, url, config, templates, digits, quiet):
    """Build the verification site."""
    from reportgen.certification.signing import read_key
    from reportgen.commands import site as command
    from reportgen.settings import load

    strict = click.get_current_context().meta.get("strict") or None
    settings = load(config, templates_dir=templates, digits=digits, quiet=quiet or None, strict=strict)
    key = read_key(sign_key, _password(str(sign_key), sign_password_file, "--sign-password-file") or None)
    outcome = command.run(dossiers_dir, out, settings, key, url or settings.verify_url)
    _report(outcome, quiet)


@cli.group(help=N_("The certification body's signing key: make one, or import one from a certification authority."))
def keys():
    """Group the key commands."""


@keys.command(
    "new",
    help=N_(
        "Make the body's signing key (RSA-3072, which every PDF reader checks) and self-signed certificate, "
        "beside the workbook.\n"
        "\n"
        "\b\n"
        "signing-key.p12          the private key, encrypted with the password\n"
        "signing-certificate.pem  the certificate, for those who verify (--trust)"
    ),
)
@click.option(
    "--name",
    required=True,
    help=N_('The certification body\'s name, as signatures show it (e.g. "الهيئة X 2030").'),
)
@_KEY_DIR
@_PASSWORD_FILE
@click.option(
    "--force",
    is_flag=True,
    help=N_("Replace an existing key (dossiers signed with it then need its old certificate)."),
)
def keys_new(name, directory, password_file, force):
    """Make the body's signing key."""
    from reportgen.commands import keys as command

    password = _password(_("the new signing key"), password_file, "--password-file", confirm=True)
    key_path, cert_path, made = command.new(directory, name, password, force)
    click.echo(_("wrote {path} (the private key: keep it and its password safe)").format(path=quoted(key_path)))
    click.echo(
        _("wrote {path} (give it to those who verify your dossiers: reportgen verify --trust)").format(
            path=quoted(cert_path)
        )
    )


@keys.command(
    "import", help=N_("Keep a PKCS#12 key (.p12/.pfx) from a certification authority as the body's signing key.")
)
@click.argument("p12", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_KEY_DIR
@_PASSWORD_FILE
@click.option("--force", is_flag=True, help=N_("Replace an existing key."))
def keys_import(p12, directory, password_file, force):
    """Keep a certification authority's key."""
    from reportgen.commands import keys as command

    password = _password(str(p12), password_file, "--password-file")
    key_path, cert_path, made = command.import_p12(p12, password or None, directory, force)
    click.echo(
        _("wrote {path} (signed by {subject}, {algorithm})").format(
            path=quoted(key_path), subject=quoted(made.subject), algorithm=made.algorithm
        )
    )
    click.echo(_("wrote {path}").format(path=quoted(cert_path)))
    if made.algorithm == "ECDSA":
        click.echo(
            _("note: an ECDSA key signs differently each run, so signed dossiers are not byte-identical"), err=True
        )


_STATUS_OPTIONS = [
    click.option("--reason", required=True, help=N_("Why (kept in the status log, shown by `verify`).")),
    click.option(
        "--dossiers",
        "dossiers_dir",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=".",
        help=N_("The dossiers folder (with register.xlsx) the certificate was issued into (default: current folder)."),
    ),
    click.option("--by", default="", help=N_("Who decided (default: the system user).")),
]


def _status_options(func):
    for option in reversed(_STATUS_OPTIONS):
        func = option(func)
    return func


def _change_status(action: str, number: str, reason: str, dossiers_dir: Path, by: str, new: str = "") -> None:
    from reportgen.commands import status as command

    status = command.run(action, number, reason, dossiers_dir, by, new)
    click.echo(f"{quoted(number.strip().upper())}: {status.sentence()}")


@cli.command(help=N_("Suspend certificate NUMBER: `verify` then fails it until it is reinstated."))
@click.argument("number")
@_status_options
def suspend(number, reason, dossiers_dir, by):
    """Suspend a certificate."""
    _change_status("suspend", number, reason, dossiers_dir, by)


@cli.command(help=N_("Withdraw certificate NUMBER for good: `verify` fails it from now on."))
@click.argument("number")
@_status_options
def withdraw(number, reason, dossiers_dir, by):
    """Withdraw a certificate."""
    _change_status("withdraw", number, reason, dossiers_dir, by)


@cli.command(help=N_("Reinstate suspended certificate NUMBER."))
@click.argument("number")
@_status_options
def reinstate(number, reason, dossiers_dir, by):
    """Reinstate a certificate."""
    _change_status("reinstate", number, reason, dossiers_dir, by)


@cli.command(
    help=N_("Record that certificate NEW supersedes NUMBER (renewal or reissue): NUMBER then reads superseded.")
)
@click.argument("number")
@click.option("--new", "new", required=True, help=N_("Number of the certificate issued to replace it."))
@_status_options
def renew(number, new, reason, dossiers_dir, by):
    """Record a renewal."""
    _change_status("supersede", number, reason, dossiers_dir, by, new)


SERVE_EXTRA = N_("reportgen serve needs its extra: pip install 'reportgen[serve]' (make demo installs it)")


@cli.command(
    help=N_(
        "Open reportgen in your web browser: check a workbook, preview and make documents, verify dossiers.\n"
        "\n"
        "It listens on this computer only (127.0.0.1), and the address it prints carries a key for this launch. "
        "WORKBOOK, when given, is watched: save it in Excel and the page checks it again. Uploaded files and "
        "generated documents stay in a temporary folder, removed when you stop it with Ctrl-C."
    )
)
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help=N_("Port on 127.0.0.1 (default: a free one)."))
@click.option("--no-browser", is_flag=True, help=N_("Print the address only; do not open a web browser."))
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help=N_(
        "Language of the pages and messages (default: Arabic pages, right to left); a page switches with one click."
    ),
)
def serve(workbook, port, no_browser, lang):
    """Open reportgen in the web browser."""
    import webbrowser

    try:
        from reportgen.serve import app, server
        from reportgen.serve.session import Session
    except ModuleNotFoundError as exc:
        raise click.UsageError(_(SERVE_EXTRA) + " " + _("({name} is missing)").format(name=exc.name)) from None
    try:
        sock = server.bind(port)
    except OSError as exc:
        raise click.UsageError(
            _("port {port} on 127.0.0.1 cannot be used ({reason}); leave --port out").format(
                port=port, reason=exc.strerror
            )
        ) from None
    with Session.open(workbook, i18n.normalize(lang) or "ar") as session:
        url = f"http://{server.HOST}:{sock.getsockname()[1]}/?token={session.token}"
        # The address alone on its line, with no mark around it: it is copied into a browser as it is.
        click.echo(_("reportgen serve is ready: open this address in your web browser"))
        click.echo(url)
        click.echo(_("stop it with Ctrl-C (the uploaded files are removed)"))
        if not no_browser:
            webbrowser.open(url)
        try:
            server.run(app.create(session), sock, session.closing.set)
        except KeyboardInterrupt:
            pass
    click.echo(_("reportgen serve stopped; its temporary files are removed"))


class Terminated(KeyboardInterrupt):
    """Raised on SIGTERM, so that a stopped run cleans up exactly as one stopped with Ctrl-C does."""


def _terminate(signum, frame) -> None:
    raise Terminated


def main() -> None:
    """Run the CLI; unexpected failures print one line unless --debug is given."""
    import signal

    debug = "--debug" in sys.argv[1:]
    i18n.set_language(_chosen_language(sys.argv[1:]))  # for the messages printed below, outside Click's run
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort as exc:  # Click turns Ctrl-C into Abort
        click.echo(_("interrupted; nothing was written"), err=True)
        sys.exit(143 if isinstance(exc.__cause__, Terminated) else 130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt as exc:
        click.echo(_("interrupted; nothing was written"), err=True)
        sys.exit(143 if isinstance(exc, Terminated) else 130)
    except Exception as exc:
        if debug:
            raise
        click.echo(_unexpected(exc), err=True)
        sys.exit(1)


UNEXPECTED = "reportgen failed unexpectedly"  # what tests look for: a failure no check caught


def _unexpected(exc: Exception) -> str:
    """Return what an unexpected failure tells a user: in words, with the details a bug report needs."""
    if isinstance(exc, MemoryError):
        reason = _("the computer ran out of memory; close other programs or split the workbook, then try again")
    elif isinstance(exc, OSError) and exc.strerror:
        reason = f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    else:
        reason = f"{type(exc).__name__}: {exc}"
    message = _(
        "reportgen failed unexpectedly and wrote nothing ({reason}); please report it with the command you ran "
        "(--debug shows where it happened)"
    ).format(reason=reason)
    return _("{severity}: ").format(severity=_("error")) + message


if __name__ == "__main__":
    main()
