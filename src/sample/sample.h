/* sample.h: the sparse sampler's internals: tokenizer, index, scorers, question
 * analysis, structure signals and budgeted selection. Internal to libwukong.
 *
 * Flow of one question (wk_sample in sample.c):
 *   wk_query_new      question -> terms (stemmed, stop words dropped) + explicit references
 *   scorer->score     every unit gets a lexical relevance in [0, 1]
 *   wk_structure_*    page, section, reference and figure-link signals reshape the scores
 *   wk_select_run     the best set under the budget, trimmed and de-duplicated
 *
 * Ownership: a wk_index borrows its wk_doc; a wk_query and a wk_scored belong to the
 * caller of their *_new and are freed with the matching *_free. */
#ifndef WK_SAMPLE_H
#define WK_SAMPLE_H

#include "../util/util.h"

#include <stdint.h>

/* ---- tokenizer (tokenize.c) ---- */

typedef struct wk_tokenizer wk_tokenizer;

/* One stemmer per tokenizer: libstemmer is not thread-safe. NULL when out of memory. */
wk_tokenizer *wk_tokenizer_new(void);
/* The error for a wk_tokenizer_new that returned NULL: libstemmer missing (stemmer_load.c)
 * or out of memory. */
int wk_tokenizer_error(wk_error *err);
void wk_tokenizer_free(wk_tokenizer *tk);

/* Called for every term of a text: `term` is NUL-terminated, valid during the call. */
typedef void (*wk_term_fn)(void *user, const char *term, size_t len);

/* Splits text into terms: case-folded, stop words dropped, words stemmed, numbers kept
 * whole ("3.5", "2,048" -> "2048", "$1.2" -> "1.2", "45%" -> "45"), hyphenated words
 * given both as parts and joined. Returns the number of terms. */
int wk_tokenize(wk_tokenizer *tk, const char *text, wk_term_fn fn, void *user);

/* 1 when the folded word is an English stop word. */
int wk_is_stop_word(const char *word, size_t len);

/* ---- index (index.c) ---- */

enum {
	WK_F_BODY = 0, /* paragraph or heading text */
	WK_F_HEAD,     /* the section heading path */
	WK_F_CAPTION,  /* caption of a figure or table */
	WK_F_FIGTEXT,  /* text inside a figure or table */
	WK_F_LABEL,    /* "Figure 3" */
	WK_NFIELDS
};

/* One posting: how often a term occurs in each field of one "document" (a unit, a page
 * or a section). Counts saturate at 65535. */
typedef struct wk_posting {
	int doc;
	uint16_t tf[WK_NFIELDS];
} wk_posting;

/* Postings of one collection (units, pages or sections) in CSR form by term id. */
typedef struct wk_coll {
	int ndocs;
	int *start;          /* nterms + 1 offsets into post */
	wk_posting *post;
	float *len;          /* ndocs x WK_NFIELDS field lengths in terms */
	float avg[WK_NFIELDS];
} wk_coll;

#define WK_MINHASH 16

/* Per-unit data precomputed for selection. */
typedef struct wk_unit_info {
	char *text;          /* what a model would be given (owned by the index) */
	int tokens;          /* wk_tokens_count(text) */
	uint32_t mh[WK_MINHASH]; /* MinHash of word 3-shingles, for near-duplicates */
	int label_kind;      /* 'F' figure, 'T' table, 0 none */
	int label_num;       /* number in the label, 0 when none */
	int ref_by_first;    /* first text unit that mentions this figure/table, -1 none */
} wk_unit_info;

/* A run of units treated as one section: the parser's sections first (same ids), then
 * one per outline item. */
typedef struct wk_range {
	int first, last;     /* unit idx range, inclusive; last < first when empty */
	const char *title;
	int level;
} wk_range;

struct wk_index {
	const wk_doc *doc;
	wk_tokenizer *tk;    /* used while building only: questions bring their own */
	int nterms;
	char **terms;        /* term id -> string (arena) */
	uint32_t *hslot;     /* open-addressing table of term ids + 1, 0 = empty */
	uint32_t hcap;
	wk_arena *arena;
	wk_coll units, pages, sections; /* sections: one doc per range */
	wk_unit_info *info;  /* nunits */
	int nranges;
	wk_range *ranges;
	int *page_units;     /* npages + 2: units whose first page is p, at [p] */
	int *seq;            /* every unit's term ids in order (heading path excluded) */
	size_t *seq_start;   /* nunits + 1 offsets into seq */
	int doc_tokens;
	int page_offset;     /* PDF page = printed page number + page_offset, when the printed
	                        numbers the parser kept agree on one; 0 otherwise */
	unsigned char *statement_page; /* npages + 1: [p] = the WK_STMT_* kinds of the primary
	                                  financial statements page p holds (their titles say
	                                  so), 0 for none */
	float *vec;          /* nunits x dim unit embeddings (unit length), NULL until
	                        wk_index_embed; owned */
	int dim;
};

