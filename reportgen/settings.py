"""One frozen Settings object for a run; the one place that knows where templates and fonts live."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.errors import ConfigError, quoted
from reportgen.i18n import N_, _

_PACKAGE = Path(__file__).resolve().parent
DIGIT_STYLES = ("arabic", "latin")


def _shipped(name: str, marker: str) -> Path:
    """Return the folder shipped inside the wheel (holding marker), or the checkout's top-level one."""
    inside = _PACKAGE / name
    return inside if (inside / marker).is_file() else _PACKAGE.parent / name


def builtin_templates_dir() -> Path:
    """Return the built-in Arabic templates folder."""
    return _shipped("templates", "ar/base.html") / "ar"


def fonts_dir() -> Path:
    """Return the bundled fonts folder (in the wheel, the font files sit beside the fonts package's modules)."""
    return _shipped("fonts", "Amiri-Regular.ttf")


def data_dir() -> Path:
    """Return the packaged reference data folder (governorates, boundaries)."""
    return _PACKAGE / "data"


def today() -> dt.date:
    """Return today's date, or SOURCE_DATE_EPOCH's when set (reproducible builds)."""
    return now().date() if os.environ.get("SOURCE_DATE_EPOCH") else dt.date.today()


def now() -> dt.datetime:
    """Return the current UTC time in whole seconds, or SOURCE_DATE_EPOCH's when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise ConfigError(
                _("SOURCE_DATE_EPOCH={value} is not a Unix timestamp").format(value=quoted(repr(epoch)))
            ) from exc
        if not 1970 <= when.year <= 2199:  # as for dates in a workbook; validity periods are added to it
            raise ConfigError(
                _("SOURCE_DATE_EPOCH={value} is in the year {year}; expected 1970 to 2199").format(
                    value=quoted(repr(epoch)), year=when.year
                )
            )
        return when
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Thresholds:
    """Certification rule thresholds (SPEC: refused below 65, granted from 80)."""

    refuse_below: float = 65.0
    grant_from: float = 80.0
    validity_years: int = 3
    surveillance_months: int = 12  # ISO/IEC 17021-1 §9.6.2.2: the first within 12 months of the decision
    recertification_window_months: int = 3  # recertification is audited within this window before expiry


@dataclass(frozen=True)
class Settings:
    """Everything a run needs besides the workbook."""

    locale: str = "ar_EG"
    digits: str = "arabic"
    hijri_adjust: int = 0
    today: dt.date = field(default_factory=today)
    templates_dir: Path | None = None  # the user's own templates, overriding built-ins file by file
    thresholds: Thresholds = field(default_factory=Thresholds)
    verify_url: str = ""
    strict: bool = False
    quiet: bool = False
    source: Path | None = None  # the settings file read, if any
    # Each document (brief, handout, each dossier) renders in a worker process under these ([limits]).
    render_seconds: float = 600.0  # processor time (the 145-cluster brief takes about 3 s)
    render_memory_mb: int = 4096  # address space of the worker (the 145-cluster brief reaches about 550 MB)

    def template_dirs(self) -> list[Path]:
        """Return template folders in lookup order (user's first)."""
        dirs = [self.templates_dir] if self.templates_dir else []
        return [*dirs, builtin_templates_dir()]

    def with_(self, **changes) -> Settings:
        """Return a copy with some fields changed."""
        return replace(self, **changes)


_KINDS = {str: N_("a text"), int: N_("a whole number"), float: N_("a number")}  # for messages
_KNOWN = {
    "locale": str,
    "digits": str,
    "hijri_adjust": int,
    "verify_url": str,
    "templates": str,
}
_KNOWN_LIMITS = {
    "render_seconds": float,
    "render_memory_mb": int,
}
_KNOWN_CERT = {
    "refuse_below": float,
    "grant_from": float,
    "validity_years": int,
    "surveillance_months": int,
    "recertification_window_months": int,
}


def _check(table: dict, known: dict, where: str, path: Path) -> dict:
    out = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(
                _("{path}: unknown setting [{section}] {key}; known: {known}").format(
                    path=quoted(path), section=where, key=quoted(key), known=_(", ").join(known)
                )
            )
        kind = known[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(
                _("{path}: [{section}] {key} must be {kind}, got {value}").format(
                    path=quoted(path), section=where, key=key, kind=_(_KINDS[kind]), value=quoted(repr(value))
                )
            )
        out[key] = value
    return out


FILE_NAME = "reportgen.toml"


def find(workbook: Path | None = None) -> Path | None:
    """Return the settings file a run uses: reportgen.toml beside the workbook, else in the current folder."""
    folders = ([Path(workbook).resolve().parent] if workbook is not None else []) + [Path.cwd()]
    return next((folder / FILE_NAME for folder in folders if (folder / FILE_NAME).is_file()), None)


def load(config: Path | None = None, workbook: Path | None = None, **overrides) -> Settings:
    """Return Settings from a settings file (given, else found by find()) and command-line overrides."""
    values: dict = {}
    if config is None:
        config = find(workbook)
    if config is not None:
        try:
            data = tomllib.loads(Path(config).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise ConfigError(_("cannot read {path}: {reason}").format(path=quoted(config), reason=reason)) from exc
        unknown = set(data) - {"reportgen", "certification", "limits"}
        if unknown:
            raise ConfigError(
                _("{path}: unknown section(s) {sections}; known: [reportgen], [certification], [limits]").format(
                    path=quoted(config), sections=_(", ").join(f"[{s}]" for s in sorted(unknown))
                )
            )
        main = _check(data.get("reportgen", {}), _KNOWN, "reportgen", config)
        if "templates" in main:
            main["templates_dir"] = (Path(config).parent / main.pop("templates")).resolve()
        values.update(main)
        values.update(_check(data.get("limits", {}), _KNOWN_LIMITS, "limits", config))
        cert = _check(data.get("certification", {}), _KNOWN_CERT, "certification", config)
        values["thresholds"] = Thresholds(**cert)
        values["source"] = Path(config)
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**values)
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    if s.digits not in DIGIT_STYLES:
        raise ConfigError(
            _("digits must be one of {choices}, got {value}").format(
                choices=_(", ").join(DIGIT_STYLES), value=quoted(repr(s.digits))
            )
        )
    if not -2 <= s.hijri_adjust <= 2:
        raise ConfigError(_("hijri_adjust must be between -2 and 2 days, got {value}").format(value=s.hijri_adjust))
    t = s.thresholds
    if not 0 <= t.refuse_below <= t.grant_from <= 100:
        raise ConfigError(_("certification thresholds must satisfy 0 ≤ refuse_below ≤ grant_from ≤ 100"))
    if not 0 < s.render_seconds <= 86_400:
        raise ConfigError(
            _("[limits] render_seconds must be above 0 and at most 86400, got {value}").format(value=s.render_seconds)
        )
    if not 0 < s.render_memory_mb <= 1_048_576:
        raise ConfigError(
            _("[limits] render_memory_mb must be above 0 and at most 1048576, got {value}").format(
                value=s.render_memory_mb
            )
        )
    if not 1 <= t.validity_years <= 10:
        raise ConfigError(
            _("[certification] validity_years must be between 1 and 10, got {value}").format(value=t.validity_years)
        )
    if not 1 <= t.surveillance_months <= 12:  # a longer gap breaks the 12-month rule after the decision
        raise ConfigError(
            _("[certification] surveillance_months must be between 1 and 12, got {value}").format(
                value=t.surveillance_months
            )
        )
    if not 0 <= t.recertification_window_months < 12 * t.validity_years:
        raise ConfigError(
            _(
                "[certification] recertification_window_months must be at least 0 and shorter than the validity, "
                "got {value}"
            ).format(value=t.recertification_window_months)
        )
    if s.templates_dir is not None and not Path(s.templates_dir).is_dir():
        raise ConfigError(_("templates folder {path} does not exist").format(path=quoted(s.templates_dir)))
