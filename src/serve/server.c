/* server.c: the libmicrohttpd daemon. One thread per connection (questions are CPU work
 * that must not stall other clients), a connection limit, a deadline for the whole
 * request, a cap on requests in flight (503 past it, answered at once rather than
 * queued), the Host allow-list and the Origin check (DNS rebinding, cross-site requests),
 * the bearer token, content types, bounded request bodies (raw or multipart/form-data
 * through MHD's post processor), a watcher that cancels the parse of a client that has
 * gone, and one log line per request on stderr. */
#include "serve.h"

#include <ctype.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define JSON_BODY_LIMIT (1u << 20)
/* Uploads at once: each buffers up to max_upload bytes and parses on a core. */
#define MAX_UPLOADS 4
/* A PDF password is at most 127 bytes (PDF 2.0); room to spare, never a large buffer. */
#define PASSWORD_MAX 1024

typedef enum body_mode { BODY_RAW = 0, BODY_FORM } body_mode;

typedef struct req_ctx {
	double start;
	char method[16];
	char *path;
	wk_route route;
	int counted; /* holds a slot of max_clients */
	int upload;  /* holds one of the MAX_UPLOADS slots */
	int queued;  /* a response is on its way */
	int status;
	size_t bytes;
	wk_http_reply early; /* an error decided before the body was read */
	body_mode mode;
	wk_buf body;
	struct MHD_PostProcessor *pp;
	char *filename;
	wk_buf password; /* the form field "password", wiped when the request ends */
	size_t discarded;
	volatile int cancel; /* the client has gone, or the server stops */
} req_ctx;

/* ---- replies ---- */

