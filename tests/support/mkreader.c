/* mkreader.c: documents and answers for the reader's tests (mkreader.h). */
#include "mkreader.h"

#include "../../src/doc/doc.h"
#include "../../src/sample/sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void must(int rc, const char *what)
{
	if (rc != WK_OK) {
		fprintf(stderr, "mkreader: %s failed (%d)\n", what, rc);
		abort();
	}
}

wk_doc *mkr_new_doc(int pages)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, pages);
	d->path = wk_doc_str(d, "reader.pdf");
	return d;
}

wk_unit *mkr_add(wk_doc *d, wk_unit_type type, int page, const char *text)
{
	wk_unit *u = wk_doc_add_unit(d, type);
	u->text = wk_doc_str(d, text);
	u->level = type == WK_UNIT_HEADING ? 1 : 0;
	wk_doc_add_box(d, u, (wk_box){page, 50, 100, 550, 150});
	return u;
}

wk_unit *mkr_add_table(wk_doc *d, int page, const char *label, const char *caption,
                       const char *inside)
{
	wk_unit *u = mkr_add(d, WK_UNIT_TABLE, page, caption);
	u->label = wk_doc_str(d, label);
	u->caption = wk_doc_str(d, caption);
	u->figure_text = wk_doc_str(d, inside);
	return u;
}

void mkr_add_filler(wk_doc *d, int page)
{
	static const char *const filler[] = {
	    "The committee met twice during the spring to review the garden plans.",
	    "Volunteers planted tulips along the northern path near the old stone fountain.",
	    "Weather records show a dry summer followed by an unusually wet autumn season.",
	    "The library extended its opening hours on weekends for students and visitors.",
	};
	for (size_t i = 0; i < sizeof filler / sizeof *filler; i++)
		mkr_add(d, WK_UNIT_TEXT, page, filler[i]);
}

mkr_answered mkr_answer(const wk_doc *d, const char *question)
{
	mkr_answered a = {0};
	must(wk_index_new(d, &a.index, NULL), "wk_index_new");
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	must(wk_sample(a.index, question, &opts, &a.sel, NULL), "wk_sample");
	const wk_doc *docs[1] = {d};
	must(wk_answer_extractive(docs, a.sel, question, &a.ans, NULL), "wk_answer_extractive");
	if (strcmp(a.ans->mode, "extractive") || !a.ans->answer_type) {
		fprintf(stderr, "mkreader: answer without its mode or type\n");
		abort();
	}
	return a;
}

void mkr_answered_free(mkr_answered *a)
{
	wk_answer_free(a->ans);
	wk_selection_free(a->sel);
	wk_index_free(a->index);
}

static int fail(const char *why, const wk_answer *ans)
{
	fprintf(stderr, "mkreader: %s (answer \"%s\", type %s, quote \"%s\")\n", why,
	        ans->text ? ans->text : "", ans->answer_type, ans->quote ? ans->quote : "");
	return 0;
}

int mkr_is_span_answer(const mkr_answered *a, const char *expected, const char *type)
{
	const wk_answer *ans = a->ans;
	if (!ans->found)
		return fail("not found", ans);
	if (strcmp(ans->text, expected))
		return fail("another answer", ans);
	if (strcmp(ans->answer_type, type))
		return fail("another type", ans);
	if (ans->ncited != 1 || !strstr(a->sel->items[ans->cited[0]].text, expected))
		return fail("the cited unit does not print it", ans);
	if (!ans->quote || !strstr(ans->quote, expected))
		return fail("the quote does not print it", ans);
	return ans->quote_page > 0 ? 1 : fail("no page", ans);
}

int mkr_is_not_found(const mkr_answered *a)
{
	const wk_answer *ans = a->ans;
	return !ans->found && ans->ncited == 0 && !ans->quote ? 1 : fail("answered", ans);
}
