/* reader.h: the answer without a model, as a reader writes it: the question's expected
 * answer type and constraints, typed candidates read from the selected evidence (spans
 * of sentences, table cells, the title block, counts of the document's structure), and
 * their scores. Internal to libwukong; wk_answer_extractive (extractive.c) drives it.
 *
 * Flow of one question:
 *   rd_question_parse   question -> rd_question (type, constraints, topic terms)
 *   rd_segments_*       selection -> segments (sentences; table rows with their headers)
 *   rd_spans / rd_cells typed candidates in each segment
 *   rd_structure        counts and title-block answers from the whole document
 *   extractive.c        scores, agreement across units, abstention, the wk_answer
 *
 * Never invented: a candidate's answer is a byte range of its segment's text, or (counts)
 * a number whose computation the quote shows. */
#ifndef WK_READER_H
#define WK_READER_H

#include "../sample/sample.h"

/* The kind of answer a question asks for. */
typedef enum rd_type {
	RD_TEXT = 0,  /* no short form: the sentence that answers (why, how, describe) */
	RD_COUNT,     /* "how many figures": a whole number */
	RD_QUANTITY,  /* a number with its unit: "how long", "what is the timeout range" */
	RD_MONEY,     /* "how much did it spend", "total liabilities" */
	RD_PERCENT,   /* "what percentage", "as a percentage", "rate", "margin" */
	RD_RATIO,     /* "ratio", "turnover" */
	RD_DATE,      /* "what date", "when" with a day */
	RD_YEAR,      /* "which year", "in what year" */
	RD_PERIOD,    /* "how long", "duration", "period" */
	RD_PERSON,    /* "who", "authors", "name of the person" */
	RD_ORG,       /* "which company / organisation / university" */
	RD_ACRONYM,   /* "what does RAG stand for": the expanded name */
	RD_LIST,      /* "what are the ...", "list the ..." */
	RD_YESNO,     /* "is / does / are ..." */
	RD_REFERENCE, /* "which page / figure / table / section" */
	RD_EMAIL,     /* an e-mail address */
	RD_URL,       /* a web address */
	RD_PHONE,     /* a telephone or fax number */
	RD_NTYPES
} rd_type;

/* "count", "quantity", ... as in docs/ask.md. */
const char *rd_type_name(rd_type type);

#define RD_MAX_TERMS 48
#define RD_TERM_LEN 48
#define RD_MAX_YEARS 4

/* What the question asks and what picks among candidates. */
typedef struct rd_question {
	rd_type type;
	int numeric;          /* the type is a number (count .. ratio, year) */
	char counted[RD_TERM_LEN]; /* count and quantity: stem of the noun counted ("token"),
	                              "" when none */
	char counted2[RD_TERM_LEN]; /* the word after it, when the noun has two ("zebra
	                               animals", "square miles"), else "" */
	int structure;        /* count over the document's structure: 'F' figures, 'T' tables,
	                         'P' pages, 'S' sections, 0 none */
	char qualifier[RD_TERM_LEN]; /* the stem that narrows a figure or table count
	                                ("connect" of "connection graphs"): only those whose
	                                caption holds it count; "" when none */
	char acronym[16];     /* acronym questions: the acronym as asked ("RAG") */
	int years[RD_MAX_YEARS], nyears; /* years named ("FY2021", "in 2015"): a fiscal-year
	                                    or period constraint on table columns and spans */
	double numbers[8];    /* numbers the question states ("among all 12 references"):
	                         given, so not the answer */
	int nnumbers;
	int page_first, page_last; /* "on page 5", "in pages 51-53"; 0 when none */
	int date_parts;       /* dates asked as "YYYY-MM-DD" (3) or "YYYY-MM" (2), else 0 */
	double scale;         /* scale asked for: 1e3, 1e6, 1e9; 0 when none */
	int nterms;
	char terms[RD_MAX_TERMS][RD_TERM_LEN]; /* the topic's stems, instructions left out */
	int entity[RD_MAX_TERMS]; /* 1 when the term names something specific (a capitalised
	                             word inside the question, a number): it must be found */
	int phrase;           /* a short text answer read beside the question's words
	                         (phrases.c): one of RD_PHRASE_*, 0 when none */
	char head[RD_TERM_LEN]; /* its anchor: the stem of the noun whose kind is asked
	                           ("court"), of the verb whose object is asked ("defin"), or
	                           the phone cue ("fax", "phone"); "" when none */
	char code[RD_TERM_LEN]; /* a code the question names, as printed ("AR01", "TX-16"):
	                           letters and two digits or more, no year; "" when none */
} rd_question;

