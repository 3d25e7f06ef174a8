/* wukong.h: read long PDFs and answer questions about them, fast, on a CPU.
 *
 * The public C API of libwukong. The `wukong` command uses nothing else.
 *
 * Pipeline (the PDF-WuKong system, arXiv 2410.05970):
 *   wk_parse_file      PDF -> wk_doc, evidence units in reading order
 *   wk_index_new       wk_doc -> wk_index, term statistics for fast questions
 *   wk_sample          question -> wk_selection, the sparse evidence under a budget
 *   wk_answer_*        selection -> wk_answer (extractive, or a language model)
 *   wk_library_*       many documents kept in SQLite
 *
 * Conventions (see docs/api-c.md):
 * - Every function that can fail returns an int status: WK_OK (0) or a WK_E* code, and,
 *   when `err` is not NULL, fills it with the code and a one-line message that names the
 *   file or object and the reason. `err` may always be NULL.
 * - `*_new` / `*_open` / `*_parse_*` give the caller an object it owns; the matching
 *   `*_free` / `*_close` releases it and accepts NULL.
 * - Strings inside returned objects belong to the object and live as long as it does.
 * - Everything is UTF-8, NFC-normalised. Page numbers are 1-based, unit indices 0-based.
 * - Boxes are in PDF points with the origin at the top-left corner of the page and y
 *   growing downwards (MuPDF's convention), so they can be drawn over a rendered page
 *   by scaling with dpi / 72.
 *
 * Copyright (C) 2026 the wukong authors. AGPL-3.0-or-later.
 */
#ifndef WUKONG_H
#define WUKONG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WK_VERSION "0.1.0"

/* ------------------------------------------------------------------------------------ */
/* Errors                                                                              */
/* ------------------------------------------------------------------------------------ */

enum {
	WK_OK = 0,
	WK_EINVAL,     /* bad argument, option or question */
	WK_ENOENT,     /* file does not exist or cannot be read */
	WK_ENOTPDF,    /* not a PDF */
	WK_EPASSWORD,  /* encrypted, and no or a wrong password */
	WK_EDAMAGED,   /* a PDF too damaged to read */
	WK_ENOTEXT,    /* no text layer and OCR off or unable */
	WK_ENOMEM,     /* out of memory, or the memory cap was reached */
	WK_ELIMIT,     /* a configured limit was reached (pages, size, question length) */
	WK_ETIMEOUT,   /* a time limit was reached */
	WK_EIO,        /* reading or writing a file failed */
	WK_ENET,       /* connection refused, DNS, TLS */
	WK_EHTTP,      /* the server answered with an error status */
	WK_EPROTO,     /* a reply or a file that does not follow its format */
	WK_EDB,        /* the database failed */
	WK_EVERSION,   /* a database or cache from another version */
	WK_ENOTFOUND,  /* no such document, page or unit */
	WK_EINTERNAL,  /* a bug: please report it */
	WK_ECANCELED   /* the caller asked to stop (wk_llm_opts.cancel) */
};

typedef struct wk_error {
	int code;           /* WK_OK or a WK_E* code */
	char message[512];  /* one line, no trailing newline; "" when code is WK_OK */
} wk_error;

/* A static English description of a code ("not a PDF"). Never NULL. */
const char *wk_strerror(int code);

/* Frees memory that a wk_ function handed out as a plain buffer (char *, png bytes). */
void wk_free(void *ptr);

/* ------------------------------------------------------------------------------------ */
/* Documents: evidence units                                                          */
/* ------------------------------------------------------------------------------------ */

typedef enum wk_unit_type {
	WK_UNIT_TEXT = 0,  /* a paragraph of body text */
	WK_UNIT_HEADING,   /* a section heading */
	WK_UNIT_FIGURE,    /* a figure: its caption, the text inside it, its crop */
	WK_UNIT_TABLE      /* a table: its caption, its cells as text, its crop */
} wk_unit_type;

/* "text", "heading", "figure", "table". */
const char *wk_unit_type_name(wk_unit_type type);

/* A rectangle on one page. */
typedef struct wk_box {
	int page;             /* 1-based */
	float x0, y0, x1, y1; /* points, top-left origin */
} wk_box;

/* One cell of a table whose grid was recognised (docs/units.md, "Table cells").
 * Cells are kept as printed: "$ 6,779,511", "(1,577)", "22.4 %", "—". */
typedef struct wk_cell {
	int row, col;         /* 0-based grid position of the cell's top-left corner */
	int rowspan, colspan; /* >= 1 (a header "Year ended December 31" spans its years) */
	int kind;             /* WK_CELL_BODY, WK_CELL_HEADER (column header, in the first
	                         header_rows rows) or WK_CELL_STUB (a row label, in the first
	                         stub_cols columns) */
	int indent;           /* stub cells: indentation level, 0 = flush left; a sub-row's
	                         parent is the nearest row above with a smaller indent */
	const char *text;     /* as printed, "" for an empty cell that is still listed */
	wk_box box;           /* where it is printed */
} wk_cell;

enum { WK_CELL_BODY = 0, WK_CELL_HEADER, WK_CELL_STUB };

