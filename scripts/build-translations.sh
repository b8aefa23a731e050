#!/bin/sh
# Rebuild the window translations from source (see ui/i18n.py): update the .ts, then compile the .qm.
set -e
cd "$(dirname "$0")/.."
BIN=${PYSIDE_BIN:-.venv/bin}
"$BIN/pyside6-lupdate" ui/*.py ui/pages/*.py -no-obsolete -source-language zh_CN -target-language en \
    -ts resources/translations/jlexam_en.ts
"$BIN/pyside6-lrelease" resources/translations/jlexam_en.ts -qm resources/translations/jlexam_en.qm
