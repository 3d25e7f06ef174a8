/* mkreader.h: documents built in memory for the reader's tests (tests/test_reader*.c):
 * units on pages, a table unit, filler paragraphs that answer nothing; and one question
 * sampled and answered without a model. Any failure of the library aborts the test
 * program with a message: these are test fixtures. */
#ifndef WK_MKREADER_H
#define WK_MKREADER_H

#include "wukong.h"

/* A new document of `pages` pages named "reader.pdf"; free with wk_doc_free. */
wk_doc *mkr_new_doc(int pages);

/* Appends a unit (a heading of level 1, else level 0) with one box on `page`. */
wk_unit *mkr_add(wk_doc *d, wk_unit_type type, int page, const char *text);

/* Appends a table unit: its label, caption and the text inside it. */
wk_unit *mkr_add_table(wk_doc *d, int page, const char *label, const char *caption,
                       const char *inside);

/* Appends four paragraphs about an unrelated subject (a garden committee). */
void mkr_add_filler(wk_doc *d, int page);

typedef struct mkr_answered {
	wk_index *index;
	wk_selection *sel;
	wk_answer *ans;
} mkr_answered;

/* Samples (default options) and answers `question` on the finished document d. */
mkr_answered mkr_answer(const wk_doc *d, const char *question);
void mkr_answered_free(mkr_answered *a);

/* 1 when the short answer is exactly `expected` of type `type`, found, citing one unit
 * that prints it, with a quote that prints it and a page; else 0 and why on stderr. */
int mkr_is_span_answer(const mkr_answered *a, const char *expected, const char *type);

/* 1 when the answer is not found, cites nothing and quotes nothing; else 0 and why. */
int mkr_is_not_found(const mkr_answered *a);

#endif
