/* report.c: aggregates per-question results into the text or JSON report of `wukong eval`:
 * means, latency percentiles, breakdowns by doc_type, evidence source and answer format,
 * and the worst-missed questions. */
#include "eval.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 64
#define LONG_DOC 100 /* the latency target is for documents of 100 pages */

/* Sums over a group of questions. */
typedef struct stats {
	const char *key;
	int n; /* questions with evidence figures */
	double r5, rb, cov, units, pages, tokens, doc_tokens;
	int nans; /* questions with answer metrics */
	double anls, f1, rouge, mmlb;
} stats;

typedef struct groups {
	int n;
	stats g[MAX_GROUPS];
} groups;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double wk_eval_percentile(double *v, int n, double p)
{
	if (n <= 0)
		return 0.0;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	double rank = p / 100.0 * (n - 1);
	int lo = (int)floor(rank), hi = WK_MIN(lo + 1, n - 1);
	return v[lo] + (v[hi] - v[lo]) * (rank - lo);
}

static void stats_add(stats *s, const wk_eval_result *r)
{
	if (r->measured) {
		s->n++;
		s->r5 += r->recall5 > 0 ? r->recall5 : 0;
		s->rb += r->recall_budget > 0 ? r->recall_budget : 0;
		s->cov += r->coverage > 0 ? r->coverage : 0;
		s->units += r->units;
		s->pages += r->pages;
		s->tokens += r->tokens;
		s->doc_tokens += r->doc_tokens;
	}
	if (r->answered) {
		s->nans++;
		s->anls += r->anls;
		s->f1 += r->f1;
		s->rouge += r->rouge_l;
		s->mmlb += r->mmlb;
	}
}

static stats *group(groups *gs, const char *key)
{
	for (int i = 0; i < gs->n; i++)
		if (!strcmp(gs->g[i].key, key))
			return &gs->g[i];
	if (gs->n == MAX_GROUPS)
		return &gs->g[MAX_GROUPS - 1]; /* the last group absorbs the rest */
	gs->g[gs->n] = (stats){.key = key};
	return &gs->g[gs->n++];
}

typedef struct summary {
	stats all;
	stats ocr; /* questions on image-only documents read by OCR */
	groups by_type, by_source, by_format, by_span;
	int nask, nlong;
	double *sample, *ask, *total;   /* latencies of the measured questions */
	double *long_sample, *long_ask; /* the same on documents of LONG_DOC pages or more */
	int nanswerable, nskipped_doc, ninvalid;
	int nfailed_answers;
	int bad_gold; /* gold pages beyond their document, left out */
	/* MMLongBench's generalized F1: score sums and counts over answerable gold and over
	 * answered predictions */
	double na_recall_sum, na_precision_sum;
	int na_recall_n, na_precision_n;
	double prompt_tokens; /* sum over answered questions */
} summary;

