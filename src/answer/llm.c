/* llm.c: answers from a language model through the OpenAI-compatible chat completions API
 * (llama.cpp's llama-server, Ollama, vLLM, hosted services), over libcurl.
 *
 * Failure is normal here: every way a request can fail ends in one WK_E* code and one line
 * that names the server and the reason. 429 and 5xx are retried with exponential backoff
 * and jitter, honouring Retry-After, a bounded number of times; nothing else is retried,
 * because a refused connection or a bad key will not heal in a second, and a stream that
 * was cut has already been shown to the user. Every reply buffer has a ceiling. */
#include "llm.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct reply {
	const wk_llm_opts *opts;
	wk_buf raw;           /* a non-streamed body, or an error body */
	wk_buf line;          /* the SSE line being read */
	wk_buf text;          /* the answer so far */
	long status;          /* HTTP status of the last response head */
	int sse;              /* the reply is an event stream */
	int done;             /* "data: [DONE]" seen */
	int finished;         /* a choice with a finish_reason seen */
	int prompt_tokens, completion_tokens;
	long retry_after_ms;  /* -1: none given */
	int fail;             /* WK_E* set by a callback that stopped the transfer */
	char why[300];        /* its message, or the message of an "error" event */
	int context_error;    /* the server said the prompt exceeds the model's context */
	double last_ms;       /* when a byte last arrived, for stall detection */
	size_t shown;         /* bytes of text already handed to on_text */
	int cut;              /* the stream or the connection ended before the reply did */
} reply;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
/* The process's connections to model servers, shared by every request (and thread): a
 * question's embedding is a small request, and a new TCP (and TLS) connection for each
 * cost more than the request itself. Set once under curl_once, then only read. */
static CURLSH *connections;
static pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];

static void share_lock(CURL *c, curl_lock_data data, curl_lock_access access, void *user)
{
	(void)c, (void)access, (void)user;
	pthread_mutex_lock(&share_locks[data]);
}

static void share_unlock(CURL *c, curl_lock_data data, void *user)
{
	(void)c, (void)user;
	pthread_mutex_unlock(&share_locks[data]);
}

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&share_locks[i], NULL);
	connections = curl_share_init();
	if (connections) {
		curl_share_setopt(connections, CURLSHOPT_LOCKFUNC, share_lock);
		curl_share_setopt(connections, CURLSHOPT_UNLOCKFUNC, share_unlock);
		curl_share_setopt(connections, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
		curl_share_setopt(connections, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	}
}

static void reply_init(reply *r, const wk_llm_opts *opts)
{
	memset(r, 0, sizeof *r);
	r->opts = opts;
	wk_buf_init(&r->raw, opts->max_reply ? opts->max_reply : (4u << 20));
	wk_buf_init(&r->line, WK_LLM_MAX_LINE);
	wk_buf_init(&r->text, WK_LLM_MAX_ANSWER);
	r->retry_after_ms = -1;
	r->last_ms = wk_now_ms();
}

static void reply_clear(reply *r)
{
	wk_buf_free(&r->raw);
	wk_buf_free(&r->line);
	wk_buf_free(&r->text);
}

/* Copies at most `cap` - 1 bytes of s into out, control characters as spaces, so that
 * whatever a server sends stays one line. */
static void one_line(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < cap; i++)
		out[n++] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	out[n] = '\0';
}

