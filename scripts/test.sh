#!/usr/bin/env bash
# The one test command for the whole repository. On a fresh Debian machine with only the .NET SDK it
# first installs what the tests need (only what is missing), then runs every test project in Sources.sln.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '==> %s\n' "$*"; }

# apt needs root; use sudo only when we are not root already (CI and the dev machines run as root).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages whose probe command fails, with one apt-get update for all of them.
# Each argument is "package:probe command".
missing=()
need() {
  local package=${1%%:*} probe=${1#*:}
  if eval "$probe" > /dev/null 2>&1; then
    say "$package present"
  else
    missing+=("$package")
  fi
}

# Integration tests start their own servers from Debian's binaries (tests/TestServers): PostgreSQL for
# storage and the POSTGRES prober, MariaDB for MYSQL/SINGLESTORE, ClickHouse for CLICKHOUSE; the MCP
# prober tests run the npm reference server, which needs Node.js.
need "postgresql:compgen -G '/usr/lib/postgresql/*/bin/pg_ctl'"
need "mariadb-server:test -x /usr/sbin/mariadbd -a -x /usr/bin/mariadb-install-db"
need "clickhouse-server:test -x /usr/sbin/clickhouse-server -o -x /usr/bin/clickhouse"
need "nodejs:command -v node"
need "npm:command -v npm"
# The cluster-transport tests make certificates with the README's openssl recipe.
need "openssl:command -v openssl"
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "${missing[@]}" > /dev/null
fi

# The MCP prober tests start the npm reference server @modelcontextprotocol/server-everything (tests/mcp-server).
if [ -f tests/mcp-server/node_modules/@modelcontextprotocol/server-everything/dist/index.js ]; then
  say "MCP reference server present"
else
  say "installing the MCP reference server (npm ci in tests/mcp-server)"
  (cd tests/mcp-server && npm ci --no-audit --no-fund --silent)
fi

# The client test generates TypeScript types from the served spec and type-checks them with
# openapi-typescript and tsc (tests/typescript-client).
if [ -x tests/typescript-client/node_modules/.bin/openapi-typescript ] && [ -x tests/typescript-client/node_modules/.bin/tsc ]; then
  say "TypeScript client tools present"
else
  say "installing the TypeScript client tools (npm ci in tests/typescript-client)"
  (cd tests/typescript-client && npm ci --no-audit --no-fund --silent)
fi

say "running tests: dotnet test Sources.sln -c Release"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One closing line for the whole run, summed over the test projects' own summaries.
summarize() {
  awk '/(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
         gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
       } END { printf "%d passed, %d failed\n", p, f }' "$log"
}
if ! dotnet test Sources.sln -c Release 2>&1 | tee "$log"; then
  summarize
  say "tests failed"
  exit 1
fi
summarize
say "all tests passed"
