#!/usr/bin/env bash
# Sets up jlexam, builds a fresh demo (a local SQLite database with demo data, one sitting run through every
# stage built so far, every document written to ./demo-out) and opens the desktop application on it.
# Without a display it stops after the demo and says where its output is.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=${JLEXAM_DEMO_OUT:-demo-out}
.venv/bin/jlexam demo --out "$out" "$@"
export JLEXAM_KEYRING_PASSPHRASE=jlexam-demo-keyring
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "打开桌面程序（用户 admin，密码 Demo2026!）…"
  exec .venv/bin/jlexam --db "$out/jlexam-demo.sqlite" --keyring "file:$PWD/$out/keyring.cfg" gui
else
  echo "没有图形显示，只运行了演示流程。输出在 $PWD/$out（说明见 $out/README.txt）。"
fi