/* The grid of a table unit. Empty grid positions have no cell. */
typedef struct wk_table {
	int nrows, ncols;
	int header_rows;      /* rows 0 .. header_rows-1 are column headers (may be 0) */
	int stub_cols;        /* columns 0 .. stub_cols-1 are row labels (usually 1, may be 0) */
	int ncells;
	wk_cell *cells;       /* sorted by row, then col */
	const char *scale;    /* the scale line printed with the table ("in millions, except per
	                         share data"), NULL when there is none */
	int continues;        /* idx of the table unit this one continues (the same table on an
	                         earlier page), -1 when it starts here */
} wk_table;

typedef struct wk_unit {
	int idx;              /* position in reading order, 0-based, stable */
	wk_unit_type type;
	int page;             /* first page, 1-based */
	int nboxes;           /* one box per page the unit spans (a paragraph may cross pages) */
	wk_box *boxes;
	int section;          /* index into wk_doc.sections, -1 before the first heading */
	int level;            /* heading level (1 = top) for WK_UNIT_HEADING, else 0 */
	const char *text;     /* paragraph or heading text; for figures and tables the caption */
	/* Figures and tables only (NULL / 0 otherwise): */
	const char *label;        /* "Figure 3", "Table II" */
	const char *caption;      /* the caption as printed, label included */
	const char *figure_text;  /* text printed inside the region: axis labels, cells */
	const char *image;        /* path of the PNG crop when crops were asked for */
	int nrefs;
	int *refs;                /* idx of the paragraphs that mention it, ascending */
	int ocr;                  /* 1 when the text came from OCR */
	const wk_table *table;    /* tables whose grid was recognised: rows, columns, cells;
	                             NULL otherwise (figure_text still holds the words) */
} wk_unit;

/* A node of the section tree, built from the headings the parser recognised. */
typedef struct wk_section {
	int parent;          /* index of the parent section, -1 for top level */
	int level;           /* 1 = top */
	int heading;         /* idx of the heading unit */
	int first, last;     /* idx range of the units inside, heading included, subsections too */
	const char *title;   /* "3.2 Sampler" */
	const char *path;    /* "3 Method > 3.2 Sampler" */
} wk_section;

/* An entry of the PDF's own outline (bookmarks), when it has one. */
typedef struct wk_outline_item {
	int level;           /* 1 = top */
	int page;            /* 1-based, 0 when it points nowhere */
	const char *title;
} wk_outline_item;

typedef struct wk_page_info {
	float width, height; /* points */
	int status;          /* WK_OK, or the code of the error that made the page be skipped */
	int ocr;             /* 1 when its text came from OCR */
	const char *label;   /* the page's label ("iv", "17", "A-3"): from the PDF's /PageLabels,
	                        else the page number printed on it when the document's printed
	                        numbers agree ("16-17" for a two-page spread); "" when unknown,
	                        never NULL */
} wk_page_info;

/* A parsed document. Read-only for the caller; every pointer inside belongs to it. */
typedef struct wk_doc {
	const char *path;    /* as given to the parser, or the name given with memory input */
	const char *title;   /* metadata title, else the first heading, else the file name */
	char hash[65];       /* SHA-256 of the file's bytes, lowercase hex */
	int npages;          /* pages in the file */
	wk_page_info *pages; /* npages entries */
	int nunits;
	wk_unit *units;
	int nsections;
	wk_section *sections;
	int noutline;
	wk_outline_item *outline;
	struct wk_arena *arena; /* private: the memory everything above lives in */
} wk_doc;

/* The cell of `table` covering grid position (row, col), spans included; NULL when none. */
const wk_cell *wk_table_cell(const wk_table *table, int row, int col);

/* The row label of grid row `row`: its stub cell (the rightmost of the stub columns that
 * has text); NULL when the row has none. */
const wk_cell *wk_table_row_label(const wk_table *table, int row);

/* The column headers over grid column `col`, top down, joined by a space ("Year ended
 * December 31, 2015"), written to out (at most cap bytes, NUL-terminated, cut at a
 * character boundary). Returns the length written; 0 when the column has no header. */
size_t wk_table_col_header(const wk_table *table, int col, char *out, size_t cap);

/* The box of the rows of table unit `u` whose evidence lines (wk_table_text) are all in
 * `text`, a passage cut from the unit's evidence: one row chosen and cited on its own
 * is cited with its own box. Returns the number of such rows; *box is set only when
 * some rows but not all are in `text` (0 is also returned when the unit has no grid). */
int wk_table_rows_box(const wk_doc *doc, const wk_unit *u, const char *text, wk_box *box);

/* The heading path of a unit ("3 Method > 3.2 Sampler"), "" when it has none. */
const char *wk_unit_section(const wk_doc *doc, const wk_unit *unit);

void wk_doc_free(wk_doc *doc);

/* Serialises a document as the JSON of docs/units.md (metadata, outline, sections,
 * units). The caller frees *json with wk_free. */
int wk_doc_to_json(const wk_doc *doc, char **json, size_t *len, wk_error *err);

