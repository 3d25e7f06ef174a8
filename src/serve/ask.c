/* ask.c: POST /v1/ask {"question", "doc_id"?, "budget"?, "llm"?, "stream"?}: the JSON of
 * `wukong ask --json` (every evidence item names its document, "doc": {id, title, path},
 * so that the page can fetch its page image and crop), from the ask service (wk_ask):
 * the same evidence and answer as the command line. The server falls back to the
 * extractive answer when the model fails, and says why in "llm_error".
 *
 * With "stream": true the reply is an event stream (text/event-stream), so that a model
 * answering on a CPU is read as it writes:
 *   event: evidence   the full JSON with the extractive answer, as soon as sampled
 *   event: token      {"text": piece} for each piece of the model's answer
 *   event: done       the full JSON with the final answer (the model's, or the extractive
 *                     one marked as a fallback with "llm_error")
 * A writer thread asks (holding a library handle only until the evidence is chosen) and
 * writes the events into a pipe that the server streams. */
#include "serve.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct ask_request {
	json_t *root; /* owns the strings below */
	const char *question;
	const char *doc_id; /* NULL = the whole library */
	int budget;
	int llm;
	int stream;
} ask_request;

static int valid_hex_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 4 || n > WK_ID_MAX)
		return 0;
	return strspn(s, "0123456789abcdef") == n;
}

/* Checks the request body field by field; 0 with a 400 reply when something is off. */
static int parse_request(const wk_http_req *req, ask_request *ar, wk_http_reply *reply)
{
	json_error_t jerr;
	memset(ar, 0, sizeof *ar);
	ar->root =
	    json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!ar->root || !json_is_object(ar->root)) {
		if (ar->root)
			wk_reply_error(reply, 400, "the body must be a JSON object");
		else
			wk_reply_error(reply, 400, "malformed JSON at line %d: %s", jerr.line,
			               jerr.text);
		return 0;
	}
	static const char *const known[] = {"question", "doc_id", "budget", "llm", "stream"};
	const char *key;
	json_t *value;
	json_object_foreach(ar->root, key, value) {
		size_t k = 0;
		while (k < sizeof known / sizeof known[0] && strcmp(key, known[k]))
			k++;
		if (k == sizeof known / sizeof known[0])
			return wk_reply_error(reply, 400, "unknown field \"%.64s\" (known: question, "
			                                  "doc_id, budget, llm, stream)", key),
			       0;
	}
	json_t *q = json_object_get(ar->root, "question");
	json_t *d = json_object_get(ar->root, "doc_id");
	json_t *b = json_object_get(ar->root, "budget");
	json_t *l = json_object_get(ar->root, "llm");
	if (!json_is_string(q))
		return wk_reply_error(reply, 400, "missing field \"question\" (a string)"), 0;
	ar->question = json_string_value(q);
	if (d && !json_is_null(d) && (!json_is_string(d) || !valid_hex_id(json_string_value(d))))
		return wk_reply_error(reply, 400,
		                      "\"doc_id\" must be a document id (4 to 64 "
		                      "lowercase hex digits)"),
		       0;
	ar->doc_id = json_is_string(d) ? json_string_value(d) : NULL;
	wk_ask_opts defaults;
	wk_ask_opts_init(&defaults);
	ar->budget = defaults.budget;
	if (b && !json_is_null(b)) {
		if (!json_is_integer(b) || json_integer_value(b) < 16 ||
		    json_integer_value(b) > 1000000)
			return wk_reply_error(reply, 400,
			                      "\"budget\" must be an integer from 16 to "
			                      "1000000 (tokens)"),
			       0;
		ar->budget = (int)json_integer_value(b);
	}
	if (l && !json_is_null(l) && !json_is_boolean(l))
		return wk_reply_error(reply, 400, "\"llm\" must be true or false"), 0;
	ar->llm = json_is_true(l);
	json_t *st = json_object_get(ar->root, "stream");
	if (st && !json_is_null(st) && !json_is_boolean(st))
		return wk_reply_error(reply, 400, "\"stream\" must be true or false"), 0;
	ar->stream = json_is_true(st);
	wk_error err;
	if (wk_question_check(ar->question, &err))
		return wk_reply_error(reply, 400, "%s",
		                      err.message[0] ? err.message : "bad question"),
		       0;
	return 1;
}

