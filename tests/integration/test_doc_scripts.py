"""The scripts that draw the docs' pictures still import: a module the code moved (#35 moved the control sheet's
layout into the domain) broke `make pictures` silently until a release needed the pictures redrawn (#36)."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_the_pictures_script_imports():
    spec = importlib.util.spec_from_file_location("build_pictures", ROOT / "docs" / "build_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # its main() runs only as a script
    assert callable(module.main) and module.IMAGES == ROOT / "docs" / "images"
