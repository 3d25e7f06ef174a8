/* mkhttp.c: a server process and HTTP requests for the API tests (mkhttp.h). */
#include "mkhttp.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
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

void mk_server_startv(mk_server *s, const char *log, const char *const *args)
{
	const char *argv[40] = {getenv("WK_BIN"), "serve", "--listen", "127.0.0.1:0"};
	int n = 4;
	for (int i = 0; args && args[i] && n < 39; i++)
		argv[n++] = args[i];
	if (!argv[0])
		die("WK_BIN is not set");
	snprintf(s->log, sizeof s->log, "%s", log ? log : "");
	int out[2];
	if (pipe(out) != 0 || (s->pid = fork()) < 0)
		die("cannot start the server");
	if (s->pid == 0) {
		dup2(out[1], 1);
		FILE *f = fopen(log && *log ? log : "/dev/null", "w");
		if (f)
			dup2(fileno(f), 2);
		close(out[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	s->port = read_port(out[0]);
	close(out[0]);
	if (s->port <= 0) {
		fprintf(stderr, "mkhttp: see %s\n", s->log[0] ? s->log : "(no log)");
		die("the server did not print its port");
	}
}

void mk_server_start(mk_server *s, const char *log, ...)
{
	const char *args[36];
	int n = 0;
	va_list ap;
	va_start(ap, log);
	for (const char *a; n < 35 && (a = va_arg(ap, const char *));)
		args[n++] = a;
	va_end(ap);
	args[n] = NULL;
	mk_server_startv(s, log, args);
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

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
	mk_reply *r = user;
	size_t len = size * n;
	if (len > 9 && !strncasecmp(p, "Allow: ", 7))
		snprintf(r->allow, sizeof r->allow, "%.*s", (int)(len - 9), p + 7);
	return len;
}

/* The body as a multipart/form-data form: the file, and the extra field if any. */
static curl_mime *form(CURL *c, const mk_request *rq)
{
	curl_mime *mime = curl_mime_init(c);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_name(part, "file");
	curl_mime_filedata(part, rq->file);
	curl_mime_type(part, "application/pdf");
	const char *eq = rq->field ? strchr(rq->field, '=') : NULL;
	if (eq) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - rq->field), rq->field);
		part = curl_mime_addpart(mime);
		curl_mime_name(part, name);
		curl_mime_data(part, eq + 1, CURL_ZERO_TERMINATED);
	}
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	return mime;
}

mk_reply mk_send(const mk_server *s, mk_request rq)
{
	mk_reply r = {0};
	char url[2048], hdr[600];
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s->port, rq.path);
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq.method ? rq.method : "GET");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq.timeout_ms > 0 ? rq.timeout_ms : 60000L);
	if (rq.body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq.body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq.len);
		snprintf(hdr, sizeof hdr, "Content-Type: %s", rq.ctype ? rq.ctype : "application/pdf");
		h = curl_slist_append(h, hdr);
	}
	curl_mime *mime = rq.file ? form(c, &rq) : NULL;
	if (rq.auth) {
		snprintf(hdr, sizeof hdr, "Authorization: %s", rq.auth);
		h = curl_slist_append(h, hdr);
	}
	if (rq.header)
		h = curl_slist_append(h, rq.header);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (curl_easy_perform(c) == CURLE_OK) {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
		curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
		snprintf(r.ctype, sizeof r.ctype, "%s", ct ? ct : "");
	}
	if (!r.body)
		r.body = calloc(1, 1);
	curl_slist_free_all(h);
	curl_mime_free(mime);
	curl_easy_cleanup(c);
	return r;
}

mk_reply mk_get(const mk_server *s, const char *path)
{
	return mk_send(s, (mk_request){.path = path});
}

mk_reply mk_http(const mk_server *s, const char *method, const char *path, const char *body,
                 size_t len, const char *ctype)
{
	return mk_send(s, (mk_request){.method = method, .path = path, .body = body, .len = len,
	                               .ctype = body && !ctype ? "application/json" : ctype});
}

mk_reply mk_post_json(const mk_server *s, const char *path, const char *json)
{
	return mk_http(s, "POST", path, json, strlen(json), "application/json");
}

char *mk_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0)
		die("cannot read a test file");
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *data = malloc((size_t)(n > 0 ? n : 0) + 1);
	if (!data || n < 0 || fread(data, 1, (size_t)n, f) != (size_t)n)
		die("cannot read a test file");
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

int mk_dial(const mk_server *s)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		die("cannot connect to the server");
	return fd;
}
