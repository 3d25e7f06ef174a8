/* pgtest.c: schemas per test library, scalar queries, and a proxy that can play a
 * stopped and restarted PostgreSQL server. */
#include "pgtest.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

const char *pg_test_uri(void)
{
	const char *uri = getenv("WK_TEST_PG");
	if (uri && *uri)
		return uri;
	printf("# PostgreSQL pass skipped: WK_TEST_PG is unset\n");
	return NULL;
}

static unsigned long long key_hash(const char *key)
{
	unsigned long long h = 1469598103934665603ull; /* FNV-1a */
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

int pg_test_exec(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	int ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
	if (!ok)
		fprintf(stderr, "# pg_test_exec: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

long pg_test_scalar(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
	long v = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0
	             ? strtol(PQgetvalue(r, 0, 0), NULL, 10)
	             : -1;
	PQclear(r);
	PQfinish(c);
	return v;
}

/* The URI `base` with the search path set to `schema`. */
static void with_schema(const char *base, const char *schema, char *out, size_t size)
{
	snprintf(out, size, "%s%coptions=-csearch_path%%3D%s", base, strchr(base, '?') ? '&' : '?',
	         schema);
}

const char *pg_test_library(const char *key)
{
	static char uri[2048];
	static unsigned long long made[256];
	static int nmade;
	const char *base = getenv("WK_TEST_PG");
	if (!base)
		return NULL;
	unsigned long long h = key_hash(key);
	char schema[64];
	snprintf(schema, sizeof schema, "wkt_%016llx", h);
	with_schema(base, schema, uri, sizeof uri);
	for (int i = 0; i < nmade; i++)
		if (made[i] == h)
			return uri;
	char sql[256];
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
	         schema);
	if (pg_test_exec(base, sql) == 0 && nmade < 256)
		made[nmade++] = h;
	return uri;
}

/* ---- the proxy ---- */

#define MAX_LINKS 256

struct pg_proxy {
	int listener;
	int port;
	char upstream[256]; /* a Unix socket path, or host:port */
	int unix_socket;
	pthread_t thread;
	pthread_mutex_t mu;
	int down, stop;
	int fds[MAX_LINKS]; /* both ends of every open link, -1 when free */
};

static int connect_upstream(const pg_proxy *p)
{
	if (p->unix_socket) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (strlen(p->upstream) >= sizeof sa.sun_path)
			return -1;
		memcpy(sa.sun_path, p->upstream, strlen(p->upstream) + 1);
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char host[256];
	snprintf(host, sizeof host, "%s", p->upstream);
	char *colon = strrchr(host, ':');
	*colon = '\0';
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
	inet_pton(AF_INET, strcmp(host, "localhost") ? host : "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

typedef struct link_arg {
	pg_proxy *p;
	int a, b;
} link_arg;

static void track(pg_proxy *p, int fd, int add)
{
	pthread_mutex_lock(&p->mu);
	for (int i = 0; i < MAX_LINKS; i++)
		if (add ? p->fds[i] < 0 : p->fds[i] == fd) {
			p->fds[i] = add ? fd : -1;
			break;
		}
	pthread_mutex_unlock(&p->mu);
}

static void *pump(void *arg)
{
	link_arg *l = arg;
	struct pollfd pfd[2] = {{.fd = l->a, .events = POLLIN}, {.fd = l->b, .events = POLLIN}};
	char buf[16384];
	for (int done = 0; !done && poll(pfd, 2, -1) > 0;) {
		for (int i = 0; i < 2 && !done; i++) {
			if (!pfd[i].revents)
				continue;
			ssize_t n = read(pfd[i].fd, buf, sizeof buf);
			done = n <= 0 || write(pfd[1 - i].fd, buf, (size_t)n) != n;
		}
	}
	track(l->p, l->a, 0);
	track(l->p, l->b, 0);
	close(l->a);
	close(l->b);
	free(l);
	return NULL;
}

static void *accept_loop(void *arg)
{
	pg_proxy *p = arg;
	for (;;) {
		int c = accept(p->listener, NULL, NULL);
		pthread_mutex_lock(&p->mu);
		int stop = p->stop, down = p->down;
		pthread_mutex_unlock(&p->mu);
		if (stop) {
			if (c >= 0)
				close(c);
			return NULL;
		}
		if (c < 0)
			continue;
		int u = down ? -1 : connect_upstream(p);
		if (u < 0) { /* a stopped server: the connection is refused at once */
			close(c);
			continue;
		}
		link_arg *l = malloc(sizeof *l);
		*l = (link_arg){p, c, u};
		track(p, c, 1);
		track(p, u, 1);
		pthread_t t;
		pthread_create(&t, NULL, pump, l);
		pthread_detach(t);
	}
}

/* Where $WK_TEST_PG's server is, and the parts of the URI the proxy's URI keeps. */
static int parse_base(pg_proxy *p, char *user, char *db, size_t size)
{
	PQconninfoOption *opts = PQconninfoParse(getenv("WK_TEST_PG"), NULL);
	const char *host = NULL, *port = "5432";
	user[0] = db[0] = '\0';
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
		else if (!strcmp(o->keyword, "user"))
			snprintf(user, size, "%s@", o->val);
		else if (!strcmp(o->keyword, "dbname"))
			snprintf(db, size, "%s", o->val);
	}
	p->unix_socket = !host || host[0] == '/';
	if (p->unix_socket)
		snprintf(p->upstream, sizeof p->upstream, "%s/.s.PGSQL.%s", host ? host : "/var/run/postgresql",
		         port);
	else
		snprintf(p->upstream, sizeof p->upstream, "%s:%s", host, port);
	PQconninfoFree(opts);
	return opts ? 0 : -1;
}

pg_proxy *pg_proxy_start(const char *key, char *uri, size_t size)
{
	pg_proxy *p = calloc(1, sizeof *p);
	char user[128], db[128];
	if (!getenv("WK_TEST_PG") || parse_base(p, user, db, sizeof user)) {
		free(p);
		return NULL;
	}
	for (int i = 0; i < MAX_LINKS; i++)
		p->fds[i] = -1;
	pthread_mutex_init(&p->mu, NULL);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof sa;
	p->listener = socket(AF_INET, SOCK_STREAM, 0);
	bind(p->listener, (struct sockaddr *)&sa, sizeof sa);
	listen(p->listener, 64);
	getsockname(p->listener, (struct sockaddr *)&sa, &len);
	p->port = ntohs(sa.sin_port);
	pthread_create(&p->thread, NULL, accept_loop, p);
	/* The library's schema, made directly; the proxy's URI reaches it. */
	const char *direct = pg_test_library(key);
	const char *options = strstr(direct, "options=");
	char base[512];
	snprintf(base, sizeof base, "postgresql://%s127.0.0.1:%d/%s?sslmode=disable", user, p->port,
	         db);
	snprintf(uri, size, "%s&%s", base, options);
	return p;
}

void pg_proxy_down(pg_proxy *p)
{
	pthread_mutex_lock(&p->mu);
	p->down = 1;
	for (int i = 0; i < MAX_LINKS; i++)
		if (p->fds[i] >= 0)
			shutdown(p->fds[i], SHUT_RDWR); /* the pumps see the end and close */
	pthread_mutex_unlock(&p->mu);
}

void pg_proxy_up(pg_proxy *p)
{
	pthread_mutex_lock(&p->mu);
	p->down = 0;
	pthread_mutex_unlock(&p->mu);
}

void pg_proxy_stop(pg_proxy *p)
{
	if (!p)
		return;
	pg_proxy_down(p);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_mutex_unlock(&p->mu);
	int c = socket(AF_INET, SOCK_STREAM, 0); /* wakes the accept */
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->port),
	                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	connect(c, (struct sockaddr *)&sa, sizeof sa);
	close(c);
	pthread_join(p->thread, NULL);
	close(p->listener);
	for (int i = 0; i < 100; i++) { /* the pumps end after the shutdown */
		int open = 0;
		pthread_mutex_lock(&p->mu);
		for (int k = 0; k < MAX_LINKS; k++)
			open += p->fds[k] >= 0;
		pthread_mutex_unlock(&p->mu);
		if (!open)
			break;
		usleep(10000);
	}
	pthread_mutex_destroy(&p->mu);
	free(p);
}
