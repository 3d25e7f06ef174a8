/* run.c: the `wukong eval` driver: questions grouped by document, each document parsed
 * once (through the parse cache) and indexed once, its questions sampled and answered,
 * documents spread over worker threads. Results land in per-question slots, so the
 * report does not depend on the number of jobs. */
#include "../sample/sample.h"
#include "eval.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_JOBS 64

/* One document and the questions about it. */
typedef struct doc_group {
	const char *doc_id;
	int n, cap;
	int *items;
	int status; /* WK_OK, WK_ENOENT (missing), WK_ENOTEXT (image-only), other */
	int cached;
	int ocr;        /* image-only, read by OCR: its figures are kept apart */
	double load_ms; /* parse (or cache read) and index */
	char message[256];
} doc_group;

typedef struct run_state {
	const wk_eval_opts *opts;
	wk_asker *asker; /* opts->asker, or the extractive one made for the run */
	const wk_eval_set *set;
	wk_eval_result *results;
	doc_group *groups;
	int ngroups;
	int next, done; /* guarded by lock */
	pthread_mutex_t lock;
} run_state;

void wk_eval_opts_init(wk_eval_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->format = "mmlongbench";
	opts->budget = 2048;
	opts->jobs = 1;
	opts->misses = 10;
	opts->ocr = WK_OCR_AUTO;
	opts->timeout = -1;
}

/* ---- grouping ---- */

static int group_questions(const wk_eval_set *set, int limit, doc_group **out)
{
	int n = 0, cap = 0;
	doc_group *g = NULL;
	int count = limit > 0 ? WK_MIN(limit, set->n) : set->n;
	for (int i = 0; i < count; i++) {
		int k = 0;
		while (k < n && strcmp(g[k].doc_id, set->items[i].doc_id))
			k++;
		if (k == n) {
			g = wk_grow(g, &cap, n + 1, sizeof *g);
			g[n++] = (doc_group){.doc_id = set->items[i].doc_id};
		}
		g[k].items = wk_grow(g[k].items, &g[k].cap, g[k].n + 1, sizeof *g[k].items);
		g[k].items[g[k].n++] = i;
	}
	*out = g;
	return n;
}

/* ---- one question ---- */

static void measure_pages(const wk_eval_item *it, const wk_doc *doc, const wk_selection *sel,
                          wk_eval_result *r)
{
	wk_eval_pick *picks;
	int n = wk_eval_picks(doc, sel, &picks);
	r->units = sel->n;
	r->pages = wk_eval_distinct_pages(picks, n);
	/* A gold page beyond the document is a slip in the benchmark ("1418" for 14, 18): it
	 * cannot be found, so it is left out and counted. */
	int *gold = wk_xcalloc((size_t)it->npages + 1, sizeof *gold), ngold = 0;
	for (int i = 0; i < it->npages; i++) {
		if (it->pages[i] <= doc->npages)
			gold[ngold++] = it->pages[i];
		else
			r->bad_gold++;
	}
	r->recall5 = wk_eval_recall_at(picks, n, gold, ngold, 5);
	r->recall_budget = wk_eval_recall_all(picks, n, gold, ngold);
	if (ngold == 0)
		r->measured = 0;
	free(gold);
	/* The first distinct pages by score, for the list of misses. */
	for (int k = 0; k < n && r->npicked < (int)WK_ARRAY_LEN(r->picked); k++) {
		int best = -1;
		for (int j = 0; j < n; j++) {
			bool seen = false;
			for (int m = 0; m < r->npicked && !seen; m++)
				seen = r->picked[m] == picks[j].page;
			if (!seen && (best < 0 || picks[j].score > picks[best].score))
				best = j;
		}
		if (best < 0)
			break;
		r->picked[r->npicked++] = picks[best].page;
	}
	free(picks);
}

static void measure_coverage(const wk_eval_item *it, const wk_doc *doc, const wk_selection *sel,
                             wk_eval_result *r)
{
	wk_eval_pick *picks;
	int n = wk_eval_picks(doc, sel, &picks);
	r->pages = wk_eval_distinct_pages(picks, n);
	free(picks);
	wk_buf b;
	wk_buf_init(&b, 0);
	for (int i = 0; i < sel->n; i++) {
		wk_buf_puts(&b, sel->items[i].text ? sel->items[i].text : "");
		wk_buf_putc(&b, '\n');
	}
	r->coverage = -1;
	for (int a = 0; a < it->nannots; a++) {
		double c = wk_eval_bigram_coverage(
		    wk_buf_cstr(&b), (const char *const *)it->annots[a].paras, it->annots[a].n);
		r->coverage = c > r->coverage ? c : r->coverage;
	}
	r->units = sel->n;
	wk_buf_free(&b);
}