static void add_headers(struct MHD_Response *resp, const wk_http_reply *reply)
{
	MHD_add_response_header(resp, "Content-Type",
	                        reply->content_type ? reply->content_type : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control",
	                        reply->cache ? "private, max-age=3600" : "no-store");
	if (reply->allow)
		MHD_add_response_header(resp, "Allow", reply->allow);
	if (reply->stream)
		MHD_add_response_header(resp, "X-Accel-Buffering", "no"); /* proxies: pass events on */
	if (reply->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"wukong\"");
	if (reply->status == 503)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (reply->content_type && !strncmp(reply->content_type, "text/html", 9))
		MHD_add_response_header(
		    resp, "Content-Security-Policy",
		    "default-src 'self'; img-src 'self' blob: data:; "
		    "style-src 'self' 'unsafe-inline'; "
		    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
}

static void release_slot(wk_server *srv, req_ctx *rq)
{
	if (rq->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	if (rq->upload)
		atomic_fetch_sub(&srv->uploads, 1);
	rq->counted = rq->upload = 0;
}

/* The slot is given back as soon as the reply is ready: a client that sends its next
 * request the moment it reads this reply must not find the server still busy with it. */
static enum MHD_Result queue(wk_server *srv, struct MHD_Connection *conn, req_ctx *rq,
                             wk_http_reply *reply)
{
	release_slot(srv, rq);
	struct MHD_Response *resp;
	if (reply->stream) {
		/* Thread per connection: MHD reads the pipe as the writer fills it; it owns fd. */
		resp = MHD_create_response_from_pipe(reply->stream_fd);
		if (!resp)
			close(reply->stream_fd);
	} else if (reply->body) {
		resp = MHD_create_response_from_buffer_with_free_callback(reply->len, reply->body,
		                                                          free);
		if (resp)
			reply->body = NULL; /* the response frees it */
	} else {
		resp = MHD_create_response_from_buffer(reply->body_static ? reply->len : 0,
		                                       (void *)reply->body_static,
		                                       MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	add_headers(resp, reply);
	rq->status = reply->status;
	rq->bytes = reply->len;
	rq->queued = 1;
	enum MHD_Result r = MHD_queue_response(conn, (unsigned)reply->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/* ---- checks made as soon as the headers are in ---- */

/* Compares in time that depends only on the length of the secret. */
static int token_equal(const char *given, const char *secret)
{
	size_t lg = strlen(given), ls = strlen(secret);
	unsigned char diff = lg != ls;
	for (size_t i = 0; i < ls; i++)
		diff |= (unsigned char)(secret[i] ^ (i < lg ? given[i] : 0));
	return diff == 0;
}

static int authorized(const wk_server *srv, struct MHD_Connection *conn)
{
	if (!srv->token)
		return 1;
	const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7))
		return 0;
	h += 7;
	while (*h == ' ')
		h++;
	return token_equal(h, srv->token);
}

/* Content-Length over the limit; chunked bodies are checked as they arrive. */
static int declared_too_big(struct MHD_Connection *conn, size_t limit)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (!cl)
		return 0;
	char *end;
	unsigned long long n = strtoull(cl, &end, 10);
	return *end == '\0' && n > limit;
}

/* ---- Host and Origin: a browser page of another site must not reach the API ---- */

/* The host part of "name", "name:port", "[v6]:port", lowercased into out. */
static void host_part(const char *value, char *out, size_t size)
{
	const char *start = value, *end;
	if (*value == '[') {
		start = value + 1;
		end = strchr(start, ']');
	} else {
		end = strrchr(value, ':');
		if (end && strchr(value, ':') != end)
			end = NULL; /* a bare IPv6 address */
	}
	size_t n = end ? (size_t)(end - start) : strlen(start);
	n = WK_MIN(n, size - 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)start[i]);
	out[n] = '\0';
}

static int in_list(const char *list, const char *host)
{
	size_t n = strlen(host);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if ((len == 1 && *p == '*') || (len == n && !strncasecmp(p, host, n)))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* Loopback names, the literal address the server listens on, and --allow-host. */
static int host_allowed(const wk_server *srv, const char *value)
{
	char host[256], listen[256];
	host_part(value, host, sizeof host);
	size_t n = strlen(host);
	if (!strcmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
	    (n > 10 && !strcmp(host + n - 10, ".localhost")))
		return 1;
	host_part(srv->cfg.listen ? srv->cfg.listen : "", listen, sizeof listen);
	return (*host && !strcmp(host, listen)) || in_list(srv->cfg.allow_hosts, host);
}

/* A state-changing request from a page: its Origin must be one of our hosts. */
static int origin_allowed(const wk_server *srv, struct MHD_Connection *conn, const char *method)
{
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return 1;
	const char *origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (!origin)
		return 1; /* not a browser: curl and scripts send none */
	const char *sep = strstr(origin, "://");
	if (!sep || strncmp(origin, "http", 4))
		return 0; /* "null" (sandboxed pages, file:) and anything odd */
	char host[300];
	snprintf(host, sizeof host, "%s", sep + 3);
	host[strcspn(host, "/")] = '\0';
	return host_allowed(srv, host);
}

static int content_type_is(struct MHD_Connection *conn, const char *type)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	size_t n = strlen(type);
	return ct && !strncasecmp(ct, type, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Uploads as application/pdf or multipart/form-data, questions as application/json: a
 * plain HTML form can send neither without the browser asking the server first. */
static int content_type_ok(const req_ctx *rq, struct MHD_Connection *conn)
{
	if (wk_route_is_upload(&rq->route, rq->method))
		return content_type_is(conn, "application/pdf") ||
		       content_type_is(conn, "multipart/form-data");
	if (rq->route.kind == WK_ROUTE_ASK && !strcmp(rq->method, "POST"))
		return content_type_is(conn, "application/json");
	return 1;
}

static size_t body_limit(const wk_server *srv, const req_ctx *rq)
{
	return wk_route_is_upload(&rq->route, rq->method) ? srv->cfg.max_upload : JSON_BODY_LIMIT;
}

static void early_checks(wk_server *srv, struct MHD_Connection *conn, req_ctx *rq)
{
	wk_http_reply *e = &rq->early;
	if (rq->route.kind != WK_ROUTE_HEALTH) {
		rq->counted = 1;
		if (atomic_fetch_add(&srv->inflight, 1) >= srv->cfg.max_clients) {
			wk_reply_error(e, 503, "the server is busy (%d requests in flight); retry",
			               srv->cfg.max_clients);
			return;
		}
	}
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	if (host && !host_allowed(srv, host)) {
		wk_reply_error(e, 403, "Host %.100s is not served here (see --allow-host)", host);
		return;
	}
	if (!origin_allowed(srv, conn, rq->method)) {
		wk_reply_error(e, 403, "requests from another site's page are refused");
		return;
	}
	if (wk_route_needs_token(rq->route.kind) && !authorized(srv, conn)) {
		wk_reply_error(e, 401,
		               "missing or wrong token: send Authorization: Bearer "
		               "<token>");
		return;
	}
	if (!wk_route_method_ok(rq->route.kind, rq->method)) {
		wk_reply_error(e, 405, "%s is not allowed here; allowed: %s", rq->method,
		               wk_route_allow(rq->route.kind));
		e->allow = wk_route_allow(rq->route.kind);
		return;
	}
	if (!content_type_ok(rq, conn)) {
		wk_reply_error(e, 415, "%s", wk_route_is_upload(&rq->route, rq->method)
		                                 ? "send the PDF as application/pdf or multipart/form-data"
		                                 : "send the question as application/json");
		return;
	}
	if (declared_too_big(conn, body_limit(srv, rq))) {
		wk_reply_error(e, 413, "the body is larger than the limit of %zu bytes",
		               body_limit(srv, rq));
		return;
	}
	if (wk_route_is_upload(&rq->route, rq->method)) {
		rq->upload = 1;
		if (atomic_fetch_add(&srv->uploads, 1) >= MAX_UPLOADS)
			wk_reply_error(e, 503, "%d uploads are in progress; retry", MAX_UPLOADS);
	}
}

/* ---- bodies ---- */

static enum MHD_Result on_form_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *filename, const char *content_type,
                                     const char *transfer_encoding, const char *data, uint64_t off,
                                     size_t size)
{
	(void)kind, (void)key, (void)content_type, (void)transfer_encoding, (void)off;
	req_ctx *rq = cls;
	if (!filename && key && !strcmp(key, "password")) {
		wk_buf_append(&rq->password, data, size);
		return rq->password.full ? MHD_NO : MHD_YES;
	}
	if (!filename)
		return MHD_YES; /* other plain form fields carry nothing we use */
	if (!rq->filename)
		rq->filename = wk_xstrdup(filename);
	else if (strcmp(rq->filename, filename))
		return MHD_YES; /* one file per upload: the first */
	wk_buf_append(&rq->body, data, size);
	return rq->body.full ? MHD_NO : MHD_YES;
}

static void start_body(wk_server *srv, struct MHD_Connection *conn, req_ctx *rq)
{
	wk_buf_init(&rq->body, body_limit(srv, rq));
	wk_buf_init(&rq->password, PASSWORD_MAX);
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	if (wk_route_is_upload(&rq->route, rq->method) && ct &&
	    !strncasecmp(ct, "multipart/form-data", 19)) {
		rq->pp = MHD_create_post_processor(conn, 64 * 1024, on_form_field, rq);
		rq->mode = rq->pp ? BODY_FORM : BODY_RAW;
	}
}

/* A body past its limit (chunked: its size was not declared) is read on and dropped,
 * costing no memory, so that the client hears 413 at its end; the request deadline
 * bounds how long that may take. */
static void take_body(req_ctx *rq, const char *data, size_t size)
{
	if (rq->early.status || rq->body.full) {
		rq->discarded += size;
		return;
	}
	if (rq->mode == BODY_FORM) {
		if (MHD_post_process(rq->pp, data, size) != MHD_YES && !rq->body.full)
			wk_reply_error(&rq->early, 400, "malformed multipart/form-data body");
	} else {
		wk_buf_append(&rq->body, data, size);
	}
}

/* ---- the request cycle ---- */

static req_ctx *begin(wk_server *srv, struct MHD_Connection *conn, const char *url,
                      const char *method)
{
	req_ctx *rq = wk_xcalloc(1, sizeof *rq);
	rq->start = wk_now_ms();
	snprintf(rq->method, sizeof rq->method, "%s", method);
	rq->path = wk_xstrndup(url, 2048);
	wk_route_parse(rq->path, &rq->route);
	early_checks(srv, conn, rq);
	if (!rq->early.status)
		start_body(srv, conn, rq);
	return rq;
}

static wk_http_reply *too_big(req_ctx *rq)
{
	wk_reply_free(&rq->early);
	wk_reply_error(&rq->early, 413, "the body is larger than the limit of %zu bytes",
	               rq->body.limit);
	return &rq->early;
}

/* The whole request must arrive within --timeout: the idle timeout, which each byte
 * resets, is cut to what is left, so a body that trickles in is dropped on time. */
static int body_in_time(wk_server *srv, struct MHD_Connection *conn, const req_ctx *rq)
{
	double left = srv->cfg.timeout * 1000.0 - (wk_now_ms() - rq->start);
	if (left <= 0)
		return 0;
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)(left / 1000) + 1);
	return 1;
}

/* Watches the client's socket while its request runs: a client that hangs up (or a
 * server that stops) sets rq->cancel, which the parse reads through its budget. */
typedef struct watch {
	wk_server *srv;
	req_ctx *rq;
	int fd;
	volatile int done;
	pthread_t thread;
} watch;

static void *watch_main(void *arg)
{
	watch *w = arg;
	while (!w->done && !w->rq->cancel) {
		struct pollfd p = {.fd = w->fd, .events = POLLRDHUP};
		if (w->srv->stopping || (poll(&p, 1, 100) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))))
			w->rq->cancel = 1;
	}
	return NULL;
}

