/* ask.c: POST /v1/ask {"question", "doc_id"?, "budget"?, "llm"?, "stream"?}: the JSON of
 * `wukong ask --json`, each evidence item also naming its document ("doc_id") so that the
 * page can fetch its page image and crop.
 *
 * With "stream": true the reply is an event stream (text/event-stream), so that a model
 * answering on a CPU is read as it writes:
 *   event: evidence   the full JSON with the extractive answer, as soon as sampled
 *   event: token      {"text": piece} for each piece of the model's answer
 *   event: done       the full JSON with the final answer (the model's, or the extractive
 *                     one marked as a fallback with "llm_error")
 * Sampling runs in the request (its errors are plain JSON replies); a writer thread then
 * asks the model and writes the events into a pipe that the server streams. */
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

/* Adds "doc_id" to each evidence item of the ask JSON, in selection order. */
static char *with_doc_ids(const char *json, size_t len, const wk_selection *sel, wk_doc **docs,
                          int ndocs)
{
	json_t *root = json_loadb(json, len, 0, NULL);
	json_t *ev = root ? json_object_get(root, "evidence") : NULL;
	char *out = NULL;
	if (json_is_array(ev) && json_array_size(ev) == (size_t)sel->n) {
		for (int i = 0; i < sel->n; i++) {
			int d = sel->items[i].doc;
			json_t *item = json_array_get(ev, (size_t)i);
			if (d >= 0 && d < ndocs && json_is_object(item) &&
			    !json_object_get(item, "doc_id"))
				json_object_set_new(item, "doc_id",
				                    json_stringn(docs[d]->hash, 16));
		}
		out = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
	}
	json_decref(root);
	return out;
}

/* The answer: from the model when asked and configured, else extractive. A model that
 * fails leaves the extractive answer, marked as a fallback, and the reason. */
static int answer(const wk_llm_opts *llm, const ask_request *ar, wk_doc **docs,
                  const wk_selection *sel, wk_answer **ans, wk_error *llm_err, wk_error *err)
{
	const wk_doc *const *cdocs = (const wk_doc *const *)docs;
	llm_err->code = WK_OK;
	llm_err->message[0] = '\0';
	if (ar->llm && !llm)
		*llm_err = (wk_error){WK_EINVAL, "no language model is configured on the server"};
	if (ar->llm && llm && wk_answer_llm(llm, cdocs, sel, ar->question, ans, llm_err) == WK_OK)
		return WK_OK;
	int rc = wk_answer_extractive(cdocs, sel, ar->question, ans, err);
	if (rc == WK_OK && ar->llm)
		(*ans)->mode = "extractive-fallback";
	return rc;
}

/* The reply's JSON: the ask JSON with document ids and the model's error, if any. */
static char *reply_json(const ask_request *ar, wk_doc **docs, int ndocs,
                        const wk_selection *sel, const wk_answer *ans, const wk_timing *ms,
                        const wk_error *llm_err, wk_error *err)
{
	char *json = NULL;
	size_t len = 0;
	if (wk_ask_to_json(ar->question, (const wk_doc *const *)docs, sel, ans, ms, &json, &len, err))
		return NULL;
	char *full = with_doc_ids(json, len, sel, docs, ndocs);
	if (full && llm_err->code) {
		json_t *root = json_loads(full, 0, NULL);
		json_object_set_new(root, "llm_error", json_string(llm_err->message));
		free(full);
		full = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(root);
	}
	if (!full)
		return json;
	wk_free(json);
	return full;
}

/* The evidence for the request; ms->sample is what choosing it took. */
static int sample(wk_library *lib, const ask_request *ar, wk_selection **sel, wk_doc ***docs,
                  int *ndocs, wk_timing *ms, wk_error *err)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = ar->budget;
	double t0 = wk_now_ms();
	int rc = wk_library_ask(lib, ar->doc_id, ar->question, &opts, sel, docs, ndocs, err);
	ms->sample = wk_now_ms() - t0;
	return rc;
}

