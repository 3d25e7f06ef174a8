/* mkhttp.c: a server process and HTTP requests for the API tests (mkhttp.h). */
#include "mkhttp.h"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *why)
{
	fprintf(stderr, "mkhttp: %s\n", why);
	abort();
}

/* The port in the server's first line ("... http://127.0.0.1:PORT/"), 0 when none. */
static int read_port(int fd)
{
	char line[256] = "";
	size_t len = 0;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	while (len + 1 < sizeof line && !strchr(line, '\n') && poll(&pfd, 1, 20000) > 0) {
		ssize_t r = read(fd, line + len, sizeof line - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
	}
	const char *colon = strrchr(line, ':');
	return colon ? atoi(colon + 1) : 0;
}

void mk_server_start(mk_server *s, const char *log, ...)
{
	const char *argv[40] = {getenv("WK_BIN"), "serve", "--listen", "127.0.0.1:0"};
	int n = 4;
	va_list ap;
	va_start(ap, log);
	for (const char *a; n < 39 && (a = va_arg(ap, const char *));)
		argv[n++] = a;
	va_end(ap);
	if (!argv[0])
		die("WK_BIN is not set");
	snprintf(s->log, sizeof s->log, "%s", log);
	int out[2];
	if (pipe(out) != 0 || (s->pid = fork()) < 0)
		die("cannot start the server");
	if (s->pid == 0) {
		dup2(out[1], 1);
		FILE *f = fopen(log, "w");
		if (f)
			dup2(fileno(f), 2);
		close(out[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	s->port = read_port(out[0]);
	close(out[0]);
	if (s->port <= 0)
		die("the server did not print its port");
}

int mk_server_stop(mk_server *s)
{
	int status = -1;
	kill(s->pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(50000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	return -2;
}

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	mk_reply *r = user;
	char *grown = realloc(r->body, r->len + size * n + 1);
	if (!grown)
		return 0;
	r->body = grown;
	memcpy(r->body + r->len, p, size * n);
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

mk_reply mk_http(const mk_server *s, const char *method, const char *path, const char *body,
                 size_t len, const char *ctype)
{
	mk_reply r = {0};
	char url[2048], hdr[300];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, path);
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype ? ctype : "application/json");
		h = curl_slist_append(h, hdr);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	if (curl_easy_perform(c) == CURLE_OK) {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		snprintf(r.ctype, sizeof r.ctype, "%s", ct ? ct : "");
	}
	if (!r.body)
		r.body = calloc(1, 1);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return r;
}

mk_reply mk_post_json(const mk_server *s, const char *path, const char *json)
{
	return mk_http(s, "POST", path, json, strlen(json), "application/json");
}