static int watch_start(watch *w, wk_server *srv, struct MHD_Connection *conn, req_ctx *rq)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	*w = (watch){.srv = srv, .rq = rq, .fd = ci ? ci->connect_fd : -1};
	return w->fd >= 0 && pthread_create(&w->thread, NULL, watch_main, w) == 0;
}

static void watch_stop(watch *w)
{
	w->done = 1;
	pthread_join(w->thread, NULL);
}

static enum MHD_Result finish(wk_server *srv, struct MHD_Connection *conn, req_ctx *rq)
{
	/* The request is in: the next one on this connection gets the whole idle timeout. */
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned)srv->cfg.timeout);
	if (rq->early.status)
		return queue(srv, conn, rq, &rq->early);
	if (rq->body.full)
		too_big(rq);
	else if (rq->mode == BODY_FORM && rq->body.len == 0)
		wk_reply_error(&rq->early, 400, "the multipart/form-data body has no file field");
	if (rq->early.status)
		return queue(srv, conn, rq, &rq->early);
	wk_http_req req = {
	    .method = rq->method,
	    .path = rq->path,
	    .dpi = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "dpi"),
	    .body = rq->body.data,
	    .body_len = rq->body.len,
	    .filename = rq->filename,
	};
	if (!req.filename)
		req.filename = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "name");
	if (!req.filename)
		req.filename = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Filename");
	req.cancel = &rq->cancel;
	req.upload_id = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Upload-Id");
	req.password = rq->password.len ? rq->password.data : NULL; /* NUL-terminated */
	if (!req.password)
		req.password = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-PDF-Password");
	wk_http_reply reply = {0};
	watch w;
	int watching = wk_route_is_upload(&rq->route, rq->method) && watch_start(&w, srv, conn, rq);
	wk_api_handle(&srv->ctx, &rq->route, &req, &reply);
	if (watching)
		watch_stop(&w);
	enum MHD_Result r = queue(srv, conn, rq, &reply);
	wk_reply_free(&reply);
	return r;
}

