#!/bin/sh
# A throw-away PostgreSQL cluster for the tests and benchmarks (Debian's postgresql).
#   sh scripts/pgtmp.sh start        initdb + pg_ctl in a new temporary folder, listening
#                                    only on a Unix socket there; prints the URI of its
#                                    database "wukong" (user "wukong", no password)
#   sh scripts/pgtmp.sh stop URI     stops that cluster and removes its folder
#   sh scripts/pgtmp.sh pause URI    stops that cluster, keeping it (a database that went
#                                    away: the tests' restart under a running server)
#   sh scripts/pgtmp.sh resume URI   starts a paused cluster again
# TMPDIR chooses where the folder goes (each engineer or CI job its own: the socket is in
# the folder, so clusters never collide on a port).
# initdb refuses to run as root: as root (CI) the cluster belongs to the unprivileged
# user "postgres" that the Debian package creates. Durability is off (fsync), which is
# right for a cluster that lives as long as one test run and wrong anywhere else.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
	echo "pgtmp: PostgreSQL is not installed (sh scripts/install-deps.sh)" >&2
	exit 4
fi
as_owner=""
[ "$(id -u)" -eq 0 ] && as_owner="runuser -u postgres --"
start_cluster() {
	$as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
		"-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null
}
# dir = the folder of the cluster a URI names, which must be one of ours.
cluster_of() {
	dir=${1##*host=}
	dir=${dir%%&*}
	case "$dir" in
	*/wukong-pg.*) [ -d "$dir/data" ] && return 0 ;;
	esac
	echo "pgtmp: not a cluster of pgtmp.sh: $dir" >&2
	exit 2
}
case "${1:-}" in
start)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/wukong-pg.XXXXXX")
	chmod 755 "$dir"
	[ -n "$as_owner" ] && chown postgres "$dir"
	if ! $as_owner "$bin/initdb" -D "$dir/data" -A trust -U wukong -E UTF8 --locale=C \
		>"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		exit 4
	fi
	start_cluster
	"$bin/createdb" -h "$dir" -U wukong wukong
	echo "postgresql://wukong@/wukong?host=$dir"
	;;
stop | pause)
	cluster_of "${2:-}"
	$as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || [ "$1" = stop ]
	[ "$1" = pause ] || rm -rf "$dir"
	;;
resume)
	cluster_of "${2:-}"
	start_cluster
	;;
*)
	echo "usage: sh scripts/pgtmp.sh start | stop URI | pause URI | resume URI" >&2
	exit 2
	;;
esac
