"""The site's self-hosted typeface, made from a font package pinned in pyproject.toml.

Nothing is copied into the repository: a staticfiles finder cuts the one face the pages use
(Source Serif 4, semibold) out of the package's variable TrueType font, keeps the Latin
characters European languages need, and stores it as WOFF2 under WEBFONT_BUILD_DIR, with the
package's licence beside it. `collectstatic` and the development server both ask the finder,
so a deployment serves the same files as `make run`; the first ask builds them (about 3 s),
later ones read them from disk.
"""

import importlib
import importlib.metadata
import io
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.files.storage import FileSystemStorage

# Basic Latin, Latin-1, Latin Extended-A and -B, and the punctuation and symbols of running
# text: enough for names and words in every EU language written in Latin script.
UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x2010, 0x2028),
    *range(0x2030, 0x203B),
    0x2044,
    0x20AC,
    0x2122,
    0x2212,
]
LAYOUT_FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "lnum", "pnum", "tnum"]


@dataclass(frozen=True)
class Face:
    """One static WOFF2 face cut from a variable font shipped by a Python package."""

    path: str  # the static path pages link to
    distribution: str  # the PyPI name, for its version
    package: str  # the import name, whose folder holds the font and its licence
    source: str  # the variable font, inside the package
    axes: dict = field(default_factory=dict)  # where to fix each variation axis
    licence: str = "LICENSE"
    licence_path: str = ""  # the static path the licence is served under


FACES = [
    Face(
        path="fonts/source-serif-4-semibold.woff2",
        distribution="fontpkg-source-serif-4",
        package="fontpkg_source_serif_4",
        source="files/SourceSerif4[opsz,wght].ttf",
        # Semibold, drawn for display sizes: the headings run from 20 to 44 pixels.
        axes={"wght": 600, "opsz": 32},
        licence_path="fonts/source-serif-4-OFL.txt",
    ),
]


def build_dir():
    return Path(settings.WEBFONT_BUILD_DIR)


def _package_root(face):
    return Path(importlib.import_module(face.package).__file__).resolve().parent


def _version(face):
    return importlib.metadata.version(face.distribution)


def _write_atomically(target, data):
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from a web server running as another user
    os.replace(tmp, target)  # two processes building at once both end with a whole file


def make_woff2(face):
    """The face's bytes: the variable font subset to UNICODES, fixed at its axes, as WOFF2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every table at INFO
    font = TTFont(_package_root(face) / face.source, lazy=False)
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]  # keeps the copyright and licence names the OFL asks to keep
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)  # first, so the instancer has a tenth of the glyphs to work on
    font = instancer.instantiateVariableFont(font, face.axes)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def ensure_built(face):
    """Build the face and copy its licence unless this package version already did."""
    root = build_dir()
    stamp = root / (face.path + ".version")
    version = _version(face)
    woff2 = root / face.path
    licence = root / face.licence_path
    if woff2.exists() and licence.exists() and stamp.exists() and stamp.read_text() == version:
        return
    _write_atomically(woff2, make_woff2(face))
    _write_atomically(licence, (_package_root(face) / face.licence).read_bytes())
    _write_atomically(stamp, version.encode())


class FontFinder(BaseFinder):
    """Finds the faces in FACES (and their licences), building them on first use."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=build_dir())
        self.paths = {}
        for face in FACES:
            self.paths[face.path] = face
            self.paths[face.licence_path] = face

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False):
        face = self.paths.get(path)
        if face is None:
            return [] if find_all else None
        ensure_built(face)
        found = str(build_dir() / path)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        for path, face in self.paths.items():
            if ignore_patterns and matches_patterns(path, ignore_patterns):
                continue
            ensure_built(face)
            yield path, self.storage