/* Looks up a term's id, -1 when absent. */
int wk_index_term(const wk_index *index, const char *term, size_t len);

/* What a model is given for a unit (for figures and tables: label, caption, text
 * inside). malloc'd. */
char *wk_unit_model_text(const wk_doc *doc, const wk_unit *u);

/* Appends the evidence text of a table unit with a grid (table_text.c): its scale line,
 * the headers over all its columns, then one line per row, "Revenues | 2015: $ 6,779,511
 * | 2014: ...", each value after its column's own headers, so that any window of lines,
 * one row included, says what each value is. */
void wk_table_text(const wk_doc *doc, const wk_unit *u, wk_buf *b);

/* A unit's MinHash from its term ids in order (what wk_unit_info.mh holds). */
void wk_unit_minhash(const int *ids, int n, uint32_t *mh);

/* (Re)builds the term lookup table from ix->terms. */
void wk_index_hash_terms(wk_index *ix);

/* Fills ix->page_units from the document. */
void wk_index_page_units(wk_index *ix);

/* ---- packs (pack.c): an index in binary, for the library ----
 * Bump WK_INDEX_PACK_VERSION whenever the layout or what wk_index_new computes changes
 * (scoring code that only reads an index needs no bump). Tokenizer changes are caught
 * by the fingerprint without a bump. */
#define WK_INDEX_PACK_VERSION 2

/* A hash of this build's tokenizer output on a fixed probe text. */
uint32_t wk_tokenizer_fingerprint(wk_tokenizer *tk);

/* Appends the pack of ix to out; WK_ELIMIT when out's ceiling is reached. */
int wk_index_pack(const wk_index *ix, wk_buf *out, wk_error *err);

/* Reads a pack (borrowed) made for `doc` into a new index that borrows doc, as one from
 * wk_index_new would. WK_EVERSION when it was made by another version or tokenizer,
 * WK_EPROTO when damaged or made for another document: build the index instead. */
int wk_index_unpack(const wk_doc *doc, const void *data, size_t len, wk_index **out,
                    wk_error *err);

/* ---- questions (query.c) ---- */

/* Kinds of primary financial statement, as bits: where a figure of a filing is stated. */
enum {
	WK_STMT_INCOME = 1,   /* statement of operations / income / earnings */
	WK_STMT_BALANCE = 2,  /* balance sheet, statement of financial position */
	WK_STMT_CASH = 4,     /* statement of cash flows */
	WK_STMT_OTHER = 8     /* equity, comprehensive income */
};

enum {
	WK_Q_PLAIN = 0,
	WK_Q_COUNT_FIGURES, /* "how many figures / charts / images" */
	WK_Q_COUNT_TABLES,  /* "how many tables" */
	WK_Q_WHICH_PAGE     /* "which page", "on what page" */
};

typedef struct wk_qterm {
	int id;          /* term id in the index */
	float weight;    /* query term frequency, damped */
} wk_qterm;

#define WK_QUOTES 4       /* quoted phrases of a question kept */
#define WK_QUOTE_TERMS 16 /* terms of each */

typedef struct wk_query {
	int nterms;
	wk_qterm *terms;
	int npairs;
	int (*pairs)[2];     /* adjacent known terms of the question, for phrase matches */
	int kind;            /* WK_Q_* */
	int fig_ref[8], nfig_ref;     /* "Figure 3" numbers */
	int tab_ref[8], ntab_ref;     /* "Table 2" numbers */
	char sec_ref[8][16]; int nsec_ref; /* "Section 4.2" -> "4.2" */
	int page_ref[8], npage_ref;   /* "page 5"; -1 = the last page, -2 the one before */
	int appendix;        /* the question mentions an appendix */
	int compare;         /* a comparison ("compare", "difference", "vs") */
	int financial;       /* asks for a financial figure ("capex", "working capital") */
	int statements;      /* WK_STMT_* kinds whose line items the question's figures are
	                        computed from ("return on assets": income and balance sheet) */
	int wants_email;     /* asks for an e-mail address */
	int wants_url;       /* asks for a web address or link */
	int wants_quote;     /* asks about quotations ("how many quotes ...") */
	int quote[WK_QUOTES][WK_QUOTE_TERMS]; /* term ids of the phrases the question quotes
	                        ("what does not make you data-driven"), -1 for unknown words */
	int quote_len[WK_QUOTES], nquotes;
} wk_query;