static int contains_ci(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

/* The usual ways servers say "the prompt does not fit": OpenAI and vLLM
 * (context_length_exceeded, "maximum context length"), llama-server
 * (exceed_context_size_error, "exceeds the available context size"), others. */
static int is_context_message(const char *s)
{
	static const char *const marks[] = {
		"context_length_exceeded", "exceed_context_size", "context length",
		"context size", "context window", "maximum context", "too many tokens",
		"prompt is too long", "input is too long", "exceeds the available context",
		"input is too large", "reduce the length",
	};
	for (size_t i = 0; i < WK_ARRAY_LEN(marks); i++)
		if (contains_ci(s, marks[i]))
			return 1;
	return 0;
}

/* Reads an error object ({"error": {"message", "type", "code"}}, {"error": "..."},
 * {"detail": ...}, {"message": ...}) into a one-line message; *ctx tells whether it is a
 * context-length error. */
static void error_of_json(json_t *root, char *out, size_t cap, int *ctx)
{
	json_t *e = json_object_get(root, "error");
	const char *msg = json_string_value(e);
	const char *code = NULL, *type = NULL;
	if (json_is_object(e)) {
		msg = json_string_value(json_object_get(e, "message"));
		code = json_string_value(json_object_get(e, "code"));
		type = json_string_value(json_object_get(e, "type"));
	}
	if (!msg)
		msg = json_string_value(json_object_get(root, "detail"));
	if (!msg)
		msg = json_string_value(json_object_get(root, "message"));
	if (!msg)
		msg = type ? type : "no message";
	one_line(out, cap, msg, strlen(msg));
	*ctx = is_context_message(msg) || is_context_message(code) || is_context_message(type);
}

/* The server's own words from an error body, JSON or not. */
static void server_message(reply *r, char *out, size_t cap, int *ctx)
{
	*ctx = 0;
	json_t *root = r->raw.len ? json_loadb(r->raw.data, r->raw.len, 0, NULL) : NULL;
	if (json_is_object(root)) {
		error_of_json(root, out, cap, ctx);
	} else {
		one_line(out, WK_MIN(cap, (size_t)121), r->raw.data ? r->raw.data : "", r->raw.len);
		*ctx = is_context_message(out);
	}
	json_decref(root);
}

static int stop(reply *r, int code, const char *why)
{
	r->fail = code;
	snprintf(r->why, sizeof r->why, "%s", why);
	return 0;
}

static void take_usage(reply *r, json_t *usage)
{
	json_t *p = json_object_get(usage, "prompt_tokens");
	json_t *c = json_object_get(usage, "completion_tokens");
	if (json_is_integer(p))
		r->prompt_tokens = (int)WK_MIN(json_integer_value(p), 1000000000);
	if (json_is_integer(c))
		r->completion_tokens = (int)WK_MIN(json_integer_value(c), 1000000000);
}

/* Where the answer proper starts in `text`: reasoning models (served without a reasoning
 * parser) open with "<think>...</think>", which is neither the answer nor to be shown.
 * Returns -1 while that cannot be known yet (an open or partial "<think>"). */
static long answer_start(const char *text, size_t len)
{
	static const char open[] = "<think>", close[] = "</think>";
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	size_t rest = len - i, n = strlen(open);
	if (rest < n)
		return strncmp(text + i, open, rest) ? (long)i : -1;
	if (strncmp(text + i, open, n))
		return (long)i;
	const char *end = strstr(text + i, close);
	if (!end)
		return -1;
	size_t j = (size_t)(end - text) + strlen(close);
	while (j < len && isspace((unsigned char)text[j]))
		j++;
	return (long)j;
}

static int add_text(reply *r, const char *piece, size_t len)
{
	if (!wk_buf_append(&r->text, piece, len))
		return stop(r, WK_EPROTO, "the answer is longer than the 256 KiB ceiling");
	long start = r->opts->on_text ? answer_start(r->text.data, r->text.len) : -1;
	if (start >= 0) {
		size_t from = WK_MAX(r->shown, (size_t)start);
		if (r->text.len > from)
			r->opts->on_text(r->opts->user, r->text.data + from, r->text.len - from);
		r->shown = r->text.len;
	}
	return 1;
}

/* One "data: {...}" event of a streamed reply. Returns 0 to stop the transfer. */
static int sse_event(reply *r, const char *data, size_t len)
{
	if (len == 6 && !memcmp(data, "[DONE]", 6)) {
		r->done = 1;
		return 1;
	}
	json_t *ev = json_loadb(data, len, 0, NULL);
	if (!json_is_object(ev)) {
		json_decref(ev);
		return stop(r, WK_EPROTO, "a streamed event is not JSON");
	}
	int ok = 1;
	if (json_object_get(ev, "error")) {
		error_of_json(ev, r->why, sizeof r->why, &r->context_error);
		r->fail = r->context_error ? WK_ELIMIT : WK_EHTTP;
	}
	json_t *choice = json_array_get(json_object_get(ev, "choices"), 0);
	json_t *content = json_object_get(json_object_get(choice, "delta"), "content");
	if (json_is_string(content))
		ok = add_text(r, json_string_value(content), json_string_length(content));
	if (json_is_string(json_object_get(choice, "finish_reason")))
		r->finished = 1;
	if (json_is_object(json_object_get(ev, "usage")))
		take_usage(r, json_object_get(ev, "usage"));
	json_decref(ev);
	return ok;
}

static int sse_line(reply *r)
{
	char *s = r->line.data ? r->line.data : "";
	size_t len = r->line.len;
	if (len && s[len - 1] == '\r')
		len--;
	int ok = 1;
	/* Only data lines matter; "event:", "id:" and ": keep-alive" comments are skipped. */
	if (len >= 5 && !memcmp(s, "data:", 5)) {
		size_t i = 5;
		while (i < len && s[i] == ' ')
			i++;
		ok = sse_event(r, s + i, len - i);
	}
	r->line.len = 0;
	return ok;
}

static int sse_feed(reply *r, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			if (!sse_line(r))
				return 0;
		} else if (!wk_buf_putc(&r->line, data[i])) {
			return stop(r, WK_EPROTO, "a streamed event is longer than the 1 MiB ceiling");
		}
	}
	return 1;
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	reply *r = user;
	size_t len = size * n;
	r->last_ms = wk_now_ms();
	if (r->sse && r->status == 200)
		return sse_feed(r, data, len) ? len : 0;
	if (!wk_buf_append(&r->raw, data, len)) {
		stop(r, WK_EPROTO, "the reply is larger than its ceiling");
		return 0;
	}
	return len;
}

