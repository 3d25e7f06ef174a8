/* mkhttp.h: a `wukong serve` process on a free port and plain HTTP requests to it, for
 * the API tests that must run against a real server (test_api, test_ask_service). */
#ifndef WK_MKHTTP_H
#define WK_MKHTTP_H

#include <stddef.h>
#include <sys/types.h>

typedef struct mk_server {
	pid_t pid;
	int port;
	char log[600]; /* its stderr */
} mk_server;

/* Starts `$WK_BIN serve --listen 127.0.0.1:0 ARGS...` (NULL-terminated) and waits for the
 * port it prints; aborts the test program when it does not start (a fixture). */
void mk_server_start(mk_server *s, const char *log, ...);
/* SIGTERM, then waits; returns the exit status (-1 signal, -2 killed after 10 s). */
int mk_server_stop(mk_server *s);

typedef struct mk_reply {
	long status;
	char *body; /* NUL-terminated, malloc'd */
	size_t len;
	char ctype[128];
} mk_reply;

/* `method` `path` with a body (NULL: none) of content type `ctype`. */
mk_reply mk_http(const mk_server *s, const char *method, const char *path, const char *body,
                 size_t len, const char *ctype);
/* POST of a JSON body. */
mk_reply mk_post_json(const mk_server *s, const char *path, const char *json);

#endif
