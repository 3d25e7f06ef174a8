/* ask.c: POST /v1/ask {"question", "doc_id"?, "budget"?, "llm"?}: the JSON of
 * `wukong ask --json`, each evidence item also naming its document ("doc_id") so that the
 * page can fetch its page image and crop. */
#include "serve.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct ask_request {
	json_t *root; /* owns the strings below */
	const char *question;
	const char *doc_id; /* NULL = the whole library */
	int budget;
	int llm;
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
static int answer(const wk_serve_ctx *ctx, const ask_request *ar, wk_doc **docs,
                  const wk_selection *sel, wk_answer **ans, wk_error *llm_err, wk_error *err)
{
	const wk_doc *const *cdocs = (const wk_doc *const *)docs;
	llm_err->code = WK_OK;
	llm_err->message[0] = '\0';
	if (ar->llm && ctx->llm &&
	    wk_answer_llm(ctx->llm, cdocs, sel, ar->question, ans, llm_err) == WK_OK)
		return WK_OK;
	int rc = wk_answer_extractive(cdocs, sel, ar->question, ans, err);
	if (rc == WK_OK && ar->llm)
		(*ans)->mode = "extractive-fallback";
	return rc;
}

static void run(const wk_serve_ctx *ctx, wk_library *lib, const ask_request *ar,
                wk_http_reply *reply)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = ar->budget;
	wk_selection *sel = NULL;
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_answer *ans = NULL;
	wk_error err, llm_err;
	wk_timing ms = {0};
	double t0 = wk_now_ms();
	int rc = wk_library_ask(lib, ar->doc_id, ar->question, &opts, &sel, &docs, &ndocs, &err);
	double t1 = wk_now_ms();
	ms.sample = t1 - t0;
	if (rc == WK_OK)
		rc = answer(ctx, ar, docs, sel, &ans, &llm_err, &err);
	ms.answer = wk_now_ms() - t1;
	char *json = NULL;
	size_t len = 0;
	if (rc == WK_OK)
		rc = wk_ask_to_json(ar->question, (const wk_doc *const *)docs, sel, ans, &ms, &json,
		                    &len, &err);
	if (rc == WK_OK) {
		char *full = with_doc_ids(json, len, sel, docs, ndocs);
		if (full && ar->llm && !ctx->llm)
			llm_err =
			    (wk_error){WK_EINVAL, "no language model is configured on the server"};
		if (full && llm_err.code) {
			json_t *root = json_loads(full, 0, NULL);
			json_object_set_new(root, "llm_error", json_string(llm_err.message));
			free(full);
			full = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII);
			json_decref(root);
		}
		reply->status = 200;
		reply->content_type = "application/json";
		reply->body = full ? full : json;
		reply->len = strlen(reply->body);
		if (full)
			wk_free(json);
	} else {
		wk_reply_wk_error(reply, &err);
	}
	wk_answer_free(ans);
	wk_selection_free(sel);
	wk_docs_free(docs, ndocs);
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
		run(ctx, lib, &ar, reply);
	}
	wk_pool_put(ctx->pool, lib);
	json_decref(ar.root);
}
