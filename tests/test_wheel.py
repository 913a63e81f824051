"""The wheel carries everything a run needs: templates, fonts and data travel inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_renders_from_another_folder(tmp_path):
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("reportgen-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(site)
    assert {
        "reportgen/templates/ar/base.html",
        "reportgen/fonts/Amiri-Regular.ttf",
        "reportgen/data/egypt_governorates.csv",
        "reportgen/serve/templates/base.html",  # reportgen serve's pages, htmx and the compiled catalog
        "reportgen/serve/static/htmx.min.js",
        "reportgen/i18n/locale/ar/LC_MESSAGES/reportgen.mo",
    } <= names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = elsewhere / "brief.pdf"
    code = (
        "import reportgen, sys; from reportgen.settings import builtin_templates_dir, fonts_dir; "
        "print(reportgen.__file__, builtin_templates_dir(), fonts_dir()); "
        "from reportgen.cli import main; sys.argv = ['reportgen', 'brief', sys.argv[1], '-o', sys.argv[2]]; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLES / "small.xlsx"), str(out)],
        cwd=elsewhere,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "SOURCE_DATE_EPOCH": "1764460800"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    where = run.stdout.split()
    assert all(p.startswith(str(site)) for p in where[:3]), (
        where
    )  # the package, its templates and fonts, not the checkout's
    assert out.read_bytes().startswith(b"%PDF")
    # The compiled Arabic catalog travels too: the installed program speaks Arabic when asked.
    arabic = subprocess.run(
        [sys.executable, "-m", "reportgen", "--lang", "ar", "validate", str(SAMPLES / "small.xlsx")],
        cwd=elsewhere,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert arabic.returncode == 0, arabic.stderr
    assert arabic.stdout.rstrip().endswith("؛ لا أخطاء، لا تنبيهات") and "ملف الإعدادات" in arabic.stderr