/* The service for one request: its budget, the model when asked for, and the fallback
 * (a server answers even when its model fails). The breaker stays off: a server runs
 * long, and a model that comes back must be asked again. */
static int new_asker(const wk_serve_ctx *ctx, const ask_request *ar, wk_asker **out,
                     wk_error *err)
{
	wk_ask_policy policy;
	wk_ask_policy_init(&policy);
	policy.budget = ar->budget;
	policy.llm = ar->llm ? ctx->llm : NULL;
	policy.scorer = ctx->embed ? "hybrid" : NULL; /* as `ask` does with an embedding URL */
	policy.embed = ctx->embed;
	policy.fallback = 1;
	policy.give_up_after = 0;
	return wk_asker_new(&policy, out, err);
}

/* The model was asked for but the server has none: the extractive answer, said so. */
static void no_model(const wk_serve_ctx *ctx, const ask_request *ar, wk_ask_result *r)
{
	if (!ar->llm || ctx->llm || !r->answer)
		return;
	r->mode = WK_MODE_FALLBACK;
	r->answer->mode = wk_ask_mode_name(WK_MODE_FALLBACK);
	wk_set_error(&r->model_error, WK_EINVAL, "no language model is configured on the server");
}

static int ask(const wk_serve_ctx *ctx, wk_library *lib, const ask_request *ar,
               const wk_ask_calls *calls, wk_ask_result **r, wk_error *err)
{
	wk_asker *asker;
	int rc = new_asker(ctx, ar, &asker, err);
	if (rc == WK_OK) {
		wk_ask_source src = {.library = lib, .doc_id = ar->doc_id};
		rc = wk_ask(asker, &src, ar->question, calls, r, err);
		wk_asker_free(asker);
	}
	if (rc == WK_OK)
		no_model(ctx, ar, *r);
	return rc;
}

static void run(const wk_serve_ctx *ctx, wk_library *lib, const ask_request *ar,
                wk_http_reply *reply)
{
	wk_ask_result *r = NULL;
	wk_error err;
	char *json = NULL;
	int rc = ask(ctx, lib, ar, NULL, &r, &err);
	if (rc == WK_OK)
		rc = wk_ask_result_to_json(r, &json, NULL, &err);
	if (rc == WK_OK) {
		reply->status = 200;
		reply->content_type = "application/json";
		reply->body = json;
		reply->len = strlen(json);
	} else {
		wk_reply_wk_error(reply, &err);
	}
	wk_ask_result_free(r);
}

/* ---- streamed answers ---- */

typedef struct ask_stream {
	const wk_serve_ctx *ctx;
	ask_request ar;      /* owns its JSON root */
	wk_library *lib;     /* held until the evidence is chosen */
	int fd;              /* the pipe's write end */
	int gone;            /* the client went away: write nothing more */
	double last_write;   /* wk_now_ms of the last bytes written */
} ask_stream;

#define KEEPALIVE_MS 1000 /* a comment line this often while the model is silent */

static void write_all(ask_stream *s, const char *p, size_t n)
{
	while (n && !s->gone) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->gone = 1; /* EPIPE: the server closed the read end (SIGPIPE is ignored) */
			return;
		}
		p += w;
		n -= (size_t)w;
	}
	s->last_write = wk_now_ms();
}

/* One event; `data` is compact JSON, so it is one line. */
static void emit(ask_stream *s, const char *event, const char *data)
{
	write_all(s, "event: ", 7);
	write_all(s, event, strlen(event));
	write_all(s, "\ndata: ", 7);
	write_all(s, data, strlen(data));
	write_all(s, "\n\n", 2);
}

static void on_piece(void *user, const char *piece, size_t len)
{
	json_t *o = json_pack("{s:s%}", "text", piece, len);
	char *data = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (data)
		emit(user, "token", data);
	free(data);
	json_decref(o);
}

/* The model's request stops when nobody reads any more. The server notices a client
 * that left only when it writes to it, so a silent model gets a comment line now and
 * then (which also keeps proxies and the idle timeout from closing the stream); the
 * server then closes the pipe's read end, which the next write or poll sees. */
static int client_gone(void *user)
{
	ask_stream *s = user;
	if (!s->gone && wk_now_ms() - s->last_write > KEEPALIVE_MS)
		write_all(s, ": keep-alive\n\n", 14);
	struct pollfd p = {.fd = s->fd, .events = POLLOUT};
	if (!s->gone && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)))
		s->gone = 1;
	return s->gone;
}

