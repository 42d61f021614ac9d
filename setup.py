"""Carries the top-level covers/ folder (cover styles and fonts, kept at the top for users
to read and copy) into the package as `ficbook/covers` when a wheel is built, so that a
normal `pip install` builds books. Everything else is in pyproject.toml."""

import os

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCovers(build_py):
    def run(self) -> None:
        super().run()
        self.copy_tree("covers", os.path.join(self.build_lib, "ficbook", "covers"))


setup(cmdclass={"build_py": BuildWithCovers})
