/* mkfake.h: the fake model server ($WK_TOOLS/fake_llm) as a test fixture: started on an
 * ephemeral loopback port, stopped by closing its stdin, every request it saw read back
 * from its log. */
#ifndef WK_MKFAKE_H
#define WK_MKFAKE_H

#include <jansson.h>
#include <sys/types.h>

typedef struct mk_fake {
	pid_t pid;
	int stdin_fd;   /* closing it stops the server */
	int port;
	char url[128];  /* "http://127.0.0.1:PORT/v1" */
	char log[512];  /* one JSON line per request: n, path, auth, bytes, body */
} mk_fake;

/* Starts the server (with `key` as the API key it wants, NULL for none); 0 on success. */
int mk_fake_start(mk_fake *f, const char *key);
void mk_fake_stop(mk_fake *f);

/* Every logged request, oldest first (a new reference). */
json_t *mk_fake_requests(const mk_fake *f);

#endif
