"""EPUB -> AZW3 for Kindles loaded over USB, through calibre's `ebook-convert`.

Kindles cannot open EPUB from USB; Send to Kindle converts server-side, but for a cable
the book must be AZW3 (KF8). calibre is the one well-kept converter for that, so we call
it when it is installed and say so plainly when it is not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ficbook.errors import OutputError

# A large anthology takes calibre well under a minute; past this something is stuck.
TIMEOUT_SECONDS = 600


def ebook_convert() -> str | None:
    return shutil.which("ebook-convert")


def convert_azw3(epub: Path, out: Path) -> None:
    """Write `out` from `epub`, atomically: a failed conversion leaves no half-written file."""
    exe = ebook_convert()
    if exe is None:
        raise OutputError("AZW3 needs calibre's `ebook-convert`, which is not installed "
                          "(install calibre, or send the EPUB with Send to Kindle)", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    # ebook-convert picks the output format from the extension: the temporary file keeps it.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part.azw3", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CALIBRE_NO_NATIVE_FILEDIALOGS": "1"}
    try:
        proc = subprocess.run([exe, str(epub), str(tmp), "--output-profile", "kindle_pw3"],
                              capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=env)
        if proc.returncode != 0 or tmp.stat().st_size == 0:
            lines = [ln for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
            last = lines[-1].strip() if lines else f"exit status {proc.returncode}"
            raise OutputError(f"calibre could not make the AZW3: {last}", file=str(epub))
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except subprocess.TimeoutExpired:
        raise OutputError(f"calibre took over {TIMEOUT_SECONDS} s to make the AZW3; gave up",
                          file=str(epub)) from None
    except OSError as exc:
        raise OutputError(f"cannot write the AZW3: {exc.strerror or exc}", file=str(out)) from None
    finally:
        tmp.unlink(missing_ok=True)
