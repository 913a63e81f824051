"""One frozen Settings object for a run; the one place that knows where templates and fonts live."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.errors import ConfigError

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
            raise ConfigError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from exc
        if not 1970 <= when.year <= 2199:  # as for dates in a workbook; validity periods are added to it
            raise ConfigError(f"SOURCE_DATE_EPOCH={epoch!r} is in the year {when.year}; expected 1970 to 2199")
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
            raise ConfigError(f"{path}: unknown setting [{where}] {key}; known: {', '.join(known)}")
        kind = known[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"{path}: [{where}] {key} must be a {kind.__name__}, got {value!r}")
        out[key] = value
    return out


def load(config: Path | None = None, **overrides) -> Settings:
    """Return Settings from reportgen.toml (if given or found beside the cwd) and command-line overrides."""
    values: dict = {}
    if config is None and Path("reportgen.toml").is_file():
        config = Path("reportgen.toml")
    if config is not None:
        try:
            data = tomllib.loads(Path(config).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read {config}: {exc}") from exc
        unknown = set(data) - {"reportgen", "certification", "limits"}
        if unknown:
            raise ConfigError(
                f"{config}: unknown section(s) {sorted(unknown)}; known: [reportgen], [certification], [limits]"
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
        raise ConfigError(f"digits must be one of {', '.join(DIGIT_STYLES)}, got {s.digits!r}")
    if not -2 <= s.hijri_adjust <= 2:
        raise ConfigError(f"hijri_adjust must be between -2 and 2 days, got {s.hijri_adjust}")
    t = s.thresholds
    if not 0 <= t.refuse_below <= t.grant_from <= 100:
        raise ConfigError("certification thresholds must satisfy 0 ≤ refuse_below ≤ grant_from ≤ 100")
    if not 0 < s.render_seconds <= 86_400:
        raise ConfigError(f"[limits] render_seconds must be above 0 and at most 86400, got {s.render_seconds}")
    if not 0 < s.render_memory_mb <= 1_048_576:
        raise ConfigError(f"[limits] render_memory_mb must be above 0 and at most 1048576, got {s.render_memory_mb}")
    if not 1 <= t.validity_years <= 10:
        raise ConfigError(f"[certification] validity_years must be between 1 and 10, got {t.validity_years}")
    if not 1 <= t.surveillance_months <= 12:  # a longer gap breaks the 12-month rule after the decision
        raise ConfigError(f"[certification] surveillance_months must be between 1 and 12, got {t.surveillance_months}")
    if not 0 <= t.recertification_window_months < 12 * t.validity_years:
        raise ConfigError(
            "[certification] recertification_window_months must be at least 0 and shorter than the validity, "
            f"got {t.recertification_window_months}"
        )
    if s.templates_dir is not None and not Path(s.templates_dir).is_dir():
        raise ConfigError(f"templates folder {s.templates_dir} does not exist")