/* Retry-After is seconds or an HTTP date. */
static long retry_after_ms(const char *v)
{
	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v))
		return WK_MIN(strtol(v, NULL, 10), 86400L) * 1000;
	time_t when = curl_getdate(v, NULL);
	if (when < 0)
		return -1;
	time_t now = time(NULL);
	return when > now ? (long)WK_MIN(when - now, (time_t)86400) * 1000 : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	reply *r = user;
	size_t len = size * n;
	r->last_ms = wk_now_ms();
	char line[256];
	one_line(line, sizeof line, data, len);
	if (!strncasecmp(line, "HTTP/", 5)) {
		/* A new response head (after "100 Continue" there are two). */
		const char *sp = strchr(line, ' ');
		r->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		r->sse = 0;
		r->retry_after_ms = -1;
	} else if (!strncasecmp(line, "Retry-After:", 12)) {
		r->retry_after_ms = retry_after_ms(line + 12);
	} else if (!strncasecmp(line, "Content-Type:", 13)) {
		r->sse = contains_ci(line + 13, "text/event-stream");
	}
	return len;
}

/* "http://host:8080" -> "http://host:8080/v1/chat/completions",
 * "http://host:8080/v1/" -> "http://host:8080/v1/chat/completions"; the same for
 * "/embeddings". A URL that already ends with the suffix is used as is. */
static char *endpoint(const char *base, const char *suffix)
{
	size_t len = strlen(base);
	while (len && base[len - 1] == '/')
		len--;
	if (len >= strlen(suffix) && !strncmp(base + len - strlen(suffix), suffix, strlen(suffix)))
		suffix = "";
	const char *scheme = strstr(base, "://");
	const char *path = scheme ? memchr(scheme + 3, '/', len - (size_t)(scheme + 3 - base)) : NULL;
	int bare = scheme && !path; /* no path at all: every such server serves /v1 */
	size_t cap = len + 32;
	char *url = wk_xmalloc(cap);
	snprintf(url, cap, "%.*s%s%s", (int)len, base, bare ? "/v1" : "", suffix);
	return url;
}

