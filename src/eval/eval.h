/* eval.h: measuring wukong: benchmark readers, evidence recall, answer metrics, reports.
 *
 * Everything here is a pure function of its inputs (no I/O except the dataset reader and
 * the driver in run.c), so the metrics can be unit-tested against values computed by hand
 * and the baselines in bench/ can be scored by exactly the same code as wukong.
 * Definitions of every number: docs/eval.md. Internal to libwukong. */
#ifndef WK_EVAL_H
#define WK_EVAL_H

#include "../util/util.h"

/* ---- datasets (dataset.c) ---- */

enum { WK_EVAL_MMLONGBENCH = 0, WK_EVAL_QASPER };

/* One annotator's gold evidence paragraphs (QASPER). */
typedef struct wk_eval_annot {
	int n;
	char **paras;
} wk_eval_annot;

/* One benchmark question. Every string is malloc'd and owned by the set. */
typedef struct wk_eval_item {
	int line;     /* 1-based line in the questions file */
	char *doc_id; /* file name of the document inside the documents folder */
	char *question;
	int nanswers;
	char **answers; /* gold answers: one for MMLongBench-Doc, one per annotator for QASPER */
	char *format;   /* MMLongBench answer_format: "Int", "Float", "Str", "List", "None" */
	char *doc_type; /* "" when absent */
	int npages;
	int *pages; /* gold evidence pages, 1-based, distinct, ascending */
	int nsources;
	char **sources; /* evidence_sources ("Chart", "Table", ...) */
	int nannots;
	wk_eval_annot *annots; /* QASPER gold evidence, one entry per annotator */
} wk_eval_item;

typedef struct wk_eval_set {
	int format;
	int n;
	wk_eval_item *items;
	int nbad;      /* malformed lines skipped */
	char bad[512]; /* the first malformed line's message */
} wk_eval_set;

/* Reads a questions file, one JSON object per line. Malformed lines are counted in nbad
 * and skipped; an unreadable file or one without any valid line is an error. */
int wk_eval_load(const char *path, int format, wk_eval_set **out, wk_error *err);
/* The same from memory; `name` is used in messages. */
int wk_eval_load_text(const char *text, size_t len, const char *name, int format, wk_eval_set **out,
                      wk_error *err);
void wk_eval_set_free(wk_eval_set *set);

/* Splits a list literal, Python ("['a', \"b\"]") or JSON, or bare ("[1, 2]"), into
 * malloc'd items. Returns the count, or -1 when `s` is not a bracketed list. Free the
 * items with wk_eval_strings_free. */
int wk_eval_split_list(const char *s, char ***items);
void wk_eval_strings_free(char **items, int n);

/* Whether the question has an answer in its document (MMLongBench: not "Not answerable"
 * and not format None; QASPER: some annotator gave evidence). */
bool wk_eval_answerable(const wk_eval_set *set, const wk_eval_item *item);

/* ---- words (words.c) ---- */

/* The lowercased words of `text`: runs of letters and digits, NFKC case-folded. */
typedef struct wk_eval_words {
	int n, cap;
	char **w;
} wk_eval_words;

void wk_eval_words_split(const char *text, wk_eval_words *out);
void wk_eval_words_free(wk_eval_words *words);
/* Removes ASCII blanks at both ends of s, in place. */
void wk_eval_trim(char *s);

/* ---- evidence recall (recall.c) ---- */

/* One page a selected unit lies on, with the unit's score. A unit spanning several pages
 * gives several picks with the same score and `unit`. */
typedef struct wk_eval_pick {
	int page;
	double score;
	int unit; /* position of the unit in the selection */
} wk_eval_pick;

/* Page recall @k: the picks ordered by score (ties keep their order), the first k
 * distinct pages, the share of the distinct gold pages among them. 0 when no gold. */