static void summarise(const wk_eval_set *set, const wk_eval_result *res, summary *s)
{
	memset(s, 0, sizeof *s);
	s->all.key = "all";
	s->ocr.key = "ocr";
	s->sample = wk_xcalloc((size_t)set->n + 1, sizeof *s->sample);
	s->ask = wk_xcalloc((size_t)set->n + 1, sizeof *s->ask);
	s->long_sample = wk_xcalloc((size_t)set->n + 1, sizeof *s->long_sample);
	s->long_ask = wk_xcalloc((size_t)set->n + 1, sizeof *s->long_ask);
	s->total = wk_xcalloc((size_t)set->n + 1, sizeof *s->total);
	for (int i = 0; i < set->n; i++) {
		const wk_eval_item *it = &set->items[i];
		const wk_eval_result *r = &res[i];
		s->nanswerable += wk_eval_answerable(set, it) &&
		                  (set->format == WK_EVAL_QASPER || it->npages > 0);
		s->nskipped_doc += r->status != WK_OK && r->status != WK_EINVAL;
		s->ninvalid += r->status == WK_EINVAL;
		if (r->status != WK_OK)
			continue;
		if (r->ocr) {
			stats_add(&s->ocr, r);
			continue;
		}
		stats_add(&s->all, r);
		stats_add(group(&s->by_type, it->doc_type[0] ? it->doc_type : "(none)"), r);
		for (int k = 0; k < it->nsources; k++)
			stats_add(group(&s->by_source, it->sources[k]), r);
		stats_add(group(&s->by_format, it->format), r);
		if (set->format != WK_EVAL_QASPER && it->npages > 0)
			stats_add(
			    group(&s->by_span, it->npages == 1 ? "single-page" : "cross-page"), r);
		s->nfailed_answers += r->answer_failed;
		s->bad_gold += r->bad_gold;
		if (r->answered && !r->gold_na) {
			s->na_recall_sum += r->mmlb;
			s->na_recall_n++;
		}
		if (r->answered && !r->pred_na) {
			s->na_precision_sum += r->mmlb;
			s->na_precision_n++;
		}
		s->prompt_tokens += r->answered ? r->prompt_tokens : 0;
		if (r->measured) {
			s->sample[s->nask] = r->ms_sample;
			s->ask[s->nask] = r->ms_ask;
			s->total[s->nask++] = r->ms_total;
			if (r->doc_pages >= LONG_DOC) {
				s->long_sample[s->nlong] = r->ms_sample;
				s->long_ask[s->nlong++] = r->ms_ask;
			}
		}
	}
}

static double mean(double sum, int n)
{
	return n > 0 ? sum / n : 0.0;
}

/* MMLongBench-Doc's F1: recall = mean score over questions whose gold is answerable,
 * precision = mean score over questions the answerer did answer. */
static double mmlb_f1(const summary *s)
{
	double r = mean(s->na_recall_sum, s->na_recall_n);
	double p = mean(s->na_precision_sum, s->na_precision_n);
	return r + p > 0 ? 2 * r * p / (r + p) : 0.0;
}

/* ---- text ---- */

static void text_evidence_row(wk_buf *b, const stats *s, bool qasper)
{
	if (qasper)
		wk_buf_printf(b, "  %-34.34s %4d  %6.3f  %6.1f %6.1f %7.0f\n", s->key, s->n,
		              mean(s->cov, s->n), mean(s->units, s->n), mean(s->pages, s->n),
		              mean(s->tokens, s->n));
	else
		wk_buf_printf(b, "  %-34.34s %4d  %6.3f %7.3f  %6.1f %6.1f %7.0f\n", s->key, s->n,
		              mean(s->r5, s->n), mean(s->rb, s->n), mean(s->units, s->n),
		              mean(s->pages, s->n), mean(s->tokens, s->n));
}

static void text_evidence_table(wk_buf *b, const char *title, const groups *gs, bool qasper)
{
	wk_buf_printf(b, "\nby %-31s %4s  %s  %6s %6s %7s\n", title, "n",
	              qasper ? "bigram" : "  @5  @budget", "units", "pages", "tokens");
	for (int i = 0; i < gs->n; i++)
		if (gs->g[i].n > 0)
			text_evidence_row(b, &gs->g[i], qasper);
}

static void text_answer_row(wk_buf *b, const stats *s, bool qasper)
{
	wk_buf_printf(b, "  %-34.34s %4d  %6.3f %6.3f %7.3f", s->key, s->nans,
	              mean(s->anls, s->nans), mean(s->f1, s->nans), mean(s->rouge, s->nans));
	if (!qasper)
		wk_buf_printf(b, " %8.3f", mean(s->mmlb, s->nans));
	wk_buf_putc(b, '\n');
}

