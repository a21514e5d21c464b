#!/usr/bin/env bash
# npm start: install code-server (cached), build the .vsix, then run it in code-server on
# 127.0.0.1 and print the URL. Arguments go to scripts/start.ts (see --help).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=1
for arg in "$@"; do
  case "$arg" in
    -h|--help) exec node --import tsx scripts/start.ts --help ;;
    --no-build) build=0 ;;
  esac
done

bash scripts/install-code-server.sh
if [ "$build" = 1 ]; then
  npm run package
fi
exec node --import tsx scripts/start.ts "$@"