double wk_eval_recall_at(const wk_eval_pick *picks, int n, const int *gold, int ngold, int k);
/* Page recall @budget: the share of gold pages on which any pick lies. */
double wk_eval_recall_all(const wk_eval_pick *picks, int n, const int *gold, int ngold);
/* Distinct pages among the picks. */
int wk_eval_distinct_pages(const wk_eval_pick *picks, int n);
/* The picks of a selection over one document. The caller frees *picks. Returns n. */
int wk_eval_picks(const wk_doc *doc, const wk_selection *sel, wk_eval_pick **picks);

/* The share of the gold paragraphs' word bigrams (stop words removed) that `selected`
 * contains; -1 when the gold has no bigram. */
double wk_eval_bigram_coverage(const char *selected, const char *const *gold, int ngold);

/* ---- answer metrics (metrics.c) ---- */

/* Levenshtein distance between two UTF-8 strings, in code points. */
int wk_eval_levenshtein(const char *a, const char *b);
/* ANLS with threshold 0.5 on lowercased, stripped strings, max over the gold answers. */
double wk_eval_anls(const char *pred, const char *const *gold, int ngold);
/* SQuAD token F1 (lowercase, no punctuation, no articles), max over gold answers. */
double wk_eval_f1(const char *pred, const char *const *gold, int ngold);
/* ROUGE-L F-measure (beta 1) on the SQuAD-normalised tokens, max over gold answers. */
double wk_eval_rouge_l(const char *pred, const char *const *gold, int ngold);
/* MMLongBench-Doc's score of a short answer by answer_format (Int, Float, Str, List,
 * None), in [0, 1]. */
double wk_eval_mmlb_score(const char *gold, const char *pred, const char *format);
/* The short answer MMLongBench-Doc would score, taken from a free answer without a model:
 * "Not answerable" when nothing was found, the first number for Int and Float, an
 * enumeration ("A, B and C") as a list literal for List, else the answer itself.
 * malloc'd. */
char *wk_eval_short_answer(const char *answer, int found, const char *format);

/* ---- report (report.c) ---- */

/* What was measured for one question; -1 means "not measured". */
typedef struct wk_eval_result {
	int status;   /* WK_OK, or why the question was skipped */
	int measured; /* counted in the evidence figures */
	int ocr;      /* the document is image-only and was read by OCR: reported apart */
	int bad_gold; /* gold pages beyond the document's last page, left out */
	double recall5, recall_budget, coverage;
	int units, pages, tokens, doc_tokens;
	int doc_pages;           /* pages of the document asked */
	double ms_sample;        /* wk_sample alone */
	double ms_ask, ms_total; /* sample + answer; the same plus the document's parse */
	int answered;            /* answer metrics present */
	int answer_failed;       /* the answer step returned an error (scored as no answer) */
	int prompt_tokens;       /* reported by a model server, else 0 */
	double anls, f1, rouge_l, mmlb;
	int gold_na, pred_na; /* gold / short answer is "Not answerable" (MMLongBench F1) */
	char *answer;         /* malloc'd */
	int npicked;
	int picked[8]; /* the first distinct pages by score, for the misses list */
} wk_eval_result;

/* Linear interpolation between closest ranks (numpy's default) of v[0..n) (sorted in
 * place); 0 for n == 0. */
double wk_eval_percentile(double *v, int n, double p);

typedef struct wk_eval_report_opts {
	const char *name; /* the questions file */
	int budget;
	int json;
	int misses; /* how many worst-missed questions to list */
	int cached; /* documents whose parse came from the cache */
	int ndocs;
	int nmissing, nimage, nfailed; /* documents skipped, by reason */
	const char *skipped;           /* "doc: reason" lines, may be NULL */
} wk_eval_report_opts;

/* One JSON object per line for each of the first n questions: what was asked, the gold,
 * the answer, the pages by score, recall and metrics. The caller frees it with free. */
char *wk_eval_details(const wk_eval_set *set, const wk_eval_result *results, int n);

/* Aggregates the results (results[i] belongs to set->items[i]) into a text or JSON
 * report. The caller frees the string with free. */
char *wk_eval_report(const wk_eval_set *set, const wk_eval_result *results,
                     const wk_eval_report_opts *opts);

#endif /* WK_EVAL_H */