/* The short text answers phrases.c reads (rd_question.phrase). */
enum {
	RD_PHRASE_KIND = 1, /* "what type of court": "SUPERIOR COURT", the name ending in it */
	RD_PHRASE_TITLE,    /* "the title of the case study", "the topic of Unit 14": the
	                       capitalised title printed after them and a colon or dash */
	RD_PHRASE_OBJECT,   /* "what does X define?": the words after the verb */
	RD_PHRASE_CONSEQUENCE, /* "what if X?": the clause an "if X," of the evidence leads to */
	RD_PHRASE_MANNER,   /* "how do we recognise lease costs?": the phrase a preposition
	                       after the question's words opens ("on a straight-line basis") */
	RD_PHRASE_PHONE,    /* "the fax number": the number after its cue word */
	RD_PHRASE_CODE      /* "the market name for code AR01": what a listing prints with
	                       the code ("1. Little Rock AR01" -> "Little Rock") */
};

/* Analyses `question`. `tk` is the caller's tokenizer. */
void rd_question_parse(wk_tokenizer *tk, const char *question, rd_question *q);

/* 1 when an evidence word's stem `term` is the question's stem `qterm`, or the same
 * word misspelt in the question (one or two edits, by length; letters only). */
int rd_term_is(const char *qterm, const char *term);

/* 1 when `term` is one of the n stems of `list`: the reader's word lists ("the words
 * that ask for a web address"). RD_LISTED takes the list as an array. */
int rd_term_listed(const char *term, const char *const *list, size_t n);
#define RD_LISTED(term, list) rd_term_listed((term), (list), WK_ARRAY_LEN(list))

/* A typed candidate answer. */
typedef struct rd_cand {
	rd_type type;         /* the type of the span itself */
	int item;             /* selection item it comes from, -1 for whole-document answers */
	const char *s, *e;    /* the short answer: a byte range inside the segment */
	char *text;           /* owned: the answer when it is computed (a count), else NULL */
	const char *qs, *qe;  /* the sentence or row it comes from, as printed */
	char *quote;          /* owned: the quote when it is computed (a count's list), else NULL */
	double value;         /* numbers: the value as printed, scale not applied */
	int has_value;
	double fit;           /* how well the span's kind fits the question's type, 0..1 */
	double near;          /* closeness to the question's terms within its segment, 0..1 */
	double cover;         /* share of the question's term weight in the segment, 0..1 */
	double score;         /* the combined score (extractive.c) */
	int support;          /* units of the selection that state the same answer */
	int page;             /* page of the quote when item is -1 (whole-document answers) */
	int computed;         /* 1 when computed from table values (calc.c), which may come
	                         from anywhere in the document */
} rd_cand;

typedef struct rd_cands {
	rd_cand *v;
	int n, cap;
} rd_cands;

/* The ceiling on candidates per question: evidence is bounded by the budget, but a
 * table of numbers can hold thousands. */
#define RD_MAX_CANDS 4096

/* Appends a candidate (copied, its owned strings taken); dropped past RD_MAX_CANDS. */
void rd_cands_add(rd_cands *c, const rd_cand *x);
void rd_cands_free(rd_cands *c);

/* Term matching of one segment against the question (extractive.c fills the weights). */
typedef struct rd_match {
	const rd_question *q;
	double w[RD_MAX_TERMS]; /* weight of each question term (idf within the selection) */
	double total;           /* sum of w */
	wk_tokenizer *tk;
	int own[RD_MAX_TERMS];  /* 1 when the term names the document itself: in its title, or
	                           a capitalised name on its cover page ("Acme"); 2 for
	                           another word of the cover page; else 0 */
} rd_match;

/* Share of the question's term weight found in [s, e), 0..1. */
double rd_cover(const rd_match *m, const char *s, const char *e);

/* For a row label: the geometric mean of that share and of the share of the label's
 * words that are question words ("Total liabilities" beats "Total stockholders' equity
 * of the company" for "total liabilities of the company"). */
double rd_label_cover(const rd_match *m, const char *s, const char *e);

/* Typed spans of one sentence [s, e) of item `item` (numbers with units, ranges,
 * percentages, money, years, dates, names, acronym expansions, e-mail and web addresses,
 * enumerations). `cover` is the sentence's term cover. */
void rd_spans(const rd_match *m, int item, const char *s, const char *e, double cover,
              rd_cands *out);

