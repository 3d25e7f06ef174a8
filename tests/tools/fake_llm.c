/* fake_llm.c: a real HTTP server on 127.0.0.1 that speaks the OpenAI chat completions
 * protocol (libmicrohttpd), for the language model tests. It records every request and
 * misbehaves on demand, chosen by the model name the client sends.
 *
 * usage: fake_llm [--port N] [--log FILE] [--key KEY]
 *   Prints the port it listens on (N, or an ephemeral one with 0, the default) as one line
 *   on stdout, then serves until its stdin reaches end of file (so it never outlives the
 *   test that started it) or it gets SIGTERM.
 *   --log FILE  appends one JSON line per request: {"n", "path", "auth", "bytes", "body"}
 *   --key KEY   requests without "Authorization: Bearer KEY" get 401
 *
 * Model names (a prefix picks the behaviour; anything else answers normally):
 *   unknown...      404 model_not_found
 *   fail-401 / fail-403 / fail-500 / fail-429   that status, always (429: Retry-After: 1)
 *   flaky-503-N...  503 for the first N requests with this exact name, then normal
 *   flaky-429-N...  429 with Retry-After: 1 for the first N requests, then normal
 *   flaky-cut-N...  as "cut" for the first N requests with this exact name, then normal
 *   stall           streams one event, then sends nothing for 30 s
 *   stall-head      sends nothing at all for 30 s
 *   cut             streams half the answer, then drops the connection
 *   cut-clean       streams the answer, ends the stream without finish_reason or [DONE]
 *   tight           a stream without finish_reason whose last line, "data: [DONE]", has
 *                   no newline
 *   garbage         200 with an HTML page
 *   stream-error    200 event stream whose first event is an error object
 *   ctx-N...        400 context_length_exceeded (OpenAI wording) when the body > N bytes
 *   ctxllama-N...   the same in llama-server's words (exceed_context_size_error)
 *   refuse          answers "Not answerable: ..."
 *   huge-body / huge-line   a 5 MiB reply / a 2 MiB streamed event
 *   think           answers "<think>... [2] ...</think> Mercury [1]." (a reasoning model)
 *   rank...         a relevance judge: rates each "[N] passage" line of the prompt by the
 *                   share of the "Question:" line's words it holds (synonyms as one word,
 *                   as the fake encoder below), "N: RATING" (0-10) per line
 * The normal answer cites the first two evidence ids of the prompt and an invented id
 * (987654), and reports usage: prompt_tokens = words of all message texts,
 * completion_tokens = words of the answer.
 *
 * POST /v1/embeddings: a bag of words hashed into 64 dimensions (words lowercased, a few
 * stop words dropped), where each word of a synonym group counts as the group's first
 * word ("automobile" -> "car"), so that a test can ask with words the text does not use.
 * The model names above that fail (unknown, fail-*, flaky-*, garbage, stall-head) fail
 * here too; moreover "dim-N..." gives N dimensions, "mixed-dim" gives the second input
 * one dimension fewer, "nan" sends NaN (not JSON), "short" one vector too few. */
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BODY (64u << 20)
#define MAX_MODELS 256

typedef struct server {
	FILE *log;
	const char *key;
	pthread_mutex_t lock;
	int nrequests;
	char *models[MAX_MODELS]; /* request counts per exact model name */
	int counts[MAX_MODELS];
} server;

typedef struct upload {
	char *data;
	size_t len, cap;
	int too_big;
} upload;

