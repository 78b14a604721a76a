"""Packaging for argminn: reads settings.ini (nbdev 2 layout) with configparser."""
from configparser import ConfigParser
from pathlib import Path

import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=["="])
cfg.read(here / "settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]

statuses = ["1 - Planning", "2 - Pre-Alpha", "3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature", "7 - Inactive"]
py_versions = ["3.10", "3.11", "3.12", "3.13"]
min_python = cfg["min_python"]

setuptools.setup(
    name=cfg["lib_name"],
    version=cfg["version"],
    description=cfg["description"],
    long_description=(here / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author=cfg["author"],
    author_email=cfg["author_email"],
    license="Apache-2.0",
    url=cfg["git_url"],
    keywords=cfg["keywords"].split(),
    classifiers=[
        f"Development Status :: {statuses[int(cfg['status']) - 1]}",
        f"Intended Audience :: {cfg['audience']}",
        f"Natural Language :: {cfg['language']}",
        "License :: OSI Approved :: Apache Software License",
        "Topic :: Scientific/Engineering :: Bio-Informatics",
    ] + [f"Programming Language :: Python :: {v}" for v in py_versions[py_versions.index(min_python):]],
    python_requires=f">={min_python}",
    # the top-level data/ folder (task grammars, small cached models) ships inside the package as argminn/data
    packages=setuptools.find_packages(include=[cfg["lib_name"], cfg["lib_name"] + ".*"]) + [f"{cfg['lib_name']}.data"],
    package_dir={f"{cfg['lib_name']}.data": "data"},
    package_data={f"{cfg['lib_name']}.data": ["*", "**/*"]},
    install_requires=cfg["requirements"].split(),
    # the docs packages are in "dev" too: CI and the README install only ".[dev]", and tests/test_docs_site.py needs them
    extras_require={"dev": cfg["dev_requirements"].split() + cfg["docs_requirements"].split(),
                    "docs": cfg["docs_requirements"].split(),
                    "baselines": cfg["baselines_requirements"].split()},
    entry_points={
        "console_scripts": cfg["console_scripts"].split(),
        "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    zip_safe=False,
)
