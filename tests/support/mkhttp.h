/* mkhttp.h: a `wukong serve` process on a free port and plain HTTP requests to it, for
 * the API tests that must run against a real server (test_serve, test_api,
 * test_ask_service, test_bounds). One starter and one request function: the tests differ
 * only in what they send. */
#ifndef WK_MKHTTP_H
#define WK_MKHTTP_H

#include <stddef.h>
#include <sys/types.h>

typedef struct mk_server {
	pid_t pid;
	int port;
	char log[700]; /* its stderr ("" = /dev/null) */
} mk_server;

/* Starts `$WK_BIN serve --listen 127.0.0.1:0 ARGS...` (NULL-terminated) and waits for the
 * port it prints; aborts the test program when it does not start (a fixture). */
void mk_server_start(mk_server *s, const char *log, ...);
/* The same with the arguments as a NULL-terminated array (NULL: none). */
void mk_server_startv(mk_server *s, const char *log, const char *const *args);
/* SIGTERM, then waits; returns the exit status (-1 signal, -2 killed after 10 s). */
int mk_server_stop(mk_server *s);

typedef struct mk_request {
	const char *method; /* NULL: GET */
	const char *path;   /* sent as is: "..", "%00" and the query reach the server */
	const char *body;   /* NULL: none */
	size_t len;
	const char *ctype;  /* of the body; NULL: application/pdf */
	const char *auth;   /* the whole Authorization header value, or NULL */
	const char *file;   /* a multipart/form-data upload of this file as "file", or NULL */
	const char *field;  /* with file: a second form field "name=value", or NULL */
	const char *header; /* one more header line "Name: value", or NULL */
	long timeout_ms;    /* the client leaves after this (status 0, the body so far); 0: 60 s */
} mk_request;

typedef struct mk_reply {
	long status;     /* 0 when no reply came (connection refused, reset, timeout) */
	char *body;      /* NUL-terminated, malloc'd */
	size_t len;
	char ctype[128];
	char allow[128]; /* the Allow header */
} mk_reply;

mk_reply mk_send(const mk_server *s, mk_request rq);
mk_reply mk_get(const mk_server *s, const char *path);
/* `method` `path` with a body (NULL: none) of content type `ctype`. */
mk_reply mk_http(const mk_server *s, const char *method, const char *path, const char *body,
                 size_t len, const char *ctype);
/* POST of a JSON body. */
mk_reply mk_post_json(const mk_server *s, const char *path, const char *json);

/* A connected socket to the server, for requests written by hand (half-sent, held open). */
int mk_dial(const mk_server *s);

/* A whole file in memory (NUL-terminated, malloc'd); aborts when it cannot be read. */
char *mk_read_file(const char *path, size_t *len);

#endif
