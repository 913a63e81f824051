"""What an output is made from, as digests: its document's data, the templates and fonts, the settings, the tool.

A re-run compares these with the ones the output folder's manifest recorded (outdir.py) and makes
again only the files whose inputs changed. Each digest is SHA-256 over a canonical form, the same on
every run and machine; files are hashed once per run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from reportgen import __version__
from reportgen.settings import Settings, fonts_dir

# Libraries whose version can change what a document looks like (or the register's bytes).
LIBRARIES = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "fonttools",
    "matplotlib",
    "jinja2",
    "babel",
    "hijridate",
    "segno",
    "rfc8785",  # the record's canonical bytes, hence its fingerprint
    "python-stdnum",  # the certificate number's check character
    "uharfbuzz",  # text widths: what a fact sheet keeps and what it shortens
    "pyhanko",
    "openpyxl",
)
# Settings that never change a file: how much is printed, and what --strict refuses. The templates
# folder counts by its files' content; the run's date through what each document shows (its dates).
_NOT_OUTPUT = ("quiet", "strict", "templates_dir", "today")


def digest(*parts: str) -> str:
    """Return the SHA-256 of the parts, kept apart."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def data_digest(value: object) -> str:
    """Return a digest of value's content: dataclasses by the fields that take part in equality (not a
    record's sheet row), containers in order, numbers and dates exactly."""
    text = json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__name__,
            {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare},
        ]
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, dict):
        return ["dict", [[_plain(k), _plain(v)] for k, v in value.items()]]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return ["set", sorted(json.dumps(_plain(v), ensure_ascii=False) for v in value)]
    if isinstance(value, bytes):
        return ["bytes", hashlib.sha256(value).hexdigest()]
    if isinstance(value, dt.date | dt.time):
        return [type(value).__name__, value.isoformat()]
    if isinstance(value, decimal.Decimal):
        return ["decimal", str(value)]
    if isinstance(value, enum.Enum):
        return ["enum", type(value).__name__, value.name]
    if isinstance(value, Path):
        return ["path", str(value)]
    raise TypeError(f"cannot take a digest of a {type(value).__name__}")


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    sha = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def files_digest(files: Iterable[tuple[str, Path]]) -> str:
    """Return a digest of (name, file) pairs: names and contents."""
    return digest(*(f"{name}={file_digest(path)}" for name, path in sorted(files)))


def folder_digest(folder: Path) -> str:
    """Return a digest of every file below folder (hidden files and caches aside)."""
    folder = Path(folder)
    files = [
        (p.relative_to(folder).as_posix(), p)
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
    ]
    return files_digest(files)


@cache
def code_files() -> list[tuple[str, Path]]:
    """Return reportgen's own code and data files (name inside the package, path); templates and fonts apart."""
    package = Path(__file__).resolve().parent.parent
    return [
        (p.relative_to(package).as_posix(), p)
        for p in sorted(package.rglob("*"))
        if p.is_file() and p.suffix in (".py", ".json", ".geojson", ".csv") and "__pycache__" not in p.parts
    ]


def code_digest() -> str:
    """Return a digest of the tool: its version, its own code and data, and the versions of the libraries
    that shape output (so that a changed reportgen or WeasyPrint makes every file again)."""
    own = code_files()
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return digest(__version__, files_digest(own), *versions)


@cache
def fonts_digest() -> str:
    """Return a digest of the bundled fonts (every document uses them)."""
    return folder_digest(fonts_dir())


def settings_digest(settings: Settings) -> str:
    """Return a digest of the settings that can change a document."""
    return data_digest(
        {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name not in _NOT_OUTPUT}
    )


def templates_digest(settings: Settings, template: str) -> str:
    """Return a digest of the template files template uses (all of the folders' files if that cannot be told)."""
    from reportgen.render.html import templates_used

    used = templates_used(settings, template)
    if used is None:
        return digest(*(folder_digest(d) for d in settings.template_dirs()))
    return files_digest((f"{i}:{p.name}", p) for i, p in enumerate(used))


def signer_digest(key) -> str:
    """Return a digest of the signing key's file (a different key signs every dossier again), or "unsigned"."""
    return digest("signed", hashlib.sha256(key.p12).hexdigest()) if key is not None else "unsigned"


def run_digest(settings: Settings, cluster_ids: tuple[str, ...], key) -> str:
    """Return a digest of everything a dossiers run is asked to do, besides its input files: settings
    (the date and --strict included), the clusters chosen, the signing key, templates, fonts and the tool."""
    templates = [folder_digest(d) for d in settings.template_dirs()]
    return digest(
        "dossiers",
        settings_digest(settings),
        settings.today.isoformat(),
        f"strict={settings.strict}",
        *cluster_ids,
        signer_digest(key),
        *templates,
        fonts_digest(),
        code_digest(),
    )


def dossier_digest_base(settings: Settings, key, logo: Path | None, seal: Path | None = None) -> str:
    """Return the digest of what every dossier of a run is made from besides its own data."""
    return digest(
        "dossier",
        settings_digest(settings),
        signer_digest(key),
        templates_digest(settings, "dossier.html"),
        fonts_digest(),
        code_digest(),
        file_digest(logo) if logo else "no logo",
        file_digest(seal) if seal else "no seal",
    )