static void emit_result(ask_stream *s, const char *event, const wk_ask_result *r)
{
	char *json = NULL;
	wk_error err;
	if (wk_ask_result_to_json(r, &json, NULL, &err) == WK_OK)
		emit(s, event, json);
	else
		emit(s, "error", "{\"error\":\"cannot write the answer\"}");
	wk_free(json);
}

/* The evidence is chosen: its event (with the extractive answer), and the library handle
 * goes back to the pool before the model, which may take minutes, is asked. */
static void on_evidence(void *user, const wk_ask_result *r)
{
	ask_stream *s = user;
	wk_pool_put(s->ctx->pool, s->lib);
	s->lib = NULL;
	emit_result(s, "evidence", r);
}

/* Asks, and writes one event for the evidence, the model's pieces and the answer. */
static void stream_answers(ask_stream *s)
{
	wk_ask_result *r = NULL;
	wk_error err;
	int rc = wk_pool_get(s->ctx->pool, &s->lib, &err);
	wk_ask_calls calls = {.on_evidence = on_evidence, .on_text = on_piece,
	                      .cancel = client_gone, .user = s};
	if (rc == WK_OK)
		rc = ask(s->ctx, s->lib, &s->ar, &calls, &r, &err);
	if (s->lib)
		wk_pool_put(s->ctx->pool, s->lib);
	s->lib = NULL;
	if (rc == WK_OK)
		emit_result(s, "done", r);
	else
		emit(s, "error", "{\"error\":\"cannot answer\"}");
	wk_ask_result_free(r);
}

static void *stream_main(void *arg)
{
	ask_stream *s = arg;
	stream_answers(s);
	close(s->fd);
	atomic_int *streams = s->ctx->streams;
	json_decref(s->ar.root);
	free(s);
	atomic_fetch_sub(streams, 1); /* last: wk_server_stop may free the context after it */
	return NULL;
}

/* Hands the question to a writer thread; *ar's JSON goes with it. */
static void start_stream(const wk_serve_ctx *ctx, ask_request *ar, wk_http_reply *reply)
{
	if (atomic_fetch_add(ctx->streams, 1) >= ctx->max_streams) {
		atomic_fetch_sub(ctx->streams, 1);
		wk_reply_error(reply, 503, "too many streamed answers at once");
		return;
	}
	ask_stream *s = wk_xcalloc(1, sizeof *s);
	s->ctx = ctx;
	wk_error err;
	int fds[2] = {-1, -1};
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pipe(fds) == 0) {
		s->fd = fds[1];
		s->ar = *ar;
		ar->root = NULL; /* the thread's now */
		if (pthread_create(&t, &attr, stream_main, s) == 0) {
			pthread_attr_destroy(&attr);
			reply->status = 200;
			reply->content_type = "text/event-stream; charset=utf-8";
			reply->stream = 1;
			reply->stream_fd = fds[0];
			return;
		}
		ar->root = s->ar.root;
		close(fds[0]);
		close(fds[1]);
		wk_set_error(&err, WK_EINTERNAL, "cannot start the answer's writer thread");
	} else {
		wk_set_error(&err, WK_EIO, "cannot open a pipe for the streamed answer");
	}
	pthread_attr_destroy(&attr);
	wk_reply_wk_error(reply, &err);
	free(s);
	atomic_fetch_sub(ctx->streams, 1);
}

void wk_api_ask(const wk_serve_ctx *ctx, const wk_http_req *req, wk_http_reply *reply)
{
	ask_request ar;
	if (!parse_request(req, &ar, reply)) {
		json_decref(ar.root);
		return;
	}
	wk_library *lib;
	wk_error err;
	if (wk_pool_get(ctx->pool, &lib, &err)) {
		json_decref(ar.root);
		wk_reply_wk_error(reply, &err);
		return;
	}
	wk_doc_info info;
	if (!ar.doc_id || wk_api_find(lib, ar.doc_id, &info, reply) == WK_OK) {
		if (ar.doc_id)
			ar.doc_id = info.id;
		if (ar.stream)
			start_stream(ctx, &ar, reply);
		else
			run(ctx, lib, &ar, reply);
	}
	wk_pool_put(ctx->pool, lib);
	json_decref(ar.root);
}