static void measure_answer(const wk_eval_item *it, const wk_answer *ans, wk_eval_result *r)
{
	const char *const *gold = (const char *const *)it->answers;
	const char *text = ans && ans->text ? ans->text : "";
	r->answer = wk_xstrdup(text);
	if (it->nanswers == 0)
		return;
	r->answered = 1;
	char *short_answer = wk_eval_short_answer(text, ans ? ans->found : 0, it->format);
	r->anls = wk_eval_anls(text, gold, it->nanswers);
	r->f1 = wk_eval_f1(text, gold, it->nanswers);
	r->rouge_l = wk_eval_rouge_l(text, gold, it->nanswers);
	r->mmlb = 0;
	for (int i = 0; i < it->nanswers; i++) {
		double s = wk_eval_mmlb_score(gold[i], short_answer, it->format);
		r->mmlb = s > r->mmlb ? s : r->mmlb;
	}
	r->pred_na = !strcasecmp(short_answer, "Not answerable");
	r->gold_na = !strcasecmp(gold[0], "Not answerable");
	free(short_answer);
}

static void ask_one(run_state *st, const wk_doc *doc, const wk_index *index, int i, double parse_ms)
{
	const wk_eval_item *it = &st->set->items[i];
	wk_eval_result *r = &st->results[i];
	wk_error err = {0};
	if (wk_question_check(it->question, &err)) {
		r->status = WK_EINVAL;
		return;
	}
	/* The ask service, as `wukong ask` asks: the same evidence and answer */
	wk_ask_source src = {.docs = &doc, .indexes = &index, .n = 1};
	wk_ask_result *res = NULL;
	double t0 = wk_now_ms();
	r->status = wk_ask(st->asker, &src, it->question, NULL, &res, &err);
	if (!res)
		return;
	r->status = WK_OK; /* a failed model answer scores as no answer; evidence is measured */
	const wk_selection *sel = res->sel;
	const wk_answer *ans = res->answer;
	r->answer_failed = ans == NULL;
	r->ms_sample = res->ms.sample;
	r->ms_ask = wk_now_ms() - t0;
	r->ms_total = r->ms_ask + parse_ms;
	r->prompt_tokens = ans ? ans->prompt_tokens : 0;
	r->tokens = sel->tokens;
	r->doc_tokens = sel->doc_tokens;
	r->doc_pages = doc->npages;
	bool answerable = wk_eval_answerable(st->set, it);
	if (st->set->format == WK_EVAL_QASPER) {
		r->measured = answerable;
		measure_coverage(it, doc, sel, r);
	} else {
		r->measured = answerable && it->npages > 0;
		measure_pages(it, doc, sel, r);
	}
	measure_answer(it, ans, r);
	wk_ask_result_free(res);
}

/* ---- one document ---- */

/* Whether any unit has text, from the text layer (ocr 0) or from OCR (ocr 1). */
static bool has_text(const wk_doc *doc, int ocr)
{
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].ocr == ocr && doc->units[i].text && doc->units[i].text[0])
			return true;
	return false;
}

static int load_doc(run_state *st, doc_group *g, const char *path, wk_doc **doc)
{
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.ocr = st->opts->ocr;
	if (st->opts->max_memory)
		po.max_memory = st->opts->max_memory;
	if (st->opts->timeout >= 0)
		po.timeout = st->opts->timeout;
	wk_error err = {0};
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(g->message, sizeof g->message, "%.200s: missing", g->doc_id);
		return WK_ENOENT;
	}
	int rc = st->opts->no_cache ? wk_parse_file(path, &po, doc, &err)
	                            : wk_parse_cached(path, &po, doc, &g->cached, &err);
	if (rc == WK_OK && !has_text(*doc, 0)) {
		g->ocr = has_text(*doc, 1);
		rc = g->ocr ? WK_OK : WK_ENOTEXT;
	}
	if (g->ocr)
		snprintf(g->message, sizeof g->message,
		         "%.200s: image-only, read by OCR (figures "
		         "apart)",
		         g->doc_id);
	else if (rc == WK_ENOTEXT)
		snprintf(g->message, sizeof g->message, "%.200s: image-only (no text layer)",
		         g->doc_id);
	else if (rc)
		snprintf(g->message, sizeof g->message, "%.255s", err.message);
	return rc;
}

static void run_doc(run_state *st, doc_group *g)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", st->opts->docs_dir ? st->opts->docs_dir : ".",
	         g->doc_id);
	wk_doc *doc = NULL;
	wk_index *index = NULL;
	wk_error err = {0};
	double t0 = wk_now_ms();
	g->status = load_doc(st, g, path, &doc);
	if (g->status == WK_OK && ((g->status = wk_index_new(doc, &index, &err)) ||
	                           (g->status = wk_asker_prepare(st->asker, index, &err))))
		snprintf(g->message, sizeof g->message, "%.255s", err.message);
	double parse_ms = wk_now_ms() - t0;
	g->load_ms = parse_ms;
	for (int k = 0; k < g->n; k++) {
		st->results[g->items[k]].ocr = g->ocr;
		if (g->status == WK_OK)
			ask_one(st, doc, index, g->items[k], parse_ms);
		else
			st->results[g->items[k]].status = g->status;
	}
	wk_index_free(index);
	wk_doc_free(doc);
}

