#!/usr/bin/env bash
# The one test command for the whole repository. On a fresh Debian machine with only the .NET SDK it
# first installs what the tests need (only what is missing), then runs every test project in Sources.sln.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '==> %s\n' "$*"; }

# apt needs root; use sudo only when we are not root already (CI and the dev machines run as root).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Integration tests start their own PostgreSQL server from Debian's binaries (tests/TestServers).
if compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' > /dev/null; then
  say "PostgreSQL server binaries present"
else
  say "installing PostgreSQL server binaries (apt package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq postgresql > /dev/null
fi

# The MYSQL/SINGLESTORE and CLICKHOUSE prober tests start their own MariaDB and ClickHouse servers (tests/TestServers).
if [ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ]; then
  say "MariaDB server binaries present"
else
  say "installing MariaDB server binaries (apt package mariadb-server)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq mariadb-server > /dev/null
fi
if [ -x /usr/sbin/clickhouse-server ] || [ -x /usr/bin/clickhouse ]; then
  say "ClickHouse server binaries present"
else
  say "installing ClickHouse server binaries (apt package clickhouse-server)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq clickhouse-server > /dev/null
fi

# The MCP prober tests start the npm reference server @modelcontextprotocol/server-everything (tests/mcp-server).
if [ -f tests/mcp-server/node_modules/@modelcontextprotocol/server-everything/dist/index.js ]; then
  say "MCP reference server present"
else
  say "installing the MCP reference server (npm ci in tests/mcp-server)"
  (cd tests/mcp-server && npm ci --no-audit --no-fund --silent)
fi

say "running tests: dotnet test Sources.sln -c Release"
dotnet test Sources.sln -c Release
say "all tests passed"