/* Short text answers of one sentence [s, e) (phrases.c), for the question's phrase. */
void rd_phrases(const rd_match *m, int item, const char *s, const char *e, double cover,
                rd_cands *out);

/* The words of one sentence and which are question words, for closeness. */
#define RD_MAX_WORDS 256
typedef struct rd_words {
	const char *s[RD_MAX_WORDS], *e[RD_MAX_WORDS];
	int hit[RD_MAX_WORDS];
	int n;
} rd_words;

/* Splits [s, e) at white space and " | " (at most RD_MAX_WORDS words). */
void rd_split_words(const rd_match *m, const char *s, const char *e, rd_words *w);

/* One sentence [s, e) of evidence item `item` as the span and phrase readers see it: its
 * words split once, the candidates going to `out`. */
typedef struct rd_sentence {
	const rd_match *m;
	int item;
	const char *s, *e;
	double cover;
	rd_words w;
	rd_cands *out;
} rd_sentence;

/* A new rd_sentence (malloc'd: rd_words is large), its words split; free() it. */
rd_sentence *rd_sentence_new(const rd_match *m, int item, const char *s, const char *e,
                             double cover, rd_cands *out);

/* Table candidates of one table text (rows of " | "-separated cells, header lines above
 * them): cells addressed by row label x column header. `text` is the unit's whole table
 * text when the evidence item is a table (or table fragments joined). */
void rd_table_lines(const rd_match *m, int item, const char *text, rd_cands *out);

/* The cells of one table text line. */
#define RD_MAX_CELLS 32
typedef struct rd_cells {
	const char *s[RD_MAX_CELLS], *e[RD_MAX_CELLS];
	int n;
} rd_cells;

/* Splits the line [s, e) at " | ", each cell trimmed. */
void rd_split_cells(const char *s, const char *e, rd_cells *c);

/* The year a header cell names ("2021", "FY2021", "Fiscal 2021"), 0 when none. */
int rd_cell_year(const char *s, const char *e);

/* A value cell: a number, perhaps with "$", "%" or parentheses; *pct when it is a
 * percentage. Returns 1 when [s, e) is one. */
int rd_value_cell(const char *s, const char *e, double *v, int *pct);

/* The years of a header line whose every non-empty cell is a year (into years[], at
 * most RD_MAX_CELLS); 0 when it is not one. */
int rd_year_header(const rd_cells *c, int *years);

/* The same from a recognised grid (wk_unit.table). */
void rd_table_grid(const rd_match *m, int item, const wk_table *t, rd_cands *out);

/* Answers from the document as a whole: counts of figures, tables, pages, sections; the
 * authors of the title block. `sel` tells which units were selected, for citations. */
void rd_structure(const rd_question *q, const wk_doc *doc, const wk_selection *sel,
                  rd_cands *out);

/* Counts of list items (counts.c): the numbered or bulleted items after a heading or a
 * lead-in line ("To replace the grille:") that holds the question's words, when the
 * lead-in is in the selection. */
void rd_list_count(const rd_match *m, const wk_doc *doc, const wk_selection *sel,
                   rd_cands *out);

/* Counts of an inclusive range in a sentence [s, e) of item `item` ("Greater Houston: 15
 * through 18" is 4), named by the words before it. */
void rd_range_count(const rd_match *m, int item, const char *s, const char *e, rd_cands *out);

/* Answers computed from table values (calc.c): a financial ratio the question names
 * ("return on assets", "sales to working capital ratio") from its line items' rows in the
 * column of the year asked; a change between two years ("percentage change", "growth
 * rate", "how much did ... increase") of the selected row the question names. The
 * computation is the quote. Returns 1 when the question names a ratio (whether or not
 * its operands were found). */
int rd_calc(const rd_match *m, const char *question, const wk_doc *const *docs,
            const wk_selection *sel, rd_cands *out);

/* Numbers: parses a number as printed at p ("1,234.5", "(1,577)", "12.4%"); returns the
 * byte after it or NULL when none starts at p. */
const char *rd_number(const char *p, const char *end, double *value);

/* A date span as printed ("February 8, 2021", "July 2009") in the numeric form asked
 * for (parts 3: "2021-02-08", 2: "2021-02"), malloc'd; NULL when [s, e) lacks a part. */
char *rd_date_numeric(const char *s, const char *e, int parts);

/* The text [s, e) with white space collapsed, malloc'd. */
char *rd_clean(const char *s, const char *e);

#endif /* WK_READER_H */