int wk_query_new(const wk_index *index, wk_tokenizer *tk, const char *question,
                 wk_query **out, wk_error *err);
void wk_query_free(wk_query *q);

/* The question with its instructions about the answer's form ("round your answer to
 * ...", "write the answer in list format, e.g. ...") blanked out: what it is about.
 * malloc'd. */
char *wk_question_topic(const char *question);

/* 1 when a question's stem only frames it ("accord", "mention", "report"). */
int wk_question_framing(const char *term);

/* Parses a label's kind and number: "Figure 3" -> 'F', 3; "Table II" -> 'T', 2. */
void wk_label_parse(const char *label, int *kind, int *num);

/* ---- scorers (score.c) ---- */

/* A relevance model: scores every unit of the index for a query into out[nunits]
 * (higher is better, >= 0). A learned encoder is added by writing one of these. */
typedef struct wk_scorer {
	const char *name;
	void (*score_units)(const wk_index *index, const wk_query *q, double *out);
	void (*score_pages)(const wk_index *index, const wk_query *q, double *out);
	void (*score_sections)(const wk_index *index, const wk_query *q, double *out);
} wk_scorer;

/* The scorer of "hybrid" and "dense": lexical scores that sample.c then fuses with the
 * embeddings' cosines (dense.c). */
extern const wk_scorer wk_scorer_embedded;

/* The scorer named `name` (NULL = "lexical"), or NULL when there is none by that name. */
const wk_scorer *wk_scorer_find(const char *name);

/* The BM25 idf of a term in a collection. */
double wk_idf(const wk_coll *coll, int term);

/* BM25F of one collection for a query into out[coll->ndocs]. */
void wk_bm25f(const wk_index *index, const wk_coll *coll, const float *field_weights,
              const wk_query *q, double *out);

/* ---- dense scores (dense.c) ---- */

/* Mixes the cosine of every unit's embedding with `qvec` (dim floats, unit length) into
 * the lexical unit, page and section scores: "hybrid" averages the two (each scaled to
 * [0, 1] within the document), "dense" keeps the cosine alone. */
/* The unit vectors of a document without its index (add --embed): each unit's model text
 * (wk_unit_model_text, as wk_index_embed sends), *vec nunits x *dim floats, malloc'd. */
int wk_doc_embed(const wk_doc *doc, const wk_llm_opts *opts, float **vec, int *dim,
                 wk_error *err);

void wk_dense_fuse(const wk_index *ix, const float *qvec, int dense_only, double *units,
                   double *pages, double *secs);

/* ---- structure (structure.c) ---- */

/* Combines the unit, page and section scores and the question's explicit references
 * into one relevance per unit, written over unit_scores. */
void wk_structure_apply(const wk_index *index, const wk_query *q, double *unit_scores,
                        const double *page_scores, const double *section_scores);

/* ---- selection (select.c) ---- */

/* A candidate unit of one of the documents being asked. */
typedef struct wk_cand {
	int doc;      /* index into the arrays of indexes and queries */
	int idx;
	double score;
} wk_cand;

typedef struct wk_pick {
	int doc, idx;
	int span;     /* units idx .. idx + span - 1 joined into this pick */
	double score;
	char *text;   /* malloc'd: the unit's text or its trimmed best passage */
	int tokens;
} wk_pick;

/* Chooses units under `budget` tokens from cands (reordered) of ndocs documents whose
 * per-unit scores are scores[doc]. *picks is malloc'd, in document order (doc, then
 * idx); the caller frees each text and the array. */
int wk_select_run(const wk_index *const *indexes, const wk_query *const *queries,
                  const double *const *scores, int ndocs, wk_tokenizer *tk, wk_cand *cands,
                  int ncands, int budget, wk_pick **picks, int *npicks);

/* The best passage of whole sentences (or lines, when lines_too: tables and figure text)
 * of `text` within `max_tokens`, by the idf of the query terms it holds. malloc'd. */
char *wk_best_passage(const wk_index *index, wk_tokenizer *tk, const wk_query *q,
                      const char *text, int max_tokens, int lines_too);

/* Sum of the idf x weight of the distinct query terms in s[0, n). */
double wk_text_match(const wk_index *index, wk_tokenizer *tk, const wk_query *q,
                     const char *s, size_t n);

/* Splits text into sentences: calls fn with [start, end) byte ranges. Table and figure
 * text split at line breaks as well. */
typedef void (*wk_span_fn)(void *user, const char *start, const char *end);
void wk_sentences(const char *text, int lines_too, wk_span_fn fn, void *user);

#endif /* WK_SAMPLE_H */