/* curl's own low-speed check averages over several seconds; this one ends the request
 * exactly stall_ms after the last byte. It also asks the caller whether to go on. */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	reply *r = user;
	if (r->opts->cancel && r->opts->cancel(r->opts->user)) {
		stop(r, WK_ECANCELED, "canceled");
		return 1;
	}
	long stall = r->opts->stall_ms;
	if (!r->opts->stream || stall <= 0 || wk_now_ms() - r->last_ms < (double)stall)
		return 0;
	char why[80];
	snprintf(why, sizeof why, "stalled: nothing received for %.1f s", (double)stall / 1000);
	stop(r, WK_ETIMEOUT, why);
	return 1;
}

typedef struct request {
	const wk_llm_opts *opts;
	const char *url;
	const char *what;     /* "chat completions" or "embeddings": the endpoint, for messages */
	int raw;              /* a plain JSON reply kept in reply.raw for the caller (embeddings) */
	const char *body;
	size_t body_len;
	struct curl_slist *headers;
} request;

static CURL *curl_for(const request *rq, reply *r, char *errbuf)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	const wk_llm_opts *o = rq->opts;
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	if (connections) /* kept alive between requests: see curl_init_once */
		curl_easy_setopt(c, CURLOPT_SHARE, connections);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, rq->headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "wukong/" WK_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	if (o->timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	/* A stall is only visible when the server streams: a non-streamed reply is silent
	 * until the whole answer is written, however healthy the server. */
	if ((o->stream && o->stall_ms > 0) || o->cancel) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, r);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	return c;
}

/* The one line for a transfer that curl could not complete. */
static int transport_error(const request *rq, CURL *c, CURLcode rc, const char *errbuf,
                           double elapsed_ms, reply *r, wk_error *err)
{
	const char *url = rq->url;
	const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
	if (r->fail)
		return wk_set_error(err, r->fail, "model server %s: %s", url, r->why);
	curl_off_t connected = 0;
	long sent = 0; /* a reused connection has no connect time: a request sent was connected */
	curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connected);
	curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &sent);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return wk_set_error(err, WK_ENET, "cannot connect to model server %s: %s", url, detail);
	case CURLE_COULDNT_RESOLVE_HOST:
		return wk_set_error(err, WK_ENET, "cannot resolve the host of model server %s (DNS): %s",
		                    url, detail);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return wk_set_error(err, WK_ENET, "TLS error with model server %s: %s", url, detail);
	case CURLE_OPERATION_TIMEDOUT:
		if (connected == 0 && sent == 0)
			return wk_set_error(err, WK_ETIMEOUT, "cannot connect to model server %s within %ld ms",
			                    url, rq->opts->connect_timeout_ms);
		if (rq->opts->timeout_ms > 0 && elapsed_ms >= rq->opts->timeout_ms - 100)
			return wk_set_error(err, WK_ETIMEOUT, "model server %s: no complete reply within %ld s",
			                    url, rq->opts->timeout_ms / 1000);
		return wk_set_error(err, WK_ETIMEOUT, "model server %s: the request timed out: %s", url,
		                    detail);
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		r->cut = 1;
		if (r->sse || r->text.len)
			return wk_set_error(err, WK_EPROTO, "model server %s cut the stream short after %zu "
			                    "bytes of answer: %s", url, r->text.len, detail);
		return wk_set_error(err, WK_EPROTO, "model server %s closed the connection without a "
		                    "complete reply: %s", url, detail);
	default:
		return wk_set_error(err, WK_ENET, "model server %s: %s", url, detail);
	}
}

