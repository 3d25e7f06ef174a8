/* ask.c: the ask service (include/wukong.h): one place for how a question is answered,
 * whoever asks it (`wukong ask FILE`, `ask --library`, `eval`, `serve`):
 *   1. the evidence: wk_sample over parsed documents, or wk_library_ask over a library;
 *   2. the extractive answer, when there is no model, when the caller wants the evidence
 *      before the model's answer, or when the model failed and the policy falls back;
 *   3. the model's answer, with the context-length rule (the best-scored half of the
 *      evidence, which is then the evidence shown), the circuit breaker (a model that failed
 *      give_up_after times without a success is not asked again), and its citations of
 *      ids it was not given removed from its text.
 * With the fallback on, a failing embedding server costs the hybrid and dense scorers, not
 * the question: the evidence is then chosen lexically and the result says why. */
#include "../util/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wk_asker {
	wk_ask_policy policy;
	pthread_mutex_t lock; /* guards what follows: questions may be asked concurrently */
	int failures, successes;
	wk_error first;       /* the first failure, repeated once the model is taken for down */
	wk_error embed_first; /* the first failure of the embedding server in wk_asker_prepare */
};

struct wk_ask_owned {
	char *question;
	wk_doc **docs; /* the library's documents (copies); NULL for parsed documents */
	int ndocs;
};

void wk_ask_policy_init(wk_ask_policy *policy)
{
	memset(policy, 0, sizeof *policy);
	policy->budget = 2048;
	policy->shrink_retries = 1;
	policy->give_up_after = 3;
}

int wk_asker_new(const wk_ask_policy *policy, wk_asker **out, wk_error *err)
{
	*out = NULL;
	wk_ask_policy defaults;
	wk_ask_policy_init(&defaults);
	if (!policy)
		policy = &defaults;
	if (policy->budget < 16)
		return wk_set_error(err, WK_EINVAL, "budget %d is below 16 tokens", policy->budget);
	if (policy->shrink_retries < 0 || policy->give_up_after < 0)
		return wk_set_error(err, WK_EINVAL, "ask policy: negative retry counts");
	wk_asker *a = wk_xcalloc(1, sizeof *a);
	a->policy = *policy;
	pthread_mutex_init(&a->lock, NULL);
	*out = a;
	return WK_OK;
}

void wk_asker_free(wk_asker *asker)
{
	if (!asker)
		return;
	pthread_mutex_destroy(&asker->lock);
	free(asker);
}

int wk_asker_failures(wk_asker *asker, int *successes, wk_error *first)
{
	pthread_mutex_lock(&asker->lock);
	int failures = asker->failures;
	if (successes)
		*successes = asker->successes;
	if (first)
		*first = asker->first;
	pthread_mutex_unlock(&asker->lock);
	return failures;
}

const char *wk_ask_mode_name(wk_ask_mode mode)
{
	static const char *const names[] = {"extractive", "llm", "extractive-fallback", "failed"};
	return mode >= WK_MODE_EXTRACTIVE && mode <= WK_MODE_MODEL_FAILED ? names[mode] : "?";
}

/* ---- the circuit breaker ---- */

/* 1 (with *err the first failure) when the model has failed often enough, never once
 * succeeding, to be taken for down. */
static int model_down(wk_asker *a, wk_error *err)
{
	pthread_mutex_lock(&a->lock);
	int down = a->policy.give_up_after > 0 && a->successes == 0 &&
	           a->failures >= a->policy.give_up_after;
	if (down)
		*err = a->first;
	pthread_mutex_unlock(&a->lock);
	return down;
}

static void count(wk_asker *a, int rc, const wk_error *err)
{
	if (rc == WK_ECANCELED)
		return; /* the caller left: says nothing about the model */
	pthread_mutex_lock(&a->lock);
	if (rc == WK_OK)
		a->successes++;
	else if (a->failures++ == 0)
		a->first = *err;
	pthread_mutex_unlock(&a->lock);
}

/* ---- the evidence ---- */

/* The sampler's failures that the lexical scorer does not have: the embedding server's
 * (connection, status, reply, time) and an index left without vectors by one of those. */
static int embedding_failure(int rc)
{
	return rc == WK_ENET || rc == WK_EHTTP || rc == WK_EPROTO || rc == WK_ETIMEOUT ||
	       rc == WK_EINVAL;
}