typedef struct stream {
	char *data;     /* the whole event stream */
	size_t len;
	size_t stop_at; /* after this many bytes: stall or drop */
	int stall;
	int drop;
} stream;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* How many requests (this one included) came for exactly this model name. */
static int count_model(server *s, const char *model)
{
	pthread_mutex_lock(&s->lock);
	int i = 0;
	while (i < MAX_MODELS && s->models[i] && strcmp(s->models[i], model))
		i++;
	int n = 0;
	if (i < MAX_MODELS) {
		if (!s->models[i])
			s->models[i] = strdup(model);
		n = ++s->counts[i];
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void record(server *s, const char *path, const char *auth, const upload *up)
{
	pthread_mutex_lock(&s->lock);
	int n = ++s->nrequests;
	if (s->log) {
		json_t *body = json_loadb(up->data ? up->data : "", up->len, 0, NULL);
		if (!body)
			body = json_stringn(up->data ? up->data : "", up->len);
		json_t *line = json_pack("{s:i, s:s, s:s?, s:i, s:o}", "n", n, "path", path, "auth",
		                         auth, "bytes", (json_int_t)up->len, "body",
		                         body ? body : json_null());
		char *text = json_dumps(line, JSON_COMPACT);
		fprintf(s->log, "%s\n", text);
		fflush(s->log);
		free(text);
		json_decref(line);
	}
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
                                 const char *text, const char *retry_after)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
	                                                         MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", type);
	if (retry_after)
		MHD_add_response_header(r, "Retry-After", retry_after);
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg,
                                  const char *type, const char *code, const char *retry_after)
{
	json_t *e = json_pack("{s:{s:s, s:s, s:s?}}", "error", "message", msg, "type", type,
	                      "code", code);
	char *text = json_dumps(e, JSON_COMPACT);
	enum MHD_Result ok = send_text(c, status, "application/json", text, retry_after);
	free(text);
	json_decref(e);
	return ok;
}

static int count_words(const char *s)
{
	int n = 0, in = 0;
	for (; s && *s; s++) {
		int sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
		n += !sp && !in;
		in = !sp;
	}
	return n;
}

/* All text of the messages (string contents and text parts), concatenated. */
static char *prompt_text(json_t *req)
{
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	json_t *msgs = json_object_get(req, "messages"), *m, *part;
	size_t i, j;
	json_array_foreach(msgs, i, m) {
		json_t *content = json_object_get(m, "content");
		json_t *one = json_is_string(content) ? json_pack("[{s:O}]", "text", content) : NULL;
		json_array_foreach(one ? one : content, j, part) {
			const char *t = json_string_value(json_object_get(part, "text"));
			size_t n = t ? strlen(t) : 0;
			if (len + n + 2 > cap) {
				cap = (len + n + 2) * 2;
				out = realloc(out, cap);
			}
			memcpy(out + len, t ? t : "", n);
			len += n;
			out[len++] = '\n';
			out[len] = '\0';
		}
		json_decref(one);
	}
	return out;
}

static char *ratings_for(const char *prompt);

/* The normal answer: cites the first two evidence blocks ("[12] (page") and one id that
 * was never sent. */
static char *answer_for(const char *prompt, const char *model)
{
	if (!strncmp(model, "rank", 4))
		return ratings_for(prompt);
	if (!strncmp(model, "refuse", 6))
		return strdup("Not answerable: the evidence does not say.");
	if (!strncmp(model, "think", 5))
		return strdup("<think>The user asks; maybe [2] helps.</think>\n\nMercury [1].");
	long ids[2] = {-1, -1};
	int n = 0;
	for (const char *p = strchr(prompt, '['); p && n < 2; p = strchr(p + 1, '[')) {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end > p + 1 && !strncmp(end, "] (", 3))
			ids[n++] = v;
	}
	char *out = malloc(256);
	if (n == 0)
		snprintf(out, 256, "The evidence is empty [987654].");
	else
		snprintf(out, 256, "The answer is in the evidence [%ld] and [%ld]; see also [987654].",
		         ids[0], n > 1 ? ids[1] : ids[0]);
	return out;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static void append_event(char **buf, size_t *len, size_t *cap, json_t *ev)
{
	char *text = json_dumps(ev, JSON_COMPACT);
	append(buf, len, cap, "data: ");
	append(buf, len, cap, text);
	append(buf, len, cap, "\n\n");
	free(text);
	json_decref(ev);
}

/* The answer as SSE events: one per word, then finish_reason, usage, [DONE]. */
static stream *make_stream(const char *answer, int ptok, int ctok, int with_end, int usage)
{
	stream *st = calloc(1, sizeof *st);
	size_t cap = 4096;
	st->data = calloc(1, cap);
	append_event(&st->data, &st->len, &cap, json_pack("{s:s, s:s, s:[{s:i, s:{s:s}}]}",
		"id", "c1", "object", "chat.completion.chunk", "choices", "index", 0, "delta", "role",
		"assistant"));
	for (const char *p = answer; *p;) {
		const char *e = strchr(p + 1, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_t *piece = json_stringn(p, n);
		append_event(&st->data, &st->len, &cap, json_pack("{s:s, s:[{s:i, s:{s:o}}]}",
			"object", "chat.completion.chunk", "choices", "index", 0, "delta", "content", piece));
		p += n;
	}
	if (with_end) {
		append_event(&st->data, &st->len, &cap, json_pack("{s:s, s:[{s:i, s:{}, s:s}]}",
			"object", "chat.completion.chunk", "choices", "index", 0, "delta",
			"finish_reason", "stop"));
		if (usage)
			append_event(&st->data, &st->len, &cap, json_pack("{s:s, s:[], s:{s:i, s:i, s:i}}",
				"object", "chat.completion.chunk", "choices", "usage", "prompt_tokens", ptok,
				"completion_tokens", ctok, "total_tokens", ptok + ctok));
		append(&st->data, &st->len, &cap, "data: [DONE]\n\n");
	}
	st->stop_at = st->len;
	return st;
}

/* Sends the stream one event at a time, so that the client sees separate pieces. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	stream *st = cls;
	if (pos >= st->stop_at) {
		if (st->stall)
			sleep_ms(30000);
		if (st->stall || st->drop)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	const char *start = st->data + pos;
	const char *end = strstr(start, "\n\n");
	size_t n = end ? (size_t)(end - start) + 2 : st->stop_at - pos;
	n = n > st->stop_at - pos ? st->stop_at - pos : n;
	n = n > max ? max : n;
	memcpy(buf, start, n);
	sleep_ms(2);
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	stream *st = cls;
	free(st->data);
	free(st);
}

static enum MHD_Result send_stream(struct MHD_Connection *c, stream *st)
{
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
	                                                           stream_read, st, stream_free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_answer(struct MHD_Connection *c, json_t *req, const char *model,
                                   int cut)
{
	char *prompt = prompt_text(req);
	char *answer = answer_for(prompt, model);
	int ptok = count_words(prompt), ctok = count_words(answer);
	free(prompt);
	enum MHD_Result ok;
	if (json_is_true(json_object_get(req, "stream"))) {
		int usage = json_is_true(json_object_get(json_object_get(req, "stream_options"),
		                                         "include_usage"));
		int tight = !strcmp(model, "tight");
		stream *st = make_stream(answer, ptok, ctok, strcmp(model, "cut-clean") && !tight, usage);
		if (cut) {
			st->stop_at = st->len / 2;
			st->drop = 1;
		} else if (tight) { /* no finish_reason, and [DONE] without its newline */
			size_t cap = st->len + 1;
			append(&st->data, &st->len, &cap, "data: [DONE]");
			st->stop_at = st->len;
		} else if (!strcmp(model, "stall")) {
			st->stop_at = strstr(st->data, "\n\n") - st->data + 2;
			st->stall = 1;
		}
		ok = send_stream(c, st);
	} else {
		json_t *reply = json_pack("{s:s, s:s, s:s, s:[{s:i, s:{s:s, s:s}, s:s}], "
		                          "s:{s:i, s:i, s:i}}", "id", "c1", "object", "chat.completion",
		                          "model", model, "choices", "index", 0, "message", "role",
		                          "assistant", "content", answer, "finish_reason", "stop",
		                          "usage", "prompt_tokens", ptok, "completion_tokens", ctok,
		                          "total_tokens", ptok + ctok);
		char *text = json_dumps(reply, JSON_COMPACT);
		ok = send_text(c, MHD_HTTP_OK, "application/json", text, NULL);
		free(text);
		json_decref(reply);
	}
	free(answer);
	return ok;
}