/* The one line for an HTTP error status; *retry says whether another attempt may help. */
static int status_error(const request *rq, reply *r, int *retry, wk_error *err)
{
	char msg[300];
	int ctx;
	server_message(r, msg, sizeof msg, &ctx);
	long st = r->status;
	const char *url = rq->url;
	if (ctx)
		return wk_set_error(err, WK_ELIMIT, "model server %s: the prompt exceeds the model's "
		                    "context (%ld): %s", url, st, msg);
	if (st == 401 || st == 403)
		return wk_set_error(err, WK_EHTTP, "model server %s refused the request (%ld %s): %s; "
		                    "check WUKONG_API_KEY", url, st, st == 401 ? "unauthorized" :
		                    "forbidden", msg);
	if (st == 404) {
		if (contains_ci(msg, "model"))
			return wk_set_error(err, WK_EHTTP, "model server %s does not know model '%s' (404): %s",
			                    url, rq->opts->model ? rq->opts->model : "default", msg);
		return wk_set_error(err, WK_EHTTP, "no %s endpoint at %s (404): give the "
		                    "server's base URL, e.g. http://127.0.0.1:8080/v1", rq->what, url);
	}
	*retry = st == 429 || (st >= 500 && st != 501 && st != 505);
	if (st == 429)
		return wk_set_error(err, WK_EHTTP, "model server %s is rate limiting (429): %s", url, msg);
	return wk_set_error(err, WK_EHTTP, "model server %s answered HTTP %ld: %s", url, st, msg);
}

/* A complete 200 reply: the streamed answer, or the JSON of a non-streamed one. */
static int read_reply(const request *rq, reply *r, wk_error *err)
{
	if (r->fail)
		return wk_set_error(err, r->fail, "model server %s: %s%s", rq->url,
		                    r->fail == WK_ELIMIT ? "the prompt exceeds the model's context: " : "",
		                    r->why);
	if (r->sse) {
		if (r->line.len && !sse_line(r)) /* a last line without its newline */
			return wk_set_error(err, r->fail, "model server %s: %s", rq->url, r->why);
		if (!r->done && !r->finished) {
			r->cut = 1;
			return wk_set_error(err, WK_EPROTO, "model server %s cut the stream short after %zu "
			                    "bytes of answer (no end of stream)", rq->url, r->text.len);
		}
		return WK_OK;
	}
	json_t *root = json_loadb(r->raw.data ? r->raw.data : "", r->raw.len, 0, NULL);
	if (rq->raw && root && !json_object_get(root, "error")) {
		json_decref(root); /* the caller reads its own kind of reply from r->raw */
		return WK_OK;
	}
	json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
	json_t *content = json_object_get(json_object_get(choice, "message"), "content");
	int rc = WK_OK;
	if (!root) {
		char head[80];
		one_line(head, sizeof head, r->raw.data ? r->raw.data : "", r->raw.len);
		rc = wk_set_error(err, WK_EPROTO, "model server %s sent a reply that is not JSON: "
		                  "\"%s\"", rq->url, head);
	} else if (json_object_get(root, "error")) {
		char msg[300];
		int ctx;
		error_of_json(root, msg, sizeof msg, &ctx);
		rc = wk_set_error(err, ctx ? WK_ELIMIT : WK_EHTTP, "model server %s reported an error%s: "
		                  "%s", rq->url, ctx ? " (the prompt exceeds the model's context)" : "", msg);
	} else if (!json_is_string(content) && !json_is_null(content)) {
		rc = wk_set_error(err, WK_EPROTO, "model server %s: the reply has no "
		                  "choices[0].message.content", rq->url);
	} else {
		const char *s = json_string_value(content);
		if (s && !wk_buf_append(&r->text, s, strlen(s)))
			rc = wk_set_error(err, WK_EPROTO, "model server %s: the answer is longer than the "
			                  "256 KiB ceiling", rq->url);
		take_usage(r, json_object_get(root, "usage"));
	}
	json_decref(root);
	return rc;
}