static int lexical(const char *scorer)
{
	return !scorer || !strcmp(scorer, "lexical");
}

int wk_asker_prepare(wk_asker *asker, wk_index *index, wk_error *err)
{
	if (!asker->policy.embed || lexical(asker->policy.scorer))
		return WK_OK;
	int rc = wk_index_embed(index, asker->policy.embed, NULL, err);
	if (rc == WK_OK || rc == WK_ECANCELED || !asker->policy.fallback || !embedding_failure(rc))
		return rc;
	pthread_mutex_lock(&asker->lock); /* remembered: wk_ask says why it went lexical */
	if (!asker->embed_first.code)
		asker->embed_first = *err;
	pthread_mutex_unlock(&asker->lock);
	return WK_OK;
}

/* The sampler failed with the embedding scorer and the policy falls back: why, for the
 * result (the first failure wk_asker_prepare saw, else this one). */
static void embedding_fell_back(wk_asker *a, wk_ask_result *r, const wk_error *err)
{
	pthread_mutex_lock(&a->lock);
	r->embed_error = a->embed_first.code ? a->embed_first : *err;
	pthread_mutex_unlock(&a->lock);
}

static int sample(const wk_ask_opts *opts, const wk_ask_source *src, wk_ask_result *r,
                  wk_error *err)
{
	int rc;
	if (src->library) {
		wk_doc **docs = NULL;
		int n = 0;
		rc = wk_library_ask(src->library, src->doc_id, r->question, opts, &r->sel, &docs, &n,
		                    err);
		r->owned->docs = docs;
		r->owned->ndocs = n;
		r->docs = (const wk_doc *const *)docs;
		r->ndocs = n;
	} else if (!src->docs || !src->indexes || src->n < 1) {
		rc = wk_set_error(err, WK_EINVAL, "ask: no document to ask");
	} else {
		rc = src->n == 1 ? wk_sample(src->indexes[0], r->question, opts, &r->sel, err)
		                 : wk_sample_many(src->indexes, src->n, r->question, opts, &r->sel,
		                                  err);
		r->docs = src->docs;
		r->ndocs = src->n;
	}
	return rc;
}

static int choose(wk_asker *a, const wk_ask_source *src, wk_ask_result *r, wk_error *err)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = a->policy.budget;
	opts.scorer = a->policy.scorer;
	opts.embed = a->policy.embed;
	opts.rerank = a->policy.rerank;
	opts.rerank_top = a->policy.rerank_top;
	double t0 = wk_now_ms();
	int rc = sample(&opts, src, r, err);
	if (rc != WK_OK && a->policy.fallback && !lexical(opts.scorer) && embedding_failure(rc)) {
		embedding_fell_back(a, r, err);
		wk_docs_free(r->owned->docs, r->owned->ndocs); /* a failed library call's, if any */
		r->owned->docs = NULL;
		r->owned->ndocs = 0;
		opts.scorer = "lexical";
		opts.embed = NULL;
		rc = sample(&opts, src, r, err);
	}
	r->ms.sample = wk_now_ms() - t0;
	return rc;
}

/* ---- the model's answer ---- */

/* The best-scored items of `sel` within half its tokens (at least one), in document
 * order: a selection of its own (texts copied). */
