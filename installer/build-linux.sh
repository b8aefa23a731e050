#!/usr/bin/env bash
# Builds the Linux bundle of jlexam: dist/jlexam (the programs jlexam and jlexam-gui with everything they need)
# and dist/jlexam-<version>-linux-x86_64.tar.gz. Then the bundled jlexam runs the demo into build/bundle-check
# and verifies its upload batch, so that a missing font, migration or module stops the build here.
#
#   bash installer/build-linux.sh            # sets up .venv first (scripts/setup.sh) when it is missing
#
# The bundle needs the system libraries Qt needs (scripts/setup.sh lists them: libxkbcommon-x11-0,
# libxcb-cursor0, libegl1, libfontconfig1, ...); glibc must be as new as the build machine's.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || bash scripts/setup.sh
if ! .venv/bin/python -c 'import PyInstaller, jlexam, PySide6' 2>/dev/null; then
  echo "build-linux: PyInstaller, jlexam or PySide6 missing from .venv; run: bash scripts/setup.sh" >&2
  exit 1
fi
version=$(.venv/bin/python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")

.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/jlexam.spec

# The check runs as an office PC would: without this shell's JLEXAM_ settings.
rm -rf build/bundle-check
(
  for name in $(compgen -e); do
    if [[ $name == JLEXAM_* ]]; then unset "$name"; fi
  done
  dist/jlexam/jlexam demo --out build/bundle-check --candidates 30
  dist/jlexam/jlexam batch verify build/bundle-check/upload-batch.zip >/dev/null
)

archive="dist/jlexam-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" jlexam
echo "build-linux: bundle dist/jlexam ($(du -sh dist/jlexam | cut -f1)), archive $archive"
echo "build-linux: start it with dist/jlexam/jlexam-gui, or dist/jlexam/jlexam --help"