static int attempt(const request *rq, reply *r, int *retry, wk_error *err)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	*retry = 0;
	CURL *c = curl_for(rq, r, errbuf);
	if (!c)
		return wk_set_error(err, WK_ENOMEM, "model server %s: cannot set up a connection", rq->url);
	double t0 = wk_now_ms();
	CURLcode rc = curl_easy_perform(c);
	double elapsed = wk_now_ms() - t0;
	int status;
	if (rc == CURLE_OK && r->status == 200)
		status = read_reply(rq, r, err);
	else if (rc == CURLE_OK)
		status = status_error(rq, r, retry, err);
	else
		status = transport_error(rq, c, rc, errbuf, elapsed, r, err);
	curl_easy_cleanup(c);
	/* A server restarting or a proxy dropping the connection: worth another try, unless
	 * part of the answer was already shown (it would be shown twice). */
	if (status != WK_OK && r->cut && r->shown == 0)
		*retry = 1;
	return status;
}

/* Exponential backoff with "equal jitter" (half fixed, half random), so that many clients
 * rate limited together do not come back together; Retry-After is a floor. */
static long backoff_ms(const wk_llm_opts *o, int attempt_no, long retry_after, unsigned *seed)
{
	long base = WK_MAX(1L, o->backoff_ms);
	for (int i = 1; i < attempt_no && base < o->max_wait_ms; i++)
		base *= 2;
	base = WK_MIN(base, WK_MAX(1L, o->max_wait_ms));
	long wait = base / 2 + (long)(rand_r(seed) % (unsigned)(base / 2 + 1));
	return WK_MAX(wait, retry_after);
}

static int with_retries(const request *rq, reply *r, wk_error *err)
{
	const wk_llm_opts *o = rq->opts;
	int max = WK_MAX(1, o->max_attempts);
	unsigned seed = (unsigned)wk_now_ms() ^ (unsigned)(uintptr_t)r;
	for (int n = 1;; n++) {
		int retry = 0;
		wk_error last = {0};
		int rc = attempt(rq, r, &retry, &last);
		if (rc == WK_OK || !retry) {
			if (err && rc != WK_OK)
				*err = last;
			return rc;
		}
		if (n >= max)
			return wk_set_error(err, rc, "%s (gave up after %d attempts)", last.message, n);
		if (r->retry_after_ms > o->max_wait_ms)
			return wk_set_error(err, rc, "%s (it asks to wait %ld s, more than the %.1f s allowed)",
			                    last.message, r->retry_after_ms / 1000,
			                    (double)o->max_wait_ms / 1000);
		wk_sleep_ms(backoff_ms(o, n, r->retry_after_ms, &seed));
		reply_clear(r);
		reply_init(r, o);
	}
}

static char *trimmed(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return wk_xstrndup(s, n);
}

static int make_answer(const wk_selection *sel, reply *r, const char *url, wk_answer **out,
                       wk_error *err)
{
	long start = answer_start(wk_buf_cstr(&r->text), r->text.len);
	char *text = trimmed(start < 0 ? "" : wk_buf_cstr(&r->text) + start);
	if (!*text) {
		free(text);
		return wk_set_error(err, WK_EPROTO, "model server %s returned an empty answer%s", url,
		                    start < 0 ? " (it was still thinking: raise max_tokens)" : "");
	}
	wk_answer *a = wk_xcalloc(1, sizeof *a);
	a->text = text;
	a->mode = "llm";
	a->ncited = wk_llm_cited(sel, text, &a->cited);
	a->found = !wk_llm_says_unanswerable(text);
	a->prompt_tokens = r->prompt_tokens;
	a->completion_tokens = r->completion_tokens;
	*out = a;
	return WK_OK;
}

static struct curl_slist *headers_for(const wk_llm_opts *o)
{
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, o->stream ? "Accept: text/event-stream, application/json"
	                                   : "Accept: application/json");
	h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip for big prompts */
	if (o->api_key && *o->api_key) {
		size_t n = strlen(o->api_key) + 32;
		char *auth = wk_xmalloc(n);
		snprintf(auth, n, "Authorization: Bearer %s", o->api_key);
		h = curl_slist_append(h, auth);
		free(auth);
	}
	return h;
}

