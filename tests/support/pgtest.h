/* pgtest.h: the PostgreSQL pass of the library and serve tests.
 *
 * $WK_TEST_PG names a database (postgresql://...) the tests may create schemas in; each
 * test library is a schema of its own, named through the URI's search_path, so tests
 * never see each other's documents. Unset: the PostgreSQL pass is skipped, visibly. */
#ifndef WK_PGTEST_H
#define WK_PGTEST_H

#include <stddef.h>

/* $WK_TEST_PG, or NULL (then prints one line saying the pass is skipped). */
const char *pg_test_uri(void);

/* A library URI for `key` (a test's path for it): the same key gives the same schema,
 * created empty on first use. Static buffer, valid until the next call. */
const char *pg_test_library(const char *key);

/* The first column of the first row of `sql` run on a library URI; -1 on failure. */
long pg_test_scalar(const char *uri, const char *sql);
/* Runs statements on a library URI; 0 when they succeeded. */
int pg_test_exec(const char *uri, const char *sql);

/* A TCP proxy on 127.0.0.1 to the server of $WK_TEST_PG: pg_proxy_down drops every
 * connection and refuses new ones, as a stopped server does; pg_proxy_up lets them in
 * again, as a restarted one. The URI reaches `key`'s library through the proxy. */
typedef struct pg_proxy pg_proxy;
pg_proxy *pg_proxy_start(const char *key, char *uri, size_t size);
void pg_proxy_down(pg_proxy *p);
void pg_proxy_up(pg_proxy *p);
void pg_proxy_stop(pg_proxy *p);

#endif
