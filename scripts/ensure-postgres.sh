#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth and a database
# `test`, then prints the URL the store tests use (GONGKAI_TEST_PG_URL).
#
# Order: use a server that already answers; else start the machine's Debian cluster; else
# install Debian's postgresql and start a throwaway cluster (initdb -A trust) under /tmp.
set -euo pipefail

host=127.0.0.1 port=5432
answers() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! answers; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure-postgres: starting the machine's cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >&2 || true
    for _ in $(seq 1 30); do answers && break; sleep 0.5; done
  fi
fi

if ! command -v pg_isready >/dev/null 2>&1 || ! answers; then
  echo "ensure-postgres: installing Debian's postgresql and starting a throwaway cluster" >&2
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  dir=/tmp/gongkai-pg
  rm -rf "$dir" && mkdir -p "$dir" && chown postgres "$dir"
  su postgres -c "$bin/initdb -D $dir/data -A trust -U postgres" >&2
  su postgres -c "$bin/pg_ctl -D $dir/data -l $dir/log -o '-p $port -k /tmp -c listen_addresses=$host' -w start" >&2
fi

answers || { echo "ensure-postgres: no PostgreSQL answers on $host:$port" >&2; exit 1; }
if ! psql -h "$host" -p "$port" -U postgres -d test -Atc 'select 1' >/dev/null 2>&1; then
  psql -h "$host" -p "$port" -U postgres -d postgres -c 'create database test' >&2
fi
echo "postgres://postgres@$host:$port/test"