static void text_head(wk_buf *b, const wk_eval_set *set, const summary *s,
                      const wk_eval_report_opts *o)
{
	bool q = set->format == WK_EVAL_QASPER;
	wk_buf_printf(b, "wukong eval: %s, %s, budget %d tokens\n", q ? "qasper" : "mmlongbench",
	              o->name ? o->name : "-", o->budget);
	wk_buf_printf(b,
	              "questions %d (%d malformed lines skipped): %d answerable with gold "
	              "evidence, %d measured; %d on skipped documents, %d invalid\n",
	              set->n, set->nbad, s->nanswerable, s->all.n, s->nskipped_doc, s->ninvalid);
	wk_buf_printf(b,
	              "documents %d: %d parses from the cache, %d image-only (no text layer, "
	              "left out of the figures), %d missing, %d failed\n",
	              o->ndocs, o->cached, o->nimage, o->nmissing, o->nfailed);
	if (o->skipped && *o->skipped)
		wk_buf_printf(b, "%s", o->skipped);
	if (s->bad_gold)
		wk_buf_printf(b,
		              "  %d gold pages lie beyond their document's last page: left out\n",
		              s->bad_gold);
}

static void text_evidence(wk_buf *b, const wk_eval_set *set, summary *s)
{
	bool q = set->format == WK_EVAL_QASPER;
	const stats *a = &s->all;
	wk_buf_printf(b, "\nevidence, over %d answerable questions on text-layer documents\n",
	              a->n);
	if (q)
		wk_buf_printf(b, "  bigram coverage         %.3f\n", mean(a->cov, a->n));
	else
		wk_buf_printf(b, "  page recall @5          %.3f\n  page recall @budget     %.3f\n",
		              mean(a->r5, a->n), mean(a->rb, a->n));
	wk_buf_printf(b, "  units / question        %.1f\n  pages / question        %.1f\n",
	              mean(a->units, a->n), mean(a->pages, a->n));
	wk_buf_printf(b,
	              "  selected tokens         %.0f (mean)\n  document tokens         "
	              "%.0f (mean)\n",
	              mean(a->tokens, a->n), mean(a->doc_tokens, a->n));
	double s50 = wk_eval_percentile(s->sample, s->nask, 50),
	       s95 = wk_eval_percentile(s->sample, s->nask, 95);
	double a50 = wk_eval_percentile(s->ask, s->nask, 50),
	       a95 = wk_eval_percentile(s->ask, s->nask, 95);
	double t50 = wk_eval_percentile(s->total, s->nask, 50),
	       t95 = wk_eval_percentile(s->total, s->nask, 95);
	wk_buf_printf(b,
	              "  latency, ms             p50 %.2f  p95 %.2f (sample only)\n"
	              "                          p50 %.2f  p95 %.2f (sample + answer, parse "
	              "excluded)\n                          p50 %.1f  p95 %.1f (parse included)\n",
	              s50, s95, a50, a95, t50, t95);
	if (s->nlong > 0)
		wk_buf_printf(
		    b,
		    "  on %d+ page documents    p50 %.2f  p95 %.2f (sample only), p50 %.2f  "
		    "p95 %.2f (sample + answer), %d questions\n",
		    LONG_DOC, wk_eval_percentile(s->long_sample, s->nlong, 50),
		    wk_eval_percentile(s->long_sample, s->nlong, 95),
		    wk_eval_percentile(s->long_ask, s->nlong, 50),
		    wk_eval_percentile(s->long_ask, s->nlong, 95), s->nlong);
	if (s->ocr.n > 0) {
		wk_buf_printf(b, "\nimage-only documents read by OCR, kept apart:\n");
		text_evidence_row(b, &s->ocr, q);
	}
	text_evidence_table(b, "doc_type", &s->by_type, q);
	text_evidence_table(b, q ? "evidence kind" : "evidence_sources", &s->by_source, q);
	if (!q)
		text_evidence_table(b, "gold pages", &s->by_span, q);
}