static void run(const wk_serve_ctx *ctx, wk_library *lib, const ask_request *ar,
                wk_http_reply *reply)
{
	wk_selection *sel = NULL;
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_answer *ans = NULL;
	wk_error err, llm_err = {0};
	wk_timing ms = {0};
	int rc = sample(lib, ar, &sel, &docs, &ndocs, &ms, &err);
	double t1 = wk_now_ms();
	if (rc == WK_OK)
		rc = answer(ctx->llm, ar, docs, sel, &ans, &llm_err, &err);
	ms.answer = wk_now_ms() - t1;
	char *json = rc == WK_OK ? reply_json(ar, docs, ndocs, sel, ans, &ms, &llm_err, &err) : NULL;
	if (json) {
		reply->status = 200;
		reply->content_type = "application/json";
		reply->body = json;
		reply->len = strlen(json);
	} else {
		wk_reply_wk_error(reply, &err);
	}
	wk_answer_free(ans);
	wk_selection_free(sel);
	wk_docs_free(docs, ndocs);
}

/* ---- streamed answers ---- */

typedef struct ask_stream {
	const wk_serve_ctx *ctx;
	ask_request ar;      /* owns its JSON root */
	wk_selection *sel;
	wk_doc **docs;
	int ndocs;
	wk_timing ms;
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

/* Answers (extractive, then from the model when asked) and writes one event for each. */
static void stream_answers(ask_stream *s)
{
	wk_answer *ans = NULL;
	wk_error err, llm_err = {0};
	char *json = NULL;
	if (wk_answer_extractive((const wk_doc *const *)s->docs, s->sel, s->ar.question, &ans,
	                         &err) == WK_OK)
		json = reply_json(&s->ar, s->docs, s->ndocs, s->sel, ans, &s->ms, &llm_err, &err);
	int ok = json != NULL;
	emit(s, ok ? "evidence" : "error", ok ? json : "{\"error\":\"cannot answer\"}");
	if (ok && !s->ar.llm)
		emit(s, "done", json); /* nothing more to come */
	free(json);
	wk_answer_free(ans);
	if (!ok || !s->ar.llm || s->gone)
		return;
	ans = NULL;
	wk_llm_opts llm = {0};
	if (s->ctx->llm) {
		llm = *s->ctx->llm;
		llm.on_text = on_piece;
		llm.cancel = client_gone;
		llm.user = s;
	}
	double t0 = wk_now_ms();
	int rc = answer(s->ctx->llm ? &llm : NULL, &s->ar, s->docs, s->sel, &ans, &llm_err, &err);
	s->ms.answer = wk_now_ms() - t0;
	json = rc == WK_OK ? reply_json(&s->ar, s->docs, s->ndocs, s->sel, ans, &s->ms, &llm_err, &err)
	                   : NULL;
	emit(s, json ? "done" : "error", json ? json : "{\"error\":\"cannot answer\"}");
	free(json);
	wk_answer_free(ans);
}

static void *stream_main(void *arg)
{
	ask_stream *s = arg;
	stream_answers(s);
	close(s->fd);
	atomic_int *streams = s->ctx->streams;
	wk_selection_free(s->sel);
	wk_docs_free(s->docs, s->ndocs);
	json_decref(s->ar.root);
	free(s);
	atomic_fetch_sub(streams, 1); /* last: wk_server_stop may free the context after it */
	return NULL;
}

/* Samples here, then hands the rest to a writer thread; *ar's JSON goes with it. */
static void start_stream(const wk_serve_ctx *ctx, wk_library *lib, ask_request *ar,
                         wk_http_reply *reply)
{
	if (atomic_fetch_add(ctx->streams, 1) >= ctx->max_streams) {
		atomic_fetch_sub(ctx->streams, 1);
		wk_reply_error(reply, 503, "too many streamed answers at once");
		return;
	}
	ask_stream *s = wk_xcalloc(1, sizeof *s);
	s->ctx = ctx;
	wk_error err;
	int rc = sample(lib, ar, &s->sel, &s->docs, &s->ndocs, &s->ms, &err);
	int fds[2] = {-1, -1};
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (rc == WK_OK && pipe(fds) == 0) {
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
		rc = wk_set_error(&err, WK_EINTERNAL, "cannot start the answer's writer thread");
	} else if (rc == WK_OK) {
		rc = wk_set_error(&err, WK_EIO, "cannot open a pipe for the streamed answer");
	}
	pthread_attr_destroy(&attr);
	wk_reply_wk_error(reply, &err);
	wk_selection_free(s->sel);
	wk_docs_free(s->docs, s->ndocs);
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
			start_stream(ctx, lib, &ar, reply);
		else
			run(ctx, lib, &ar, reply);
	}
	wk_pool_put(ctx->pool, lib);
	json_decref(ar.root);
}