static wk_selection *half_selection(const wk_selection *sel)
{
	wk_selection *h = wk_xcalloc(1, sizeof *h);
	h->items = wk_xcalloc((size_t)sel->n + 1, sizeof *h->items);
	int *order = wk_xcalloc((size_t)sel->n + 1, sizeof *order);
	char *keep = wk_xcalloc((size_t)sel->n + 1, 1);
	for (int i = 0; i < sel->n; i++) { /* insertion sort by score, best first: n is small */
		int j = i;
		for (; j > 0 && sel->items[order[j - 1]].score < sel->items[i].score; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (int k = 0; k < sel->n; k++) {
		const wk_evidence *e = &sel->items[order[k]];
		if (k > 0 && h->tokens + e->tokens > sel->tokens / 2)
			continue;
		keep[order[k]] = 1;
		h->tokens += e->tokens;
	}
	for (int i = 0; i < sel->n; i++)
		if (keep[i]) {
			h->items[h->n] = sel->items[i];
			h->items[h->n++].text = wk_xstrdup(sel->items[i].text);
		}
	h->doc_tokens = sel->doc_tokens;
	free(order);
	free(keep);
	return h;
}

/* One citation group "[3]" or "[3, 7]" at s (digits, commas and blanks between
 * brackets): its length, 0 when s does not start one. */
static size_t citation_group(const char *s)
{
	if (*s != '[')
		return 0;
	size_t n = 1, digits = 0;
	while (s[n] && strchr("0123456789, ", s[n]) && n < 64)
		digits += s[n] >= '0' && s[n] <= '9', n++;
	return s[n] == ']' && digits ? n + 1 : 0;
}

/* Removes from the model's text the ids it was not sent (1..nsent); a citation group
 * left empty goes with the blanks before it. */
static void drop_stray_citations(char *text, int nsent)
{
	char *o = text;
	for (const char *p = text; *p;) {
		size_t g = citation_group(p);
		if (!g) {
			*o++ = *p++;
			continue;
		}
		char kept[80];
		size_t k = 0;
		int dropped = 0;
		for (const char *q = p + 1; q < p + g - 1;) {
			char *end;
			long id = strtol(q, &end, 10);
			if (end == q) {
				q++;
				continue;
			}
			if (id >= 1 && id <= nsent && k < sizeof kept - 16)
				k += (size_t)snprintf(kept + k, sizeof kept - k, "%s%ld", k ? ", " : "", id);
			else
				dropped = 1;
			q = end;
		}
		if (!dropped) /* as the model wrote it */
			memmove(o, p, g), o += g;
		else if (k) /* shorter than the group: each id dropped took a digit and a comma */
			o += sprintf(o, "[%s]", kept);
		else
			while (o > text && o[-1] == ' ')
				o--;
		p += g;
	}
	*o = '\0';
}

/* The same as the answer streams: blanks and a possible citation group are held back
 * until it is known whether they stay, so that the pieces add up to the final text. */
typedef struct cite_filter {
	const wk_ask_calls *calls;
	int nsent;
	char held[80];  /* blanks, then "[" and digits, commas, blanks */
	size_t n;
	int group;      /* held has a '[' */
} cite_filter;

static void filter_char(cite_filter *f, char c, char *out, size_t *len)
{
	if (f->group && (strchr("0123456789, ", c) && c) && f->n < sizeof f->held - 2) {
		f->held[f->n++] = c;
		return;
	}
	if (f->group && c == ']') {
		f->held[f->n++] = c;
		f->held[f->n] = '\0';
		drop_stray_citations(f->held, f->nsent);
		for (size_t k = 0; f->held[k]; k++)
			out[(*len)++] = f->held[k];
		f->n = 0, f->group = 0;
		return;
	}
	if (!f->group && (c == ' ' || c == '[') && f->n < sizeof f->held - 2) {
		f->held[f->n++] = c;
		f->group = c == '[';
		return;
	}
	memcpy(out + *len, f->held, f->n); /* not a citation after all */
	*len += f->n;
	f->n = 0, f->group = 0;
	if (c == ' ' || c == '[')
		filter_char(f, c, out, len);
	else
		out[(*len)++] = c;
}

static void filter_text(void *user, const char *piece, size_t len)
{
	cite_filter *f = user;
	char out[512];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		filter_char(f, piece[i], out, &n);
		if (n > sizeof out - sizeof f->held - 2) {
			f->calls->on_text(f->calls->user, out, n);
			n = 0;
		}
	}
	if (n)
		f->calls->on_text(f->calls->user, out, n);
}

static void filter_flush(cite_filter *f)
{
	if (f->n && f->calls && f->calls->on_text)
		f->calls->on_text(f->calls->user, f->held, f->n);
	f->n = 0, f->group = 0;
}

static int filter_cancel(void *user)
{
	cite_filter *f = user;
	return f->calls->cancel(f->calls->user);
}

/* The model's answer from r->sel; a context-length error is retried shrink_retries times,
 * each with the better half of the evidence, which then becomes r->sel (the evidence
 * shown is the evidence the model read). */
static int model_answer(const wk_asker *a, wk_ask_result *r, const wk_ask_calls *calls,
                        wk_answer **out, wk_error *err)
{
	cite_filter f = {.calls = calls, .nsent = r->sel->n};
	wk_llm_opts llm = *a->policy.llm;
	llm.on_text = calls && calls->on_text ? filter_text : NULL;
	llm.cancel = calls && calls->cancel ? filter_cancel : NULL;
	llm.user = &f;
	wk_selection *sent = r->sel;
	int rc = wk_answer_llm(&llm, r->docs, sent, r->question, out, err);
	for (int tries = 0; rc == WK_ELIMIT && tries < a->policy.shrink_retries && sent->n > 1;
	     tries++) {
		wk_selection *h = half_selection(sent);
		if (sent != r->sel)
			wk_selection_free(sent);
		sent = h;
		filter_flush(&f);
		f.nsent = sent->n;
		rc = wk_answer_llm(&llm, r->docs, sent, r->question, out, err);
	}
	filter_flush(&f);
	if (rc == WK_OK && sent != r->sel) {
		wk_selection_free(r->sel);
		r->sel = sent;
	} else if (sent != r->sel) {
		wk_selection_free(sent); /* the fallback answers from the whole evidence */
	}
	if (rc == WK_OK)
		drop_stray_citations((*out)->text, r->sel->n);
	return rc;
}

/* ---- the question ---- */

static int extractive(wk_ask_result *r, wk_error *err)
{
	wk_answer_free(r->answer);
	r->answer = NULL;
	int rc = wk_answer_extractive(r->docs, r->sel, r->question, &r->answer, err);
	if (rc == WK_OK)
		r->answer->mode = "extractive";
	return rc;
}

/* After the model failed (model_error filled): the fallback, or the failure. */
static int model_failed(const wk_asker *a, wk_ask_result *r, wk_error *err)
{
	if (!a->policy.fallback) {
		r->mode = WK_MODE_MODEL_FAILED;
		wk_answer_free(r->answer);
		r->answer = NULL;
		if (err)
			*err = r->model_error;
		return r->model_error.code;
	}
	r->mode = WK_MODE_FALLBACK;
	int rc = r->answer ? WK_OK : extractive(r, err);
	if (rc == WK_OK)
		r->answer->mode = "extractive-fallback";
	return rc;
}

static int answer(wk_asker *a, wk_ask_result *r, const wk_ask_calls *calls, wk_error *err)
{
	double t0 = wk_now_ms();
	int use_model = a->policy.llm && r->sel->n > 0;
	int rc = WK_OK;
	r->mode = use_model ? WK_MODE_LLM : WK_MODE_EXTRACTIVE;
	if (!use_model || (calls && calls->on_evidence))
		rc = extractive(r, err);
	if (rc == WK_OK && calls && calls->on_evidence)
		calls->on_evidence(calls->user, r);
	if (rc != WK_OK || !use_model) {
		r->ms.answer = wk_now_ms() - t0;
		return rc;
	}
	wk_answer *m = NULL;
	if (model_down(a, &r->model_error)) {
		rc = r->model_error.code;
	} else {
		rc = model_answer(a, r, calls, &m, &r->model_error);
		count(a, rc, &r->model_error);
	}
	if (rc == WK_OK) {
		wk_answer_free(r->answer);
		r->answer = m;
		r->answer->mode = "llm";
	} else {
		rc = model_failed(a, r, err);
	}
	r->ms.answer = wk_now_ms() - t0;
	return rc;
}

int wk_ask(wk_asker *asker, const wk_ask_source *src, const char *question,
           const wk_ask_calls *calls, wk_ask_result **out, wk_error *err)
{
	*out = NULL;
	if (!asker || !src)
		return wk_set_error(err, WK_EINVAL, "ask: no asker or source");
	int rc = wk_question_check(question, err);
	if (rc)
		return rc;
	wk_ask_result *r = wk_xcalloc(1, sizeof *r);
	r->owned = wk_xcalloc(1, sizeof *r->owned);
	r->owned->question = wk_xstrdup(question);
	r->question = r->owned->question;
	rc = choose(asker, src, r, err);
	if (rc == WK_OK)
		rc = answer(asker, r, calls, err);
	if (rc != WK_OK && r->mode != WK_MODE_MODEL_FAILED) {
		wk_ask_result_free(r);
		return rc;
	}
	*out = r;
	return rc;
}

void wk_ask_result_free(wk_ask_result *r)
{
	if (!r)
		return;
	wk_answer_free(r->answer);
	wk_selection_free(r->sel);
	if (r->owned) {
		wk_docs_free(r->owned->docs, r->owned->ndocs);
		free(r->owned->question);
		free(r->owned);
	}
	free(r);
}
