"""Vendor Plotly's official cartesian partial bundle, the version the plotly package ships.

The page draws heatmaps, shapes and annotations only, so it loads
``plotly.js-cartesian-dist-min`` (1.5 MB, about 0.5 MB gzipped) instead of
the full plotly.js (4.8 MB) inside the ``plotly`` Python package. This script
reads the full bundle's version from the installed package, fetches the
partial bundle of that very version from the npm registry with ``npm pack``
(which checks the tarball against the registry's integrity hash), checks
its header, and writes into ``static/vendor/``:

- ``plotly-cartesian.min.js``: the bundle, byte for byte;
- ``LICENSE.plotly.js.txt``: its MIT licence, from the same tarball;
- ``plotly.json``: package, version, npm integrity and SHA-256, for review.

    python tools/refresh_plotly.py            # the plotly package's version
    python tools/refresh_plotly.py 4.1.1      # or a given one

Run it after changing the ``plotly`` pin in requirements.txt; the test suite
fails while the two versions differ. Needs ``npm`` and the npm registry.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
PACKAGE = "plotly.js-cartesian-dist-min"
BUNDLE = "plotly-cartesian.min.js"
HEADER = re.compile(rb"\* plotly\.js \(cartesian - minified\) v(\d+\.\d+\.\d+)\n")


def installed_plotly_version() -> str:
    """The version of plotly.js inside the installed plotly package."""
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("the plotly package is not installed: pip install -r requirements.txt")
    full = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    match = re.search(rb"plotly\.js v(\d+\.\d+\.\d+)", full.read_bytes()[:500])
    if match is None:
        sys.exit(f"no 'plotly.js vX.Y.Z' header in {full}")
    return match.group(1).decode()


def npm_pack(version: str, into: Path) -> tuple[Path, dict]:
    """``npm pack`` the bundle into ``into``; the tarball and npm's report on it."""
    result = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)[0]
    return into / report["filename"], report


def main(argv: list[str]) -> int:
    version = argv[0] if argv else installed_plotly_version()
    with tempfile.TemporaryDirectory() as tmp:
        tarball, report = npm_pack(version, Path(tmp))
        with tarfile.open(tarball) as archive:
            bundle = archive.extractfile(f"package/{BUNDLE}").read()
            licence = archive.extractfile("package/LICENSE").read()
    match = HEADER.search(bundle[:300])
    if match is None or match.group(1).decode() != version:
        sys.exit(f"{PACKAGE}@{version}: the bundle's header does not name version {version}")
    VENDOR.mkdir(parents=True, exist_ok=True)
    (VENDOR / BUNDLE).write_bytes(bundle)
    (VENDOR / "LICENSE.plotly.js.txt").write_bytes(licence)
    record = {
        "package": PACKAGE,
        "version": version,
        "file": BUNDLE,
        "npm_integrity": report["integrity"],
        "sha256": hashlib.sha256(bundle).hexdigest(),
        "bytes": len(bundle),
        "refreshed_by": "python tools/refresh_plotly.py",
    }
    (VENDOR / "plotly.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"static/vendor/{BUNDLE}: {PACKAGE}@{version}, {len(bundle):,} bytes, sha256 {record['sha256'][:16]}...")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