enum MHD_Result wk_server_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	wk_server *srv = cls;
	req_ctx *rq = *con_cls;
	if (!rq) {
		*con_cls = rq = begin(srv, conn, url, method);
		/* Answering before the body spares reading an upload we refuse anyway. */
		if (rq->early.status)
			return queue(srv, conn, rq, &rq->early);
		return MHD_YES;
	}
	if (*upload_size) {
		take_body(rq, upload_data, *upload_size);
		*upload_size = 0;
		return body_in_time(srv, conn, rq) ? MHD_YES : MHD_NO;
	}
	if (rq->queued)
		return MHD_YES;
	return finish(srv, conn, rq);
}

/* Writes the path with anything unprintable replaced, so a log line stays one line. */
static void log_request(const req_ctx *rq, double ms)
{
	char path[256];
	size_t n = 0;
	for (const char *p = rq->path; p && *p && n + 1 < sizeof path; p++)
		path[n++] = (unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ' ? '?' : *p;
	path[n] = '\0';
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s %s %s %d %zu %.1fms\n", when, rq->method, path,
	        rq->queued ? rq->status : 0, rq->bytes, ms);
}

void wk_server_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                            enum MHD_RequestTerminationCode toe)
{
	(void)conn, (void)toe;
	wk_server *srv = cls;
	req_ctx *rq = *con_cls;
	if (!rq)
		return;
	if (!srv->cfg.quiet)
		log_request(rq, wk_now_ms() - rq->start);
	release_slot(srv, rq);
	if (rq->pp)
		MHD_destroy_post_processor(rq->pp);
	wk_reply_free(&rq->early);
	wk_buf_free(&rq->body);
	if (rq->password.data)
		explicit_bzero(rq->password.data, rq->password.len);
	wk_buf_free(&rq->password);
	free(rq->filename);
	free(rq->path);
	free(rq);
	*con_cls = NULL;
}