/* 5 MiB of one JSON string (huge-body), or one 2 MiB event line (huge-line). */
static enum MHD_Result send_huge(struct MHD_Connection *c, int line)
{
	size_t n = line ? (2u << 20) : (5u << 20);
	char *text = malloc(n + 16);
	memset(text, 'x', n + 16);
	memcpy(text, line ? "data: \"" : "\"", line ? 7 : 1);
	memcpy(text + n, line ? "\"\n\n" : "\"", line ? 4 : 2);
	stream *st = calloc(1, sizeof *st);
	st->data = text;
	st->len = st->stop_at = n + (line ? 3 : 1);
	if (line)
		return send_stream(c, st);
	enum MHD_Result ok = send_text(c, 200, "application/json", (text[n + 1] = '\0', text), NULL);
	stream_free(st);
	return ok;
}

static int flaky(server *s, const char *model, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(model, prefix, n))
		return 0;
	return count_model(s, model) <= atoi(model + n);
}

/* The faults that come before any answer; returns -1 when there is none. */
static int fault(server *s, struct MHD_Connection *c, const char *model, size_t body_len,
                 enum MHD_Result *ok)
{
	long limit = !strncmp(model, "ctx-", 4) ? atol(model + 4)
	           : !strncmp(model, "ctxllama-", 9) ? atol(model + 9) : -1;
	if (!strncmp(model, "unknown", 7))
		*ok = send_error(c, 404, "The model does not exist", "invalid_request_error",
		                 "model_not_found", NULL);
	else if (!strcmp(model, "fail-401"))
		*ok = send_error(c, 401, "Incorrect API key provided", "invalid_request_error",
		                 "invalid_api_key", NULL);
	else if (!strcmp(model, "fail-403"))
		*ok = send_error(c, 403, "Forbidden", "permission_error", NULL, NULL);
	else if (!strcmp(model, "fail-500"))
		*ok = send_error(c, 500, "Internal error", "server_error", NULL, NULL);
	else if (!strcmp(model, "fail-429") || flaky(s, model, "flaky-429-"))
		*ok = send_error(c, 429, "Rate limit reached", "rate_limit_error", NULL, "1");
	else if (flaky(s, model, "flaky-503-"))
		*ok = send_text(c, 503, "text/html", "<html>Service Unavailable</html>", NULL);
	else if (!strcmp(model, "garbage"))
		*ok = send_text(c, 200, "text/html", "<html><body>Welcome to nginx!</body></html>", NULL);
	else if (limit >= 0 && body_len > (size_t)limit && model[3] == '-')
		*ok = send_error(c, 400, "This model's maximum context length is 4096 tokens. However, "
		                 "your messages resulted in 9000 tokens.", "invalid_request_error",
		                 "context_length_exceeded", NULL);
	else if (limit >= 0 && body_len > (size_t)limit)
		*ok = send_error(c, 400, "the request exceeds the available context size, try "
		                 "increasing it", "exceed_context_size_error", NULL, NULL);
	else
		return -1;
	return 0;
}