static void text_answers(wk_buf *b, const summary *s, bool qasper)
{
	wk_buf_printf(b, "\nanswers, over %d questions%s", s->all.nans,
	              qasper ? "" : " (MMLongBench on the short answer)");
	if (s->nfailed_answers)
		wk_buf_printf(b, "; %d answers failed (scored 0)", s->nfailed_answers);
	if (s->prompt_tokens > 0)
		wk_buf_printf(b, "; %.0f prompt tokens per question",
		              mean(s->prompt_tokens, s->all.nans));
	wk_buf_putc(b, '\n');
	wk_buf_printf(b, "  %-34s %4s  %6s %6s %7s%s\n", qasper ? "" : "answer_format", "n", "ANLS",
	              "F1", "ROUGE-L", qasper ? "" : " MMLB acc");
	for (int i = 0; i < s->by_format.n && !qasper; i++)
		if (s->by_format.g[i].nans > 0)
			text_answer_row(b, &s->by_format.g[i], qasper);
	text_answer_row(b, &s->all, qasper);
	if (!qasper)
		wk_buf_printf(b, "  MMLongBench accuracy %.3f, generalized F1 %.3f\n",
		              mean(s->all.mmlb, s->all.nans), mmlb_f1(s));
}

/* Worst first: lowest recall @budget, then @5, then file order. */
static int *miss_order(const wk_eval_set *set, const wk_eval_result *res, int *n)
{
	int *v = wk_xcalloc((size_t)set->n + 1, sizeof *v), m = 0;
	for (int i = 0; i < set->n; i++)
		if (res[i].status == WK_OK && res[i].measured && set->format != WK_EVAL_QASPER &&
		    res[i].recall5 < 1.0)
			v[m++] = i;
	for (int i = 1; i < m; i++)
		for (int j = i; j > 0; j--) {
			const wk_eval_result *x = &res[v[j - 1]], *y = &res[v[j]];
			bool swap =
			    y->recall_budget < x->recall_budget ||
			    (y->recall_budget == x->recall_budget && y->recall5 < x->recall5);
			if (!swap)
				break;
			int t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*n = m;
	return v;
}

static void text_pages(wk_buf *b, const int *pages, int n)
{
	wk_buf_putc(b, '[');
	for (int i = 0; i < n; i++)
		wk_buf_printf(b, "%s%d", i ? ", " : "", pages[i]);
	wk_buf_putc(b, ']');
}

static void text_misses(wk_buf *b, const wk_eval_set *set, const wk_eval_result *res, int max)
{
	int n;
	int *order = miss_order(set, res, &n);
	if (n > 0 && max > 0)
		wk_buf_printf(b, "\nworst-missed questions (of %d below recall @5 = 1)\n", n);
	for (int k = 0; k < n && k < max; k++) {
		const wk_eval_item *it = &set->items[order[k]];
		const wk_eval_result *r = &res[order[k]];
		wk_buf_printf(b, "  line %d, %s, @5 %.2f @budget %.2f: %s\n    gold ", it->line,
		              it->doc_id, r->recall5, r->recall_budget, it->question);
		text_pages(b, it->pages, it->npages);
		wk_buf_printf(b, ", first pages by score ");
		text_pages(b, r->picked, r->npicked);
		wk_buf_putc(b, '\n');
	}
	free(order);
}

/* ---- JSON ---- */

static json_t *stats_json(const stats *s, bool qasper)
{
	json_t *o = json_pack("{s:i,s:f,s:f,s:f,s:f}", "n", s->n, "units", mean(s->units, s->n),
	                      "pages", mean(s->pages, s->n), "tokens", mean(s->tokens, s->n),
	                      "doc_tokens", mean(s->doc_tokens, s->n));
	if (qasper)
		json_object_set_new(o, "bigram_coverage", json_real(mean(s->cov, s->n)));
	else {
		json_object_set_new(o, "page_recall_at_5", json_real(mean(s->r5, s->n)));
		json_object_set_new(o, "page_recall_at_budget", json_real(mean(s->rb, s->n)));
	}
	if (s->nans > 0)
		json_object_set_new(o, "answers",
		                    json_pack("{s:i,s:f,s:f,s:f,s:f}", "n", s->nans, "anls",
		                              mean(s->anls, s->nans), "f1", mean(s->f1, s->nans),
		                              "rouge_l", mean(s->rouge, s->nans), "mmlongbench",
		                              mean(s->mmlb, s->nans)));
	return o;
}

static json_t *groups_json(const groups *gs, bool qasper)
{
	json_t *o = json_object();
	for (int i = 0; i < gs->n; i++)
		json_object_set_new(o, gs->g[i].key, stats_json(&gs->g[i], qasper));
	return o;
}

static json_t *misses_json(const wk_eval_set *set, const wk_eval_result *res, int max)
{
	int n;
	int *order = miss_order(set, res, &n);
	json_t *a = json_array();
	for (int k = 0; k < n && k < max; k++) {
		const wk_eval_item *it = &set->items[order[k]];
		const wk_eval_result *r = &res[order[k]];
		json_t *gold = json_array(), *got = json_array();
		for (int i = 0; i < it->npages; i++)
			json_array_append_new(gold, json_integer(it->pages[i]));
		for (int i = 0; i < r->npicked; i++)
			json_array_append_new(got, json_integer(r->picked[i]));
		json_array_append_new(
		    a, json_pack("{s:i,s:s,s:s,s:o,s:o,s:f,s:f}", "line", it->line, "doc_id",
		                 it->doc_id, "question", it->question, "gold_pages", gold,
		                 "pages_by_score", got, "page_recall_at_5", r->recall5,
		                 "page_recall_at_budget", r->recall_budget));
	}
	free(order);
	return a;
}

static json_t *pages_json(const int *pages, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(pages[i]));
	return a;
}