int wk_answer_llm(const wk_llm_opts *opts, const wk_doc *const *docs, const wk_selection *sel,
                  const char *question, wk_answer **out, wk_error *err)
{
	if (out)
		*out = NULL;
	if (!opts || !out)
		return wk_set_error(err, WK_EINVAL, "language model: no options");
	if (!opts->url || !*opts->url)
		return wk_set_error(err, WK_EINVAL, "language model: no server URL (give --llm URL or "
		                    "set WUKONG_LLM_URL)");
	json_t *req;
	int rc = wk_llm_request(opts, docs, sel, question, &req, NULL, err);
	if (rc != WK_OK)
		return rc;
	pthread_once(&curl_once, curl_init_once);
	if ((rc = wk_curl_load(err)) != WK_OK) {
		json_decref(req);
		return rc;
	}
	request rq = {.opts = opts, .url = endpoint(opts->url, "/chat/completions"),
	              .what = "chat completions", .headers = headers_for(opts)};
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	rq.body = body;
	rq.body_len = strlen(body);
	reply r;
	reply_init(&r, opts);
	rc = with_retries(&rq, &r, err);
	if (rc == WK_OK)
		rc = make_answer(sel, &r, rq.url, out, err);
	reply_clear(&r);
	free(body);
	curl_slist_free_all(rq.headers);
	free((char *)rq.url);
	return rc;
}

int wk_llm_post_json(const wk_llm_opts *opts, const char *suffix, const char *what,
                     const char *body, json_t **reply_json, wk_error *err)
{
	*reply_json = NULL;
	if (!opts || !opts->url || !*opts->url)
		return wk_set_error(err, WK_EINVAL, "%s: no server URL", what);
	wk_llm_opts plain = *opts;
	plain.stream = 0; /* a JSON reply, whole */
	plain.on_text = NULL;
	pthread_once(&curl_once, curl_init_once);
	int rc = wk_curl_load(err);
	if (rc != WK_OK)
		return rc;
	request rq = {.opts = &plain, .url = endpoint(opts->url, suffix), .what = what, .raw = 1,
	              .body = body, .body_len = strlen(body), .headers = headers_for(&plain)};
	reply r;
	reply_init(&r, &plain);
	rc = with_retries(&rq, &r, err);
	if (rc == WK_OK) {
		*reply_json = json_loadb(r.raw.data ? r.raw.data : "", r.raw.len, 0, NULL);
		if (!*reply_json)
			rc = wk_set_error(err, WK_EPROTO, "model server %s sent a reply that is not JSON",
			                  rq.url);
	}
	reply_clear(&r);
	curl_slist_free_all(rq.headers);
	free((char *)rq.url);
	return rc;
}

/* ---- health (serve's /healthz) ---- */

static size_t discard(char *data, size_t size, size_t n, void *user)
{
	(void)data, (void)user;
	return size * n;
}

int wk_llm_reachable(const char *base, long timeout_ms)
{
	if (!base || !*base)
		return 0;
	pthread_once(&curl_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (!c)
		return 0;
	/* GET /models, which OpenAI-compatible servers answer: any HTTP status (a 401 too)
	 * means a server is there. No key is sent. */
	char *url = endpoint(base, "/models");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	if (connections)
		curl_easy_setopt(c, CURLOPT_SHARE, connections);
	long status = 0;
	int ok = curl_easy_perform(c) == CURLE_OK &&
	         curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status > 0;
	curl_easy_cleanup(c);
	free(url);
	return ok;
}

char *wk_llm_public_url(const char *url)
{
	CURLU *u = curl_url();
	char *clean = NULL, *out;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		/* user, password and query may hold a key */
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_set(u, CURLUPART_QUERY, NULL, 0);
		curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
		curl_url_get(u, CURLUPART_URL, &clean, 0);
	}
	out = wk_xstrdup(clean ? clean : "(not a valid URL)");
	curl_free(clean);
	curl_url_cleanup(u);
	return out;
}