/* Reads back what wk_doc_to_json wrote (the parse cache and the library use it). */
int wk_doc_from_json(const char *json, size_t len, wk_doc **out, wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* Parsing                                                                             */
/* ------------------------------------------------------------------------------------ */

enum { WK_OCR_AUTO = 0, WK_OCR_ALWAYS, WK_OCR_NEVER };

/* A memory budget that several parses draw from at once (a server's upload slots), so
 * that together they never hold more than `bytes` in MuPDF. Thread-safe; it must
 * outlive the parses that use it. */
typedef struct wk_budget wk_budget;
wk_budget *wk_budget_new(size_t bytes);
void wk_budget_free(wk_budget *budget);
/* The most bytes its parses held at once. */
size_t wk_budget_peak(const wk_budget *budget);

typedef struct wk_parse_opts {
	int threads;             /* pages parsed in parallel; output is the same for any value */
	int first_page;          /* 1-based, inclusive; 0 = from the first */
	int last_page;           /* 1-based, inclusive; 0 = to the last */
	const char *password;    /* for encrypted PDFs, NULL if none */
	const char *figures_dir; /* when set, crops of figures and tables are written here */
	int dpi;                 /* crop resolution, default 150 */
	int max_pages;           /* refuse longer documents, default 10000 */
	double timeout;          /* seconds for the whole document, default 600, 0 = none */
	double ocr_page_timeout; /* seconds added to timeout for each page needing OCR, default
	                            30, at most 3600 in all (OCR costs ~100x a text page) */
	size_t max_memory;       /* cap on MuPDF's allocations in bytes, default 1 GiB */
	wk_budget *shared;       /* a budget also charged, shared with other parses; NULL = none */
	const volatile int *cancel; /* the parse stops (WK_ECANCELED) once *cancel != 0; may be NULL */
	int ocr;                 /* WK_OCR_AUTO (pages without text), _ALWAYS, _NEVER */
	const char *ocr_lang;    /* Tesseract language, default "eng" */
	/* Called (from the calling thread) once a page is done; may be NULL. */
	void (*on_page)(void *user, int pages_done, int pages_total);
	/* Called for each page that failed and was skipped, with a one-line message. */
	void (*on_warning)(void *user, const char *message);
	void *user;
} wk_parse_opts;

/* Fills opts with the defaults above. */
void wk_parse_opts_init(wk_parse_opts *opts);

/* Parses a PDF file into evidence units. A page that fails is reported through
 * on_warning and skipped; the document fails only when no page can be read. */
int wk_parse_file(const char *path, const wk_parse_opts *opts, wk_doc **out, wk_error *err);

/* The pages of `doc` that could not be read (status not WK_OK), as "3, 7, 9" in `out`
 * (cut with ", ..." when it does not fit); returns how many there are. */
int wk_doc_damaged_pages(const wk_doc *doc, char *out, size_t size);

/* The same from bytes in memory (uploads, fuzzing). `name` is used in messages. */
int wk_parse_memory(const void *data, size_t len, const char *name, const wk_parse_opts *opts,
                    wk_doc **out, wk_error *err);

/* Parses `path`, or loads its earlier parse from the cache under $XDG_CACHE_HOME/wukong
 * (default ~/.cache/wukong), keyed by the file's content hash and by the options that
 * change the result. *cached (may be NULL) is set to 1 when the cache answered. A cache
 * entry that cannot be read is ignored and rewritten. */
int wk_parse_cached(const char *path, const wk_parse_opts *opts, wk_doc **out, int *cached,
                    wk_error *err);

/* Renders page `page` (1-based) of a PDF as PNG at `dpi` (18..600). When `max_side` > 0
 * the image is scaled down so that its longer side is at most max_side pixels.
 * The caller frees *png with wk_free. */
int wk_render_page(const char *path, const char *password, int page, int dpi, int max_side,
                   unsigned char **png, size_t *len, wk_error *err);

/* An encrypted PDF (`data`, `len`) written again without its encryption, once `password`
 * opens it: WK_EPASSWORD when it does not (or none is given), WK_EINVAL when the PDF is
 * not encrypted. `name` is used in messages. The caller frees *out with wk_free. */
int wk_pdf_decrypt(const void *data, size_t len, const char *name, const char *password,
                   char **out, size_t *out_len, wk_error *err);

/* Renders the region `box` of a page as PNG, as for wk_render_page. */
int wk_render_box(const char *path, const char *password, const wk_box *box, int dpi,
                  int max_side, unsigned char **png, size_t *len, wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* Tokens                                                                              */
/* ------------------------------------------------------------------------------------ */

/* The token cost of a text for budgets, output and evaluation: ceil(1.3 x the number of
 * white-space-separated words). One rule everywhere until a model's tokenizer is used. */
int wk_tokens_count(const char *text);

/* ------------------------------------------------------------------------------------ */
/* Sparse sampling                                                                     */
/* ------------------------------------------------------------------------------------ */

/* Per-document term statistics, built once, reused by every question. */
typedef struct wk_index wk_index;

/* Builds the index of `doc`. The index borrows doc: doc must outlive it. */
int wk_index_new(const wk_doc *doc, wk_index **out, wk_error *err);
void wk_index_free(wk_index *index);

typedef struct wk_ask_opts {
	int budget;          /* token budget of the selected evidence, default 2048, >= 16 */
	const char *scorer;  /* NULL or "lexical" (the default): BM25F and structure; "hybrid":
	                        that fused with the cosine of unit and question embeddings;
	                        "dense": embeddings and structure only. The last two need
	                        `embed` and indexes given vectors by wk_index_embed. */
	const struct wk_llm_opts *embed; /* embedding server (embed_url) the question is sent
	                        to for "hybrid" and "dense"; NULL otherwise */
	const struct wk_llm_opts *rerank; /* when set, the chat model rates the best
	                        `rerank_top` candidates (one request, ~165 prompt tokens each)
	                        and its rating is averaged into their scores before the
	                        budgeted selection; NULL = no re-ranking */
	int rerank_top;      /* candidates rated, default 20, at most 50 */
	const float *question_vec; /* the question's embedding when the caller has it already
	                        (a library's stage 1), question_dim floats of unit length;
	                        NULL: asked of `embed` */
	int question_dim;
} wk_ask_opts;

void wk_ask_opts_init(wk_ask_opts *opts);

/* Checks a question: not empty or blank, at most 4096 bytes, valid UTF-8. */
int wk_question_check(const char *question, wk_error *err);

/* One selected evidence unit. */
typedef struct wk_evidence {
	int doc;          /* which document: index into the array given to wk_sample_many, else 0 */
	int idx;          /* unit idx in that document */
	double score;     /* relevance, higher is better */
	int tokens;       /* wk_tokens_count(text) */
	char *text;       /* exactly what a language model is given for this unit: for figures
	                     and tables label, caption and figure text; a trimmed passage when
	                     a long unit was cut to its best part */
	int span;         /* units idx .. idx + span - 1 (consecutive text fragments of one
	                     page: table rows, chart labels, a paragraph cut by a column break)
	                     were joined into this item; 0 or 1 = the unit idx alone */
} wk_evidence;

/* The evidence chosen for a question, in document order (doc, then idx). */
typedef struct wk_selection {
	int n;
	wk_evidence *items;
	int tokens;       /* sum of items[].tokens, never above the budget */
	int doc_tokens;   /* tokens of the whole document(s) for comparison */
} wk_selection;

/* Selects the evidence for `question` under opts->budget. */
int wk_sample(const wk_index *index, const char *question, const wk_ask_opts *opts,
              wk_selection **out, wk_error *err);

/* The same across several documents: documents are ranked first, then units, under one
 * budget. items[].doc says which document each unit comes from. */
int wk_sample_many(const wk_index *const *indexes, int n, const char *question,
                   const wk_ask_opts *opts, wk_selection **out, wk_error *err);

void wk_selection_free(wk_selection *sel);

/* ------------------------------------------------------------------------------------ */
/* Answers                                                                             */
/* ------------------------------------------------------------------------------------ */

typedef struct wk_answer {
	char *text;        /* the answer; never invented when extractive */
	int found;         /* 0 when the evidence does not seem to answer the question */
	int ncited;
	int *cited;        /* indices into the selection's items that the answer cites */
	const char *mode;  /* "extractive", "llm", or "extractive-fallback" */
	int prompt_tokens, completion_tokens; /* reported by the model server, else 0 */
	char *quote;       /* extractive: the sentence or table row the answer is read from,
	                      verbatim, or the computation of a count; NULL when not found */
	int quote_page;    /* the page of the quote, 0 when none */
	const char *answer_type; /* the type of answer the question asks for: "count",
	                      "quantity", "money", "percent", "ratio", "date", "year", "period",
	                      "person", "organisation", "acronym", "list", "yes/no",
	                      "reference", "email", "url", "phone" or "text" (docs/ask.md); static */
} wk_answer;

/* The answer without a model: the short answer of the type the question asks for (a
 * number with its unit, a table cell, a name, a count), read from the selected evidence
 * and cited, with the sentence or row it comes from as `quote`; found = 0 when no
 * candidate scores above the abstention threshold (docs/ask.md). */
int wk_answer_extractive(const wk_doc *const *docs, const wk_selection *sel,
                         const char *question, wk_answer **out, wk_error *err);

void wk_answer_free(wk_answer *answer);

/* Milliseconds spent in each stage of a question. */
typedef struct wk_timing {
	double parse, sample, answer;
} wk_timing;

/* The JSON of docs/ask.md for one question: question, answer, evidence (with idx, type,
 * page, bbox, section, text, caption, score, tokens, and the document when several),
 * tokens, ms. `docs` are the documents the selection's items[].doc refer to; `answer`
 * and `ms` may be NULL. The caller frees *json with wk_free. */
int wk_ask_to_json(const char *question, const wk_doc *const *docs, const wk_selection *sel,
                   const wk_answer *answer, const wk_timing *ms, char **json, size_t *len,
                   wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* Language model backend (OpenAI-compatible chat completions)                          */
/* ------------------------------------------------------------------------------------ */

/* How to reach a model server and how to talk to it. Strings are borrowed: they must
 * outlive every call that uses the options (wk_llm_opts_load keeps the ones it reads). */
typedef struct wk_llm_opts {
	const char *url;        /* base URL, "http://127.0.0.1:8080/v1"; "/chat/completions" is
	                           appended (a URL already ending so is used as is) */
	const char *model;      /* model name sent to the server, default "default" */
	const char *api_key;    /* sent as "Authorization: Bearer KEY"; NULL = none */
	int vision;             /* 1: figure and table crops go as image_url parts (base64 PNG) */
	int max_image_side;     /* longest side of an image in pixels, default 1024 */
	int image_dpi;          /* rendering resolution before scaling down, default 144 */
	int max_tokens;         /* completion tokens asked for, default 512 */
	double temperature;     /* default 0 */
	int stream;             /* 1 (default): SSE streaming, which also lets stalls be seen */
	long connect_timeout_ms;/* default 10000 */
	long timeout_ms;        /* whole request, default 300000; 0 = none */
	long stall_ms;          /* streaming only: no byte for this long ends the request,
	                           default 120000 (a CPU server may think long before the first) */
	int max_attempts;       /* tries for 429 and 5xx, default 4 (1 = no retry) */
	long backoff_ms;        /* first retry delay, doubled each time, with jitter; default 500 */
	long max_wait_ms;       /* longest single wait, Retry-After included, default 30000;
	                           a longer Retry-After fails at once */
	size_t max_reply;       /* ceiling on reply bytes, default 4 MiB */
	const char *embed_url;  /* embedding server's base URL ("/embeddings" is appended), NULL =
	                           none; the key, timeouts and retries above apply to it too */
	const char *embed_model;/* embedding model name sent to it, default "default" */
	/* Called with each piece of the answer as it arrives (streaming), in order, from the
	 * calling thread; may be NULL. Pieces are UTF-8, not NUL-terminated. */
	void (*on_text)(void *user, const char *piece, size_t len);
	/* Polled from the calling thread a few times a second while the request runs; a
	 * nonzero return stops it with WK_ECANCELED (the server's client went away). May be
	 * NULL. */
	int (*cancel)(void *user);
	void *user;
	struct wk_llm_store *store; /* private: strings read by wk_llm_opts_load */
} wk_llm_opts;

/* Fills opts with the defaults above (url NULL: wk_answer_llm then fails with WK_EINVAL). */
void wk_llm_opts_init(wk_llm_opts *opts);

/* Overlays the settings of the config file, then of the environment, onto opts, so that
 * the order init, load, command-line options gives: command line, then environment, then
 * file, then defaults. `config_path` NULL means $XDG_CONFIG_HOME/wukong/config (default
 * ~/.config/wukong/config); a missing file is fine, a bad line is WK_EINVAL naming file
 * and line. File lines are "key = value" ('#' starts a comment); keys: url, model,
 * api_key, embed_url, embed_model, vision, max_image_side, image_dpi, max_tokens,
 * temperature, stream, connect_timeout, timeout, stall_timeout (seconds), max_attempts.
 * Environment: WUKONG_LLM_URL, WUKONG_MODEL, WUKONG_API_KEY, WUKONG_EMBED_URL,
 * WUKONG_EMBED_MODEL, WUKONG_VISION, WUKONG_MAX_TOKENS, WUKONG_LLM_TIMEOUT.
 * Release what it keeps with wk_llm_opts_release. */
int wk_llm_opts_load(wk_llm_opts *opts, const char *config_path, wk_error *err);

/* Frees the strings wk_llm_opts_load kept (opts->store); pointers into them dangle after. */
void wk_llm_opts_release(wk_llm_opts *opts);

/* The id by which the prompt names selection item i, as in "[3]": i + 1, the number
 * `wukong ask` shows the evidence by. -1 when i is out of range. */
int wk_llm_evidence_id(const wk_selection *sel, int i);

/* Asks the model to answer `question` from the selected evidence (the PDF-WuKong prompt:
 * instruction, evidence blocks "[id] (page P, section S)", question). On success *out has
 * mode "llm", the model's text, cited = the selection indices of the ids it cited that
 * were sent (others are dropped), found = 0 when it said the evidence has no answer, and
 * the server's usage. Thread-safe: several calls may run at once (batch --jobs).
 * Errors, each with a one-line message naming the server: WK_ENET (refused, DNS, TLS),
 * WK_EHTTP (401/403, 404 unknown model, 429 and 5xx after the retries), WK_ETIMEOUT
 * (connect timeout, stall, total timeout), WK_EPROTO (not JSON, stream cut short),
 * WK_ELIMIT (the prompt exceeds the model's context: retry once with a smaller budget),
 * WK_EINVAL (no URL). */
int wk_answer_llm(const wk_llm_opts *opts, const wk_doc *const *docs, const wk_selection *sel,
                  const char *question, wk_answer **out, wk_error *err);

/* Embeddings from opts->embed_url (OpenAI-compatible POST /embeddings, model
 * opts->embed_model), in batches. *vectors receives n x *dim floats, each vector scaled to
 * unit length (a zero vector stays zero); free it with wk_free. Texts longer than 2,000
 * bytes are cut (embedding models read a few hundred tokens). Errors as wk_answer_llm's;
 * a reply with another count, mixed dimensions, or a value that is not a finite number is
 * WK_EPROTO. */
int wk_embed_texts(const wk_llm_opts *opts, const char *const *texts, int n, float **vectors,
                   int *dim, wk_error *err);

/* Gives `index` the embedding of every unit (text units by their text; figures and tables
 * by label, caption and the text inside), for the "hybrid" and "dense" scorers. Vectors
 * are kept in the cache ($XDG_CACHE_HOME/wukong), keyed by server, model and the units'
 * texts, so a document is embedded once: *sent (may be NULL) receives the number of texts
 * sent to the server (0 when the cache answered). */
int wk_index_embed(wk_index *index, const wk_llm_opts *opts, int *sent, wk_error *err);

/* Samples and answers in one call: the ask service (wk_ask) with this model, no fallback
 * and its context-length rule (the prompt too long: asked once more with the best-scored
 * half of the evidence, which is then *sel). `docs[i]`
 * is the document of `indexes[i]`. *sel (may be NULL) receives the selection the answer
 * was made from; the caller frees it with wk_selection_free. `ms` (may be NULL) receives
 * the milliseconds of sampling and answering (both tries); its parse field is untouched. */
int wk_ask_llm(const wk_llm_opts *opts, const wk_index *const *indexes,
               const wk_doc *const *docs, int n, const char *question,
               const wk_ask_opts *ask, wk_selection **sel, wk_answer **out, wk_timing *ms,
               wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* The ask service: one policy for `wukong ask`, `ask --library`, `eval` and `serve`     */
/* ------------------------------------------------------------------------------------ */

/* How a question is answered. The same settings give the same evidence and answer from
 * every caller. Strings and llm are borrowed: they must outlive the asker. */
typedef struct wk_ask_policy {
	int budget;              /* evidence tokens, default 2048, >= 16 */
	const char *scorer;      /* the sampler's scoring model, NULL = lexical */
	const wk_llm_opts *llm;  /* the model that answers; NULL = extractive answers. Its
	                            on_text, cancel and user are not used: the per-call
	                            callbacks are wk_ask_calls */
	int fallback;            /* 1: when the model fails, the extractive answer instead
	                            (WK_MODE_FALLBACK); 0 (default): the call fails */
	int shrink_retries;      /* a context-length error (WK_ELIMIT) is retried this many
	                            times, each with the best-scored half of the evidence
	                            (which is then the result's evidence); default 1 */
	const wk_llm_opts *embed;/* embedding server (its embed_url) for the "hybrid" and
	                            "dense" scorers; the documents' indexes need their vectors
	                            (wk_index_embed) */
	const wk_llm_opts *rerank;/* when set, this chat model re-ranks the best candidates
	                            (wk_ask_opts.rerank); NULL = none */
	int rerank_top;          /* candidates it rates, default 20 */
	int give_up_after;       /* after this many model failures without a success, later
	                            questions fail at once with the first failure (a server
	                            that is down is not waited for again and again); 0 = never;
	                            default 3 */
} wk_ask_policy;

void wk_ask_policy_init(wk_ask_policy *policy);

typedef enum wk_ask_mode {
	WK_MODE_EXTRACTIVE = 0, /* answered from the evidence without a model */
	WK_MODE_LLM,            /* the model answered */
	WK_MODE_FALLBACK,       /* the model failed (model_error); the extractive answer */
	WK_MODE_MODEL_FAILED,   /* the model failed, no fallback: answer NULL */
} wk_ask_mode;

typedef struct wk_library wk_library; /* below: Document library */

/* What a question is asked about: parsed documents, or a library. */
typedef struct wk_ask_source {
	const wk_doc *const *docs;      /* n parsed documents (borrowed) ... */
	const wk_index *const *indexes; /* ... and their indexes (wk_index_new) */
	int n;
	wk_library *library;            /* or a library (then docs is NULL): */
	const char *doc_id;             /* one document by id, NULL = the whole library */
} wk_ask_source;

typedef struct wk_ask_result wk_ask_result;

/* Per-call callbacks, apart from the policy: what one caller does with one question.
 * All run in the calling thread; each may be NULL. */
typedef struct wk_ask_calls {
	/* Once the evidence is chosen, before the model is asked, with the extractive answer
	 * in r->answer (the model may then shrink the evidence: the context-length rule). The
	 * library is not used after it returns. */
	void (*on_evidence)(void *user, const wk_ask_result *r);
	/* Each piece of the model's answer as it arrives (streaming). */
	void (*on_text)(void *user, const char *piece, size_t len);
	/* Polled while the model runs; nonzero stops it (WK_ECANCELED). */
	int (*cancel)(void *user);
	void *user;
} wk_ask_calls;

/* One asked question. Everything in it is owned by it. */
struct wk_ask_result {
	wk_ask_mode mode;
	const char *question;
	wk_selection *sel;          /* the evidence the answer was made from, in document order */
	const wk_doc *const *docs;  /* the documents sel->items[].doc refers to */
	int ndocs;                  /* 0: no library document shares a word with the question */
	wk_answer *answer;          /* NULL only with WK_MODE_MODEL_FAILED */
	wk_timing ms;               /* sample and answer; parse is the caller's */
	wk_error model_error;       /* code WK_OK unless the model failed */
	wk_error embed_error;       /* code WK_OK unless the embedding server failed and the
	                               policy's fallback chose the evidence lexically */
	struct wk_ask_owned *owned; /* private */
};

typedef struct wk_asker wk_asker;

/* An asker holds a policy and the model's failure counts (give_up_after). Thread-safe:
 * any number of wk_ask calls may run at once. */
int wk_asker_new(const wk_ask_policy *policy, wk_asker **out, wk_error *err);
void wk_asker_free(wk_asker *asker);

/* Gives a document's index what the policy needs before it is asked: the unit embeddings
 * of the "hybrid" and "dense" scorers (wk_index_embed: from the cache, else the server).
 * WK_OK at once for the lexical scorer. With the policy's fallback, a failing embedding
 * server is not an error: the index stays without vectors, its questions are sampled
 * lexically and their results' embed_error says why. */
int wk_asker_prepare(wk_asker *asker, wk_index *index, wk_error *err);

/* Chooses the evidence for `question` under the policy's budget and answers it: with the
 * model when the policy has one (and the evidence is not empty), else extractively. The
 * model's citations of ids it was not given are removed from its text.
 * Returns WK_OK with *out set; when the model failed and the policy has no fallback,
 * returns the model's error code with *out still set (mode WK_MODE_MODEL_FAILED, the
 * evidence, model_error) so that the evidence can be shown. Other errors (a bad
 * question, an unknown doc_id, the library) leave *out NULL. */
int wk_ask(wk_asker *asker, const wk_ask_source *src, const char *question,
           const wk_ask_calls *calls, wk_ask_result **out, wk_error *err);
void wk_ask_result_free(wk_ask_result *r);

/* Asks n questions about one source, `jobs` at once, and calls done(user, i, rc, r, err)
 * for each in order of i, from the calling thread, as soon as it and all before it are
 * answered; r (may be NULL) is freed after done returns. */
typedef void (*wk_ask_done_fn)(void *user, int i, int rc, const wk_ask_result *r,
                               const wk_error *err);
void wk_ask_batch(wk_asker *asker, const wk_ask_source *src, const char *const *questions,
                  int n, int jobs, wk_ask_done_fn done, void *user);

/* The model's record so far: returns the failures, *successes (may be NULL) the
 * successes, *first (may be NULL) the first failure. */
int wk_asker_failures(wk_asker *asker, int *successes, wk_error *first);

/* The mode's name as in the JSON: "extractive", "llm", "extractive-fallback", "failed". */
const char *wk_ask_mode_name(wk_ask_mode mode);

/* The JSON of docs/ask.md for a result: wk_ask_to_json, plus "llm_error" when the model
 * failed. The caller frees *json with wk_free. */
int wk_ask_result_to_json(const wk_ask_result *r, char **json, size_t *len, wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* Evaluation (`wukong eval`, docs/eval.md)                                             */
/* ------------------------------------------------------------------------------------ */

typedef struct wk_eval_opts {
	const char *format;      /* "mmlongbench" (default) or "qasper" */
	const char *docs_dir;    /* folder holding the documents named by doc_id */
	int budget;              /* evidence token budget, default 2048 */
	int limit;               /* evaluate the first `limit` questions, 0 = all */
	int jobs;                /* documents evaluated in parallel, default 1 */
	int json;                /* report as JSON instead of text */
	int misses;              /* how many worst-missed questions to list, default 10 */
	int no_cache;            /* parse every document afresh instead of using the cache */
	const char *details;     /* when set, one JSON line per question is written to this file:
	                            gold, answer, pages by score, recall, metrics, latency */
	int ocr;                 /* WK_OCR_AUTO (default, as everywhere): image-only documents
	                            are OCR'd (their figures kept apart from the text-layer
	                            ones); WK_OCR_NEVER: they are counted and left out */
	const char *scorer;      /* wk_ask_opts.scorer */
	wk_asker *asker;         /* how questions are answered (wk_ask); NULL: extractive, with
	                            the budget and scorer above. When set, its policy's budget
	                            and scorer are the ones used */
	void *user;              /* for on_document */
	/* Called after each document (from worker threads, serialised); may be NULL. */
	void (*on_document)(void *user, int done, int total, const char *doc_id,
	                    const char *status);
	size_t max_memory;       /* MuPDF's cap per document in bytes; 0 = wk_parse_opts' default */
	double timeout;          /* seconds per document; -1 (the init value) = wk_parse_opts' default */
} wk_eval_opts;

void wk_eval_opts_init(wk_eval_opts *opts);

/* Runs the benchmark in `questions` (JSON lines) and writes the report (text, or JSON
 * with opts->json) into *report, freed with wk_free. *skipped (may be NULL) receives the
 * number of documents that were missing or failed to parse (image-only ones excluded).
 * Errors: an unreadable or empty questions file, a bad option (WK_EINVAL). */
int wk_eval_run(const char *questions, const wk_eval_opts *opts, char **report, int *skipped,
                wk_error *err);

/* ------------------------------------------------------------------------------------ */
/* Document library (SQLite)                                                           */
/* ------------------------------------------------------------------------------------ */

typedef struct wk_library wk_library;

/* Summary of one library document. */
typedef struct wk_doc_info {
	char id[17];         /* first 16 hex digits of the content hash: stable across moves */
	char hash[65];       /* SHA-256 of the file's bytes */
	const char *name;    /* file name without folders */
	const char *path;    /* where it was last added from */
	const char *title;
	int npages, nunits;
	int64_t added;       /* Unix time of the last (re)index */
	int64_t bytes;       /* file size */
	int ndamaged;        /* pages that could not be read; set by wk_library_add* only */
	char damaged[96];    /* those pages, "3, 7, 9" (see wk_doc_damaged_pages) */
} wk_doc_info;

/* How wk_library_add went: new; unchanged (that content is already there: nothing
 * done); updated (the same path held other content, now replaced); moved (that content
 * was there under another path that no longer holds it: the path was updated, the id
 * kept). */
enum { WK_ADD_NEW = 0, WK_ADD_UNCHANGED, WK_ADD_UPDATED, WK_ADD_MOVED };

/* Opens (creating when needed, with its folders) the library database at `path`, or
 * the PostgreSQL library a postgresql:// (or postgres://) URI names (its tables created in
 * the URI's database; an unreachable server gives WK_EDB). NULL means $WUKONG_DB, else
 * $XDG_DATA_HOME/wukong/library.db. A database of a newer schema or another
 * program gives WK_EVERSION. A handle serves one thread at a time: open one per thread
 * (WAL: any number of readers go on while one writer adds; a writer waits up to 10 s
 * for another). */
int wk_library_open(const char *path, wk_library **out, wk_error *err);
/* The library used when no path is given: $XDG_DATA_HOME/wukong/library.db, else
 * ~/.local/share/wukong/library.db; malloc'd, NULL when neither variable is set. */
char *wk_library_default_path(void);
void wk_library_close(wk_library *lib);

/* Parses and stores one PDF in one transaction. *status (may be NULL) says whether it was
 * new, unchanged (same content already there: nothing done) or updated (same path,
 * new content). `info` (may be NULL) receives the record; its strings live until the
 * next call on `lib`. */
int wk_library_add(wk_library *lib, const char *path, const wk_parse_opts *opts,
                   wk_doc_info *info, int *status, wk_error *err);

/* The same for an uploaded PDF held in memory; `name` is its file name, stored as both
 * info.name and info.path. Only identical bytes are merged: an upload never replaces a
 * document because its name matches. */
int wk_library_add_memory(wk_library *lib, const void *data, size_t len, const char *name,
                          const wk_parse_opts *opts, wk_doc_info *info, int *status,
                          wk_error *err);

/* Adding many files: `jobs` threads parse while the calling thread writes, one document
 * per transaction. The callbacks run in the calling thread. */
typedef struct wk_add_opts {
	int jobs;                      /* parse threads, default 1 */
	const wk_parse_opts *parse;    /* NULL: defaults */
	/* After each file, in completion order: rc is WK_OK (then status is a WK_ADD_* and
	 * info the record) or the file's error. */
	void (*on_file)(void *user, const char *path, int rc, int status,
	                const wk_doc_info *info, const wk_error *err);
	/* About five times a second: files finished and pages parsed so far. May be NULL. */
	void (*on_tick)(void *user, int files_done, long pages_done);
	void *user;
	/* NULL, or an embedding server (its embed_url, embed_model): the unit vectors of each
	 * document added, or already there without vectors of this model, are stored with it,
	 * so that questions send only themselves. Embedded by the parse threads. */
	const struct wk_llm_opts *embed;
	/* With embed, before on_file of the same file: units embedded for it (0 when it had
	 * its vectors), or the server's error (rc, err: the document is added all the same).
	 * After 3 failures without a success the server is taken for down and the others fail
	 * at once with the first error. May be NULL. */
	void (*on_embed)(void *user, const char *path, int units, int rc, const wk_error *err);
} wk_add_opts;

/* Adds `n` files. A file that fails is reported through on_file and skipped; *failed
 * (may be NULL) counts them. Returns WK_OK unless the library itself failed (WK_EDB...),
 * which stops the run; documents written before stay. */
int wk_library_add_many(wk_library *lib, const char *const *paths, int n,
                        const wk_add_opts *opts, int *failed, wk_error *err);

/* Copies every document of the library `source` (a file or a postgresql:// URI) into
 * lib, whose own path or URI is lib_path (NULL: the default), without parsing: libraries
 * move between SQLite and PostgreSQL. Content already in lib is left (reported
 * unchanged); uploaded PDFs go with their documents. opts->on_file reports each document
 * (its path); jobs and on_tick are not used. Returns WK_OK unless a library failed. */
int wk_library_add_from(wk_library *lib, const char *source, const char *lib_path,
                        const wk_add_opts *opts, int *failed, wk_error *err);

/* All documents, by name. The caller frees *infos with wk_doc_infos_free. */
int wk_library_list(wk_library *lib, wk_doc_info **infos, int *n, wk_error *err);
void wk_doc_infos_free(wk_doc_info *infos, int n);

/* Finds a document by id (or a unique id prefix of at least 4 digits) or by file name. */
int wk_library_find(wk_library *lib, const char *id_or_name, wk_doc_info *info, wk_error *err);

/* Loads a document's units. The caller owns *doc. */
int wk_library_load(wk_library *lib, const char *id, wk_doc **doc, wk_error *err);

int wk_library_remove(wk_library *lib, const char *id, wk_error *err);

/* A library in PostgreSQL (several servers, perhaps on machines that share no disk) keeps
 * the bytes of uploaded PDFs (wk_library_add_memory) with their document, by content
 * hash: *data is malloc'd. WK_ENOTFOUND when none is kept, as always on SQLite, where
 * the server keeps uploads on its disk. */
int wk_library_file(wk_library *lib, const char *hash, char **data, size_t *len,
                    wk_error *err);
/* 1 when the library keeps uploaded PDFs itself (PostgreSQL). */
int wk_library_keeps_files(const wk_library *lib);

/* Asks across the library (doc_id NULL) or one document: two-stage sampling, documents
 * then units, under opts->budget. On success *docs holds the documents the selection's
 * items[].doc refers to (*ndocs of them); free them with wk_docs_free. */
int wk_library_ask(wk_library *lib, const char *doc_id, const char *question,
                   const wk_ask_opts *opts, wk_selection **sel, wk_doc ***docs, int *ndocs,
                   wk_error *err);
void wk_docs_free(wk_doc **docs, int n);

#ifdef __cplusplus
}
#endif

#endif /* WUKONG_H */
