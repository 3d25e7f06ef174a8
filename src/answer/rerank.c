/* rerank.c: the chat model as a relevance judge (PaperQA2's re-ranking): it rates the
 * sampler's best candidates for a question, 0 to 10, in one request, before the budgeted
 * selection. The cost is stated and bounded: at most WK_RERANK_MAX passages of at most
 * RERANK_WORDS words each, so about 3,300 prompt tokens and 8 completion tokens a passage
 * at the default of 20. */
#include "llm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RERANK_WORDS 120 /* of each passage: enough to judge it, cheap to send */

static const char instruction[] =
	"You judge evidence for a question. Rate how useful each passage is for answering the "
	"question, from 0 (useless) to 10 (it holds the answer). Reply with one line per "
	"passage, \"ID: RATING\", and nothing else.";

/* The first RERANK_WORDS words of s, appended to b on one line. */
static void append_words(wk_buf *b, const char *s)
{
	int words = 0, in = 0;
	for (; *s && words <= RERANK_WORDS; s++) {
		int sp = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r';
		if (!sp && !in && ++words > RERANK_WORDS)
			break;
		in = !sp;
		wk_buf_putc(b, sp ? ' ' : *s);
	}
}

static char *request_body(const wk_llm_opts *o, const char *question, const char *const *texts,
                          int n)
{
	wk_buf user;
	wk_buf_init(&user, 0);
	wk_buf_printf(&user, "Question: %s\n\n", question);
	for (int i = 0; i < n; i++) {
		wk_buf_printf(&user, "[%d] ", i + 1);
		append_words(&user, texts[i] ? texts[i] : "");
		wk_buf_putc(&user, '\n');
	}
	json_t *req = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s%}], s:i, s:f, s:b}", "model",
	                        o->model ? o->model : "default", "messages", "role", "system",
	                        "content", instruction, "role", "user", "content",
	                        wk_buf_cstr(&user), user.len, "max_tokens", 8 * n + 16,
	                        "temperature", 0.0, "stream", 0);
	wk_buf_free(&user);
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return body;
}

/* "3: 7" lines (also "[3]: 7", "3 - 7/10") into ratings[id - 1]; the rest is ignored. */
static int read_ratings(const char *text, double *ratings, int n)
{
	int got = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		while (*p == ' ' || *p == '[' || *p == '-' || *p == '*')
			p++;
		char *end;
		long id = strtol(p, &end, 10);
		if (end == p || id < 1 || id > n)
			continue;
		p = end + strspn(end, "]:=- \t");
		double r = strtod(p, &end);
		if (end == p || r < 0 || r > 10)
			continue;
		got += ratings[id - 1] < 0;
		ratings[id - 1] = r;
	}
	return got;
}

int wk_rerank_rate(const wk_llm_opts *opts, const char *question, const char *const *texts,
                   int n, double *ratings, wk_error *err)
{
	for (int i = 0; i < n; i++)
		ratings[i] = -1;
	if (n <= 0)
		return WK_OK;
	char *body = request_body(opts, question, texts, n);
	json_t *root = NULL;
	int rc = wk_llm_post_json(opts, "/chat/completions", "chat completions", body, &root, err);
	free(body);
	if (rc != WK_OK)
		return rc;
	json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
	const char *text = json_string_value(json_object_get(json_object_get(choice, "message"),
	                                                     "content"));
	if (!text || read_ratings(text, ratings, n) == 0)
		rc = wk_set_error(err, WK_EPROTO, "model server %s: the re-ranking reply rates no "
		                  "passage (\"ID: RATING\" lines were asked for)", opts->url);
	json_decref(root);
	return rc;
}
