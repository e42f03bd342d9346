"""A PEP 517 build backend for a package that is only a dependency pin.

`build_wheel` writes a wheel whose metadata requires ``oie-lint==VERSION``
and which contains nothing else. scripts/dist.sh fills in the version.
"""

import base64
import hashlib
import os
import zipfile

NAME = "oie_lint_pre_commit"
VERSION = "@VERSION@"
REQUIRES = ["oie-lint==@VERSION@"]

_METADATA = (
    "Metadata-Version: 2.1\n"
    f"Name: {NAME.replace('_', '-')}\n"
    f"Version: {VERSION}\n"
    "Summary: pre-commit hooks for oie-lint (installs the oie-lint wheel)\n"
    "License: MIT\n"
    + "".join(f"Requires-Dist: {r}\n" for r in REQUIRES)
)
_WHEEL = "Wheel-Version: 1.0\nGenerator: oie-lint placeholder\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    dist_info = f"{NAME}-{VERSION}.dist-info"
    files = {
        f"{dist_info}/METADATA": _METADATA.encode(),
        f"{dist_info}/WHEEL": _WHEEL.encode(),
    }
    record = "".join(_record_line(n, d) for n, d in files.items()) + f"{dist_info}/RECORD,,\n"
    files[f"{dist_info}/RECORD"] = record.encode()
    wheel_name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w") as whl:
        for name, data in files.items():
            # A fixed date keeps the wheel byte-for-byte reproducible.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            whl.writestr(info, data, zipfile.ZIP_DEFLATED)
    return wheel_name


build_editable = build_wheel
