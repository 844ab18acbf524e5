"""Find TrueType fonts with Vietnamese glyphs, in the four styles a document page uses."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Literal

from archml.errors import ConfigError

FontStyle = Literal["regular", "bold", "italic", "bold_italic"]

DEFAULT_FAMILY = "Liberation Serif"  # metric-compatible with Times New Roman (Decree 30)
FALLBACK_FAMILIES = ("Liberation Serif", "DejaVu Serif", "Noto Serif", "Liberation Sans",
                     "DejaVu Sans", "Noto Sans")

BODY_FAMILIES = ("Liberation Serif", "TeX Gyre Termes", "DejaVu Serif", "Noto Serif", "FreeSerif",
                 "TeX Gyre Pagella", "TeX Gyre Schola", "Liberation Sans", "Noto Sans")
"""Families with Vietnamese glyphs a generated page may be set in (Times-like first)."""
TYPEWRITER_FAMILIES = ("Liberation Mono", "FreeMono", "TeX Gyre Cursor")
"""Monospaced families for the 1990s typewriter look."""
HANDWRITING_FILES = (
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/breip/Breip.ttf",
    "/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf",
    "/usr/share/fonts/truetype/rufscript/Rufscript010.ttf",
    "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf",
    "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf",
    "/usr/share/fonts/truetype/kristi/Kristi.ttf",
    "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf",
    "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf",
    "/usr/share/fonts/truetype/sjfonts/Delphine.ttf",
    "/usr/share/fonts/truetype/sjfonts/SteveHand.ttf",
    "/usr/share/fonts/truetype/klee/KleeOne-Regular.ttf",
    "/usr/share/fonts/truetype/seto/setofont.ttf",
    "/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf",
)
"""Handwriting-like fonts (Debian packages); they have digits but no Vietnamese letters, so they
are used for the number and date fill-ins only."""

_FC_STYLES: dict[FontStyle, str] = {
    "regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "Bold Italic"}
_FC_QUERIES: dict[str, str] = {
    "Regular": "weight=regular:slant=roman", "Bold": "weight=bold:slant=roman",
    "Italic": "weight=regular:slant=italic", "Bold Italic": "weight=bold:slant=italic"}
_KNOWN_DIRS = (Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts"),
               Path("/usr/local/share/fonts"))


@cache
def font_files(font: str | None = None) -> dict[FontStyle, Path]:
    """Paths of the four styles of ``font`` (a family name or a .ttf/.otf path).

    A path is used for every style. With ``None`` the first installed family of
    :data:`FALLBACK_FAMILIES` is used. Raises :class:`ConfigError` when nothing fits.
    """
    if font is not None and Path(font).suffix.lower() in (".ttf", ".otf", ".ttc"):
        path = Path(font)
        if not path.is_file():
            raise ConfigError(f"font file {font} does not exist")
        return dict.fromkeys(_FC_STYLES, path)
    families = (font,) if font else FALLBACK_FAMILIES
    for family in families:
        found = {style: _find(family, name) for style, name in _FC_STYLES.items()}
        if all(found.values()):
            return found  # type: ignore[return-value]
    raise ConfigError(
        f"no usable font among {', '.join(families)}; install fonts-liberation2 or "
        "fonts-dejavu-core (apt), or pass font=PATH to a .ttf with Vietnamese glyphs")


@cache
def available(families: tuple[str, ...]) -> tuple[str, ...]:
    """The installed ones among ``families`` (all four styles present), in order."""
    found = []
    for family in families:
        try:
            font_files(family)
        except ConfigError:
            continue
        found.append(family)
    return tuple(found)


@cache
def handwriting_files() -> tuple[str, ...]:
    """The installed handwriting fonts of :data:`HANDWRITING_FILES`."""
    return tuple(f for f in HANDWRITING_FILES if Path(f).is_file())


def _find(family: str, style: str) -> Path | None:
    """One style of a family via ``fc-match``, else by file name under the usual directories."""
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{family}|%{style}|%{file}",
                              f"{family}:{_FC_QUERIES[style]}"],
                             capture_output=True, text=True, check=False).stdout
        parts = out.split("|")
        if len(parts) == 3 and family in parts[0].split(",") and _same_style(style, parts[1]):
            return Path(parts[2])
    stem = family.replace(" ", "") + "-" + style.replace(" ", "")
    for directory in _KNOWN_DIRS:
        if directory.is_dir():
            hit = next(directory.rglob(f"{stem}.ttf"), None)
            if hit:
                return hit
    return None


def _same_style(wanted: str, found: str) -> bool:
    """Whether fontconfig's style list ``found`` has the weight and slant of ``wanted``."""
    first = found.split(",")[0]
    italic = "Italic" in first or "Oblique" in first
    return ("Bold" in first) == ("Bold" in wanted) and italic == ("Italic" in wanted)