static void *worker(void *arg)
{
	run_state *st = arg;
	for (;;) {
		pthread_mutex_lock(&st->lock);
		int k = st->next < st->ngroups ? st->next++ : -1;
		pthread_mutex_unlock(&st->lock);
		if (k < 0)
			return NULL;
		doc_group *g = &st->groups[k];
		run_doc(st, g);
		char ok[128];
		snprintf(ok, sizeof ok, "ok, %d question%s, %s in %.0f ms", g->n,
		         g->n == 1 ? "" : "s",
		         g->cached ? "cache read and index" : "parse and index", g->load_ms);
		pthread_mutex_lock(&st->lock);
		st->done++;
		if (st->opts->on_document)
			st->opts->on_document(st->opts->user, st->done, st->ngroups, g->doc_id,
			                      g->status ? g->message : ok);
		pthread_mutex_unlock(&st->lock);
	}
}

static void run_workers(run_state *st)
{
	int jobs = WK_MAX(1, WK_MIN(st->opts->jobs, MAX_JOBS));
	jobs = WK_MIN(jobs, st->ngroups);
	pthread_t tid[MAX_JOBS];
	int started = 0;
	for (int i = 1; i < jobs; i++)
		if (pthread_create(&tid[started], NULL, worker, st) == 0)
			started++;
	worker(st);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

/* ---- report ---- */

static char *make_report(run_state *st, const char *questions, int *skipped)
{
	wk_eval_report_opts ro = {.name = questions,
	                          .budget = st->opts->budget,
	                          .json = st->opts->json,
	                          .misses = st->opts->misses,
	                          .ndocs = st->ngroups};
	wk_buf lines;
	wk_buf_init(&lines, 1 << 20);
	for (int i = 0; i < st->ngroups; i++) {
		doc_group *g = &st->groups[i];
		ro.cached += g->cached;
		ro.nmissing += g->status == WK_ENOENT;
		ro.nimage += g->status == WK_ENOTEXT || g->ocr;
		ro.nfailed +=
		    g->status != WK_OK && g->status != WK_ENOENT && g->status != WK_ENOTEXT;
		if (g->status || g->ocr)
			wk_buf_printf(&lines, "  %s %s\n", g->ocr ? "apart:" : "skipped",
			              g->message);
	}
	ro.skipped = wk_buf_cstr(&lines);
	if (skipped)
		*skipped = ro.nmissing + ro.nfailed;
	/* Only the questions that were run are reported. */
	wk_eval_set view = *st->set;
	view.n = st->opts->limit > 0 ? WK_MIN(st->opts->limit, st->set->n) : st->set->n;
	char *out = wk_eval_report(&view, st->results, &ro);
	wk_buf_free(&lines);
	return out;
}

static int write_details(run_state *st, const char *path, wk_error *err)
{
	int n = st->opts->limit > 0 ? WK_MIN(st->opts->limit, st->set->n) : st->set->n;
	char *text = wk_eval_details(st->set, st->results, n);
	int rc = wk_write_file_atomic(path, text, strlen(text), err);
	free(text);
	return rc;
}

int wk_eval_run(const char *questions, const wk_eval_opts *opts, char **report, int *skipped,
                wk_error *err)
{
	*report = NULL;
	int format = WK_EVAL_MMLONGBENCH;
	if (opts->format && !strcmp(opts->format, "qasper"))
		format = WK_EVAL_QASPER;
	else if (opts->format && strcmp(opts->format, "mmlongbench"))
		return wk_set_error(err, WK_EINVAL,
		                    "unknown benchmark format '%s' (mmlongbench, "
		                    "qasper)",
		                    opts->format);
	if (opts->scorer && !wk_scorer_find(opts->scorer))
		return wk_set_error(err, WK_EINVAL, "unknown scorer '%s'", opts->scorer);
	if (opts->budget < 16)
		return wk_set_error(err, WK_EINVAL, "budget %d is below 16 tokens", opts->budget);
	wk_eval_set *set;
	int rc = wk_eval_load(questions, format, &set, err);
	if (rc)
		return rc;
	run_state st = {.opts = opts, .set = set, .asker = opts->asker};
	wk_asker *own = NULL;
	if (!st.asker) {
		wk_ask_policy policy;
		wk_ask_policy_init(&policy);
		policy.budget = opts->budget;
		policy.scorer = opts->scorer;
		if ((rc = wk_asker_new(&policy, &own, err))) {
			wk_eval_set_free(set);
			return rc;
		}
		st.asker = own;
	}
	st.results = wk_xcalloc((size_t)set->n, sizeof *st.results);
	st.ngroups = group_questions(set, opts->limit, &st.groups);
	pthread_mutex_init(&st.lock, NULL);
	run_workers(&st);
	pthread_mutex_destroy(&st.lock);
	*report = make_report(&st, questions, skipped);
	if (opts->details)
		rc = write_details(&st, opts->details, err);
	for (int i = 0; i < set->n; i++)
		free(st.results[i].answer);
	for (int i = 0; i < st.ngroups; i++)
		free(st.groups[i].items);
	free(st.groups);
	free(st.results);
	wk_eval_set_free(set);
	wk_asker_free(own);
	if (rc) {
		free(*report);
		*report = NULL;
	}
	return rc;
}