/* Words that mean the same to the fake encoder: each maps to the first of its group. */
static const char *const synonyms[][4] = {
	{"car", "automobile", "vehicle", NULL},
	{"doctor", "physician", "clinician", NULL},
	{"buy", "purchase", "acquire", NULL},
	{"revenue", "turnover", "sales", NULL},
};

static int stop_word(const char *w)
{
	static const char *const stop[] = {"the", "a", "an", "of", "is", "what", "which", "in",
	                                   "to", "and", "does", "do", "who", "how", "for", "on"};
	for (size_t i = 0; i < sizeof stop / sizeof *stop; i++)
		if (!strcmp(w, stop[i]))
			return 1;
	return 0;
}

static unsigned word_hash(const char *w)
{
	for (size_t g = 0; g < sizeof synonyms / sizeof *synonyms; g++)
		for (int k = 0; synonyms[g][k]; k++)
			if (!strcmp(w, synonyms[g][k]))
				w = synonyms[g][0];
	unsigned h = 2166136261u;
	for (; *w; w++)
		h = (h ^ (unsigned char)*w) * 16777619u;
	return h;
}

/* The words of s (up to a newline when `line`), synonym-folded and hashed, into h;
 * returns the count (at most cap). */
static int hashed_words(const char *s, int line, unsigned *h, int cap)
{
	char w[64];
	size_t n = 0;
	int k = 0;
	for (;; s++) {
		unsigned char ch = (unsigned char)*s;
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (alnum && n + 1 < sizeof w) {
			w[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		} else if (!alnum && n) {
			w[n] = '\0';
			if (!stop_word(w) && k < cap)
				h[k++] = word_hash(w);
			n = 0;
		}
		if (!ch || (line && ch == '\n'))
			return k;
	}
}

/* The fake encoder: counts of hashed words, as a JSON array of `dim` numbers. */
static json_t *embed_one(const char *text, int dim)
{
	static unsigned h[1 << 16]; /* one request at a time per connection thread: */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* ... so guard the buffer */
	double *v = calloc((size_t)dim, sizeof *v);
	pthread_mutex_lock(&lock);
	int n = hashed_words(text, 0, h, 1 << 16);
	for (int i = 0; i < n; i++)
		v[h[i] % (unsigned)dim] += 1;
	pthread_mutex_unlock(&lock);
	json_t *arr = json_array();
	for (int i = 0; i < dim; i++)
		json_array_append_new(arr, json_real(v[i]));
	free(v);
	return arr;
}

static char *ratings_for(const char *prompt)
{
	unsigned q[64], p[512];
	const char *ql = strstr(prompt, "Question: ");
	int nq = ql ? hashed_words(ql + 10, 1, q, 64) : 0;
	size_t cap = 4096, len = 0;
	char *out = calloc(1, cap);
	for (const char *l = prompt; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char *end;
		long id = l[0] == '[' ? strtol(l + 1, &end, 10) : 0;
		if (id <= 0 || *end != ']')
			continue;
		int np = hashed_words(end + 1, 1, p, 512), hits = 0;
		for (int i = 0; i < nq; i++)
			for (int j = 0; j < np; j++)
				if (q[i] == p[j]) {
					hits++;
					break;
				}
		if (len + 32 < cap)
			len += (size_t)snprintf(out + len, cap - len, "%ld: %d\n", id,
			                        nq ? 10 * hits / nq : 0);
	}
	return out;
}

static enum MHD_Result send_embeddings(struct MHD_Connection *c, json_t *req, const char *model)
{
	if (!strcmp(model, "nan"))
		return send_text(c, 200, "application/json",
		                 "{\"data\":[{\"index\":0,\"embedding\":[NaN,1]}]}", NULL);
	json_t *input = json_object_get(req, "input");
	json_t *one = json_is_string(input) ? json_pack("[O]", input) : NULL;
	json_t *list = one ? one : input;
	int dim = !strncmp(model, "dim-", 4) ? atoi(model + 4) : 64;
	if (dim < 2 || dim > 4096)
		dim = 64;
	json_t *data = json_array(), *it;
	size_t i;
	json_array_foreach(list, i, it) {
		if (!strcmp(model, "short") && i + 1 == json_array_size(list))
			break;
		int d = !strcmp(model, "mixed-dim") && i == 1 ? dim - 1 : dim;
		json_array_append_new(data, json_pack("{s:s, s:i, s:o}", "object", "embedding", "index",
		                                      (int)i, "embedding",
		                                      embed_one(json_string_value(it) ? json_string_value(it) : "", d)));
	}
	json_decref(one);
	json_t *reply = json_pack("{s:s, s:o, s:s}", "object", "list", "data", data, "model", model);
	char *text = json_dumps(reply, JSON_COMPACT);
	enum MHD_Result ok = send_text(c, 200, "application/json", text, NULL);
	free(text);
	json_decref(reply);
	return ok;
}

static enum MHD_Result respond(server *s, struct MHD_Connection *c, const char *url,
                               upload *up)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	record(s, url, auth, up);
	int embeddings = !strcmp(url, "/v1/embeddings") || !strcmp(url, "/embeddings");
	if (strcmp(url, "/v1/chat/completions") && strcmp(url, "/chat/completions") && !embeddings)
		return send_text(c, 404, "text/plain", "File Not Found", NULL);
	if (s->key) {
		char want[512];
		snprintf(want, sizeof want, "Bearer %s", s->key);
		if (!auth || strcmp(auth, want))
			return send_error(c, 401, "Invalid API Key", "authentication_error", NULL, NULL);
	}
	json_t *req = json_loadb(up->data ? up->data : "", up->len, 0, NULL);
	const char *model = json_string_value(json_object_get(req, "model"));
	if (!req || !model) {
		json_decref(req);
		return send_error(c, 400, "bad request body", "invalid_request_error", NULL, NULL);
	}
	enum MHD_Result ok = MHD_YES;
	if (fault(s, c, model, up->len, &ok) < 0) {
		if (!strcmp(model, "stall-head"))
			sleep_ms(30000);
		if (embeddings)
			ok = send_embeddings(c, req, model);
		else if (!strncmp(model, "huge", 4))
			ok = send_huge(c, !strcmp(model, "huge-line"));
		else if (!strcmp(model, "stream-error"))
			ok = send_text(c, 200, "text/event-stream", "data: {\"error\":{\"message\":\"model "
			               "crashed while generating\",\"type\":\"server_error\"}}\n\n", NULL);
		else
			ok = send_answer(c, req, model,
			                 !strcmp(model, "cut") || flaky(s, model, "flaky-cut-"));
	}
	json_decref(req);
	return ok;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version,
                               const char *data, size_t *size, void **con_cls)
{
	(void)version;
	server *s = cls;
	upload *up = *con_cls;
	if (!up) {
		*con_cls = calloc(1, sizeof *up);
		return MHD_YES;
	}
	if (*size) {
		if (up->len + *size > MAX_BODY) {
			up->too_big = 1;
		} else {
			if (up->len + *size + 1 > up->cap) {
				up->cap = (up->len + *size + 1) * 2;
				up->data = realloc(up->data, up->cap);
			}
			memcpy(up->data + up->len, data, *size);
			up->len += *size;
		}
		*size = 0;
		return MHD_YES;
	}
	if (up->too_big)
		return send_error(c, 413, "request too large", "invalid_request_error", NULL, NULL);
	if (!strcmp(method, "GET") && strstr(url, "/models"))
		return send_text(c, 200, "application/json",
		                 "{\"object\":\"list\",\"data\":[{\"id\":\"fake\",\"object\":\"model\"}]}",
		                 NULL);
	return respond(s, c, url, up);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	upload *up = *con_cls;
	if (up) {
		free(up->data);
		free(up);
	}
	*con_cls = NULL;
}

int main(int argc, char **argv)
{
	server s = {.lock = PTHREAD_MUTEX_INITIALIZER};
	int port = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--log"))
			s.log = fopen(argv[i + 1], "a");
		else if (!strcmp(argv[i], "--key"))
			s.key = argv[i + 1];
	}
	signal(SIGPIPE, SIG_IGN);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, (uint16_t)port, NULL,
		NULL, handler, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "fake_llm: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("%u\n", info ? info->port : (unsigned)port);
	fflush(stdout);
	char buf[256];
	while (read(0, buf, sizeof buf) > 0)
		;
	/* Stalled handlers sleep for 30 s; do not wait for them. */
	if (s.log)
		fclose(s.log);
	_exit(0);
}