static json_t *detail_json(const wk_eval_item *it, const wk_eval_result *r)
{
	json_t *gold = json_array();
	for (int i = 0; i < it->nanswers; i++)
		json_array_append_new(gold, json_string(it->answers[i]));
	json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:o,s:s}", "line", it->line, "doc_id", it->doc_id,
	                      "question", it->question, "answer_format", it->format, "gold", gold,
	                      "status", r->status ? wk_strerror(r->status) : "ok");
	if (r->status)
		return o;
	json_object_set_new(o, "answer", json_string(r->answer ? r->answer : ""));
	json_object_set_new(o, "gold_pages", pages_json(it->pages, it->npages));
	json_object_set_new(o, "pages_by_score", pages_json(r->picked, r->npicked));
	json_object_set_new(o, "measured", json_boolean(r->measured));
	if (r->coverage >= 0 && it->nannots > 0)
		json_object_set_new(o, "bigram_coverage", json_real(r->coverage));
	else if (it->npages > 0)
		json_object_set_new(
		    o, "recall",
		    json_pack("{s:f,s:f}", "at_5", r->recall5, "at_budget", r->recall_budget));
	json_object_set_new(o, "selection",
	                    json_pack("{s:i,s:i,s:i,s:i}", "units", r->units, "pages", r->pages,
	                              "tokens", r->tokens, "doc_tokens", r->doc_tokens));
	json_object_set_new(o, "metrics",
	                    json_pack("{s:f,s:f,s:f,s:f}", "anls", r->anls, "f1", r->f1, "rouge_l",
	                              r->rouge_l, "mmlongbench", r->mmlb));
	json_object_set_new(o, "ms",
	                    json_pack("{s:f,s:f,s:f}", "sample", r->ms_sample, "ask", r->ms_ask,
	                              "with_parse", r->ms_total));
	return o;
}

char *wk_eval_details(const wk_eval_set *set, const wk_eval_result *results, int n)
{
	wk_buf b;
	wk_buf_init(&b, 0);
	for (int i = 0; i < n && i < set->n; i++) {
		json_t *o = detail_json(&set->items[i], &results[i]);
		char *line = wk_json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		wk_buf_puts(&b, line ? line : "{}");
		wk_buf_putc(&b, '\n');
		free(line);
		json_decref(o);
	}
	char *out = wk_buf_steal(&b);
	return out ? out : wk_xstrdup("");
}

static char *report_json(const wk_eval_set *set, const wk_eval_result *res, summary *s,
                         const wk_eval_report_opts *o)
{
	bool q = set->format == WK_EVAL_QASPER;
	json_t *root = json_pack(
	    "{s:s,s:s,s:i,s:{s:i,s:i,s:i,s:i,s:i,s:i},s:{s:i,s:i,s:i,s:i,s:i}}", "format",
	    q ? "qasper" : "mmlongbench", "questions_file", o->name ? o->name : "", "budget",
	    o->budget, "questions", "total", set->n, "malformed", set->nbad, "answerable",
	    s->nanswerable, "measured", s->all.n, "on_skipped_documents", s->nskipped_doc,
	    "invalid", s->ninvalid, "documents", "total", o->ndocs, "cached", o->cached,
	    "image_only", o->nimage, "missing", o->nmissing, "failed", o->nfailed);
	json_object_set_new(root, "evidence", stats_json(&s->all, q));
	json_object_set_new(root, "ocr_documents", stats_json(&s->ocr, q));
	if (!q)
		json_object_set_new(root, "mmlongbench",
		                    json_pack("{s:f,s:f}", "accuracy",
		                              mean(s->all.mmlb, s->all.nans), "f1", mmlb_f1(s)));
	json_object_set_new(root, "gold_pages_beyond_document", json_integer(s->bad_gold));
	json_object_set_new(root, "answers_failed", json_integer(s->nfailed_answers));
	json_object_set_new(root, "prompt_tokens_per_question",
	                    json_real(mean(s->prompt_tokens, s->all.nans)));
	json_object_set_new(
	    root, "latency_ms",
	    json_pack("{s:f,s:f,s:i,s:f,s:f,s:f,s:f,s:f,s:f}", "long_doc_sample_p95",
	              wk_eval_percentile(s->long_sample, s->nlong, 95), "long_doc_ask_p95",
	              wk_eval_percentile(s->long_ask, s->nlong, 95), "long_doc_min_pages", LONG_DOC,
	              "sample_p50", wk_eval_percentile(s->sample, s->nask, 50), "sample_p95",
	              wk_eval_percentile(s->sample, s->nask, 95), "ask_p50",
	              wk_eval_percentile(s->ask, s->nask, 50), "ask_p95",
	              wk_eval_percentile(s->ask, s->nask, 95), "with_parse_p50",
	              wk_eval_percentile(s->total, s->nask, 50), "with_parse_p95",
	              wk_eval_percentile(s->total, s->nask, 95)));
	json_object_set_new(root, "by_doc_type", groups_json(&s->by_type, q));
	json_object_set_new(root, "by_evidence_source", groups_json(&s->by_source, q));
	json_object_set_new(root, "by_answer_format", groups_json(&s->by_format, q));
	json_object_set_new(root, "by_evidence_pages", groups_json(&s->by_span, q));
	json_object_set_new(root, "worst_missed", misses_json(set, res, o->misses));
	char *text = wk_json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	return text;
}

char *wk_eval_report(const wk_eval_set *set, const wk_eval_result *results,
                     const wk_eval_report_opts *opts)
{
	summary s;
	summarise(set, results, &s);
	char *out;
	if (opts->json) {
		out = report_json(set, results, &s, opts);
	} else {
		wk_buf b;
		wk_buf_init(&b, 0);
		text_head(&b, set, &s, opts);
		text_evidence(&b, set, &s);
		text_answers(&b, &s, set->format == WK_EVAL_QASPER);
		text_misses(&b, set, results, opts->misses);
		out = wk_buf_steal(&b);
	}
	free(s.long_sample);
	free(s.long_ask);
	free(s.sample);
	free(s.ask);
	free(s.total);
	return out;
}
