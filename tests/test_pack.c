/* test_pack.c: documents and sampler indexes in binary, as the library stores them:
 * round trips that lose nothing, indexes that sample exactly as freshly built ones, and
 * damaged, foreign or outdated packs refused without a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/doc/doc.h"
#include "../src/sample/sample.h"
#include "../src/store/store.h"
#include "support/mkdoc.h"

static void pack_doc(const wk_doc *d, wk_buf *b)
{
	wk_buf_init(b, 0);
	assert_int_equal(wk_doc_pack(d, b, NULL), WK_OK);
}

static void pack_index(const wk_index *ix, wk_buf *b)
{
	wk_buf_init(b, 0);
	assert_int_equal(wk_index_pack(ix, b, NULL), WK_OK);
}

static char *to_json(const wk_doc *d)
{
	char *json = NULL;
	assert_int_equal(wk_doc_to_json(d, &json, NULL, NULL), WK_OK);
	return json;
}

static void test_a_document_pack_round_trip_loses_nothing(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	wk_buf b;
	pack_doc(d, &b);
	wk_doc *back = NULL;
	wk_error err = {0};
	assert_int_equal(wk_doc_unpack(b.data, b.len, &back, &err), WK_OK);
	char *a = to_json(d), *c = to_json(back);
	assert_string_equal(a, c); /* every field JSON shows, sections and references included */
	assert_null(back->units[0].label);
	assert_string_equal(back->units[4].text, "");
	assert_int_equal(back->units[5].nboxes, 2);
	assert_int_equal(back->pages[3].status, WK_EDAMAGED);
	assert_true(back->pages[1].height == 793.0f);
	assert_string_equal(back->hash, d->hash);
	wk_free(a);
	wk_free(c);
	wk_doc_free(back);
	wk_buf_free(&b);
	wk_doc_free(d);
}

static void expect_rich_grid(const wk_doc *d)
{
	const wk_table *t = d->units[4].table, *tail = d->units[7].table;
	assert_non_null(t);
	assert_null(d->units[5].table);
	assert_int_equal(t->nrows, 4);
	assert_int_equal(t->ncols, 3);
	assert_int_equal(t->header_rows, 2);
	assert_int_equal(t->stub_cols, 1);
	assert_int_equal(t->continues, -1);
	assert_string_equal(t->scale, "in millions, except per share data");
	const wk_cell *span = wk_table_cell(t, 0, 2);
	assert_string_equal(span->text, "Year ended December 31");
	assert_int_equal(span->colspan, 2);
	assert_int_equal(span->kind, WK_CELL_HEADER);
	assert_string_equal(wk_table_cell(t, 2, 2)->text, "(1,577)");
	assert_int_equal(wk_table_cell(t, 3, 0)->indent, 1);
	assert_int_equal(wk_table_cell(t, 3, 0)->kind, WK_CELL_STUB);
	assert_string_equal(wk_table_cell(t, 3, 2)->text, "");
	assert_null(wk_table_cell(t, 0, 0));
	assert_true(wk_table_cell(t, 2, 1)->box.x0 == 220.0f);
	assert_int_equal(tail->continues, 4);
	assert_null(tail->scale);
	assert_string_equal(wk_table_cell(tail, 0, 2)->text, "22.4 %");
}

static void test_a_table_grid_survives_json_and_pack_round_trips(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	expect_rich_grid(d);
	char *json = to_json(d);
	wk_doc *from_json = NULL, *from_pack = NULL;
	assert_int_equal(wk_doc_from_json(json, strlen(json), &from_json, NULL), WK_OK);
	expect_rich_grid(from_json);
	wk_buf b;
	pack_doc(from_json, &b);
	assert_int_equal(wk_doc_unpack(b.data, b.len, &from_pack, NULL), WK_OK);
	expect_rich_grid(from_pack);
	char *again = to_json(from_pack);
	assert_string_equal(json, again);
	wk_free(again);
	wk_buf_free(&b);
	wk_doc_free(from_pack);
	wk_doc_free(from_json);
	wk_free(json);
	wk_doc_free(d);
}

/* A copy of s with the first `from` replaced by `to`; the caller frees it. */
static char *replace_once(const char *s, const char *from, const char *to)
{
	assert_non_null(strstr(s, from));
	size_t head = (size_t)(strstr(s, from) - s), n = strlen(s) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)head, s, to, s + head + strlen(from));
	return out;
}

/* Consumers index cells by row and column without checks: a grid that lies is refused. */
static void test_a_grid_with_a_cell_outside_it_or_a_later_continuation_is_refused(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	char *json = NULL; /* in this scope: gcc 12 warns of a dangling pointer otherwise */
	assert_int_equal(wk_doc_to_json(d, &json, NULL, NULL), WK_OK);
	const char *lies[][2] = {{"\"rowspan\":1,\"colspan\":2", "\"rowspan\":1,\"colspan\":3"},
	                         {"\"continues\":4", "\"continues\":7"},
	                         {"\"kind\":\"stub\"", "\"kind\":\"total\""},
	                         {"\"header_rows\":2", "\"header_rows\":5"}};
	for (size_t i = 0; i < sizeof lies / sizeof *lies; i++) {
		char *bad = replace_once(json, lies[i][0], lies[i][1]);
		wk_doc *back = NULL;
		assert_int_equal(wk_doc_from_json(bad, strlen(bad), &back, NULL), WK_EPROTO);
		assert_null(back);
		free(bad);
	}
	wk_free(json);
	wk_doc_free(d);
}

static void expect_same_selection(const wk_index *a, const wk_index *b, const char *question)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = 120;
	wk_selection *x = NULL, *y = NULL;
	assert_int_equal(wk_sample(a, question, &opts, &x, NULL), WK_OK);
	assert_int_equal(wk_sample(b, question, &opts, &y, NULL), WK_OK);
	assert_int_equal(x->n, y->n);
	assert_true(x->n > 0);
	assert_int_equal(x->tokens, y->tokens);
	assert_int_equal(x->doc_tokens, y->doc_tokens);
	for (int i = 0; i < x->n; i++) {
		assert_int_equal(x->items[i].idx, y->items[i].idx);
		assert_true(x->items[i].score == y->items[i].score);
		assert_string_equal(x->items[i].text, y->items[i].text);
	}
	wk_selection_free(x);
	wk_selection_free(y);
}

static void test_an_unpacked_index_samples_exactly_as_a_built_one(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	wk_index *built = NULL, *back = NULL;
	assert_int_equal(wk_index_new(d, &built, NULL), WK_OK);
	wk_buf b;
	pack_index(built, &b);
	wk_error err = {0};
	assert_int_equal(wk_index_unpack(d, b.data, b.len, &back, &err), WK_OK);
	assert_int_equal(back->nterms, built->nterms);
	assert_int_equal(wk_index_term(back, "revenu", 6), wk_index_term(built, "revenu", 6));
	assert_memory_equal(back->info[2].mh, built->info[2].mh, sizeof built->info[2].mh);
	const char *questions[] = {"How much did revenue grow?", "Which region is largest in Table 2?",
	                           "What does Figure 1 show for Q4?", "What did the auditor say?",
	                           "What is in section 1.1 about capital expenditure?"};
	for (size_t i = 0; i < sizeof questions / sizeof *questions; i++)
		expect_same_selection(built, back, questions[i]);
	wk_index_free(back);
	wk_index_free(built);
	wk_buf_free(&b);
	wk_doc_free(d);
}

/* Every truncation and a sweep of flipped bytes: refused or read, never a crash (the
 * suite runs under ASan and UBSan). */
static void test_damaged_packs_are_refused_without_a_crash(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	wk_index *ix = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_buf dp, ip;
	pack_doc(d, &dp);
	pack_index(ix, &ip);
	for (size_t n = 0; n < dp.len; n++) {
		wk_doc *back = NULL;
		assert_int_equal(wk_doc_unpack(dp.data, n, &back, NULL), WK_EPROTO);
		assert_null(back);
	}
	for (size_t n = 0; n < ip.len; n++) {
		wk_index *back = NULL;
		assert_int_not_equal(wk_index_unpack(d, ip.data, n, &back, NULL), WK_OK);
		assert_null(back);
	}
	unsigned seed = 7;
	for (int k = 0; k < 3000; k++) {
		wk_buf *b = k % 2 ? &ip : &dp;
		seed = seed * 1103515245u + 12345u;
		size_t at = (seed >> 8) % b->len;
		char saved = b->data[at];
		b->data[at] = (char)(saved ^ (1 << (seed >> 28) % 8));
		wk_doc *dd = NULL;
		wk_index *ii = NULL;
		if (b == &dp && wk_doc_unpack(b->data, b->len, &dd, NULL) == WK_OK)
			wk_doc_free(dd);
		if (b == &ip && wk_index_unpack(d, b->data, b->len, &ii, NULL) == WK_OK) {
			wk_selection *sel = NULL;
			if (wk_sample(ii, "revenue by region", NULL, &sel, NULL) == WK_OK)
				wk_selection_free(sel);
			wk_index_free(ii);
		}
		b->data[at] = saved;
	}
	wk_buf_free(&dp);
	wk_buf_free(&ip);
	wk_index_free(ix);
	wk_doc_free(d);
}

static void test_an_index_pack_of_another_document_or_tokenizer_is_refused(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	wk_doc *other = wk_doc_new();
	wk_doc_set_pages(other, 1);
	mk_doc_unit(other, WK_UNIT_TEXT, 1, 0, "Something else entirely.");
	wk_doc_finish(other);
	wk_index *ix = NULL, *back = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_buf b;
	pack_index(ix, &b);
	wk_error err = {0};
	assert_int_equal(wk_index_unpack(other, b.data, b.len, &back, &err), WK_EPROTO);
	assert_non_null(strstr(err.message, "not of this document"));
	b.data[8] ^= 1; /* the tokenizer's fingerprint, after magic and version */
	assert_int_equal(wk_index_unpack(d, b.data, b.len, &back, &err), WK_EVERSION);
	assert_non_null(strstr(err.message, "tokenizer"));
	assert_null(back);
	wk_buf_free(&b);
	wk_index_free(ix);
	wk_doc_free(other);
	wk_doc_free(d);
}

static void test_the_tokenizer_fingerprint_is_stable_and_sensitive(void **state)
{
	(void)state;
	wk_tokenizer *a = wk_tokenizer_new(), *b = wk_tokenizer_new();
	assert_int_equal(wk_tokenizer_fingerprint(a), wk_tokenizer_fingerprint(b));
	assert_int_not_equal(wk_tokenizer_fingerprint(a), 2166136261u); /* the probe made terms */
	wk_tokenizer_free(a);
	wk_tokenizer_free(b);
}

static void test_stored_blobs_inflate_to_the_same_document_and_index(void **state)
{
	(void)state;
	wk_doc *d = mk_rich_doc();
	wk_stored st;
	assert_int_equal(wk_stored_make(d, &st, NULL), WK_OK);
	assert_true(wk_stored_current(st.doc, st.doc_len, WK_DOC_PACK_VERSION, 0));
	assert_true(wk_stored_current(st.index, st.index_len, WK_INDEX_PACK_VERSION,
	                              wk_stored_index_key()));
	assert_false(wk_stored_current(st.index, st.index_len, WK_INDEX_PACK_VERSION, 0));
	assert_false(wk_stored_current(st.index, 7, WK_INDEX_PACK_VERSION, wk_stored_index_key()));
	wk_doc *back = NULL;
	wk_index *ix = NULL, *built = NULL;
	assert_int_equal(wk_stored_read_doc(st.doc, st.doc_len, &back, NULL), WK_OK);
	assert_int_equal(wk_stored_read_index(back, st.index, st.index_len, &ix, NULL), WK_OK);
	assert_int_equal(wk_index_new(d, &built, NULL), WK_OK);
	expect_same_selection(built, ix, "Which region is largest in Table 2?");
	wk_error err = {0};
	wk_doc *none = NULL;
	st.doc[st.doc_len - 3] ^= 0x55; /* inside the zlib stream: its checksum catches it */
	assert_int_equal(wk_stored_read_doc(st.doc, st.doc_len, &none, &err), WK_EPROTO);
	assert_int_equal(wk_stored_read_doc(st.doc, 5, &none, &err), WK_EPROTO);
	st.doc[0] ^= 1; /* another pack version */
	assert_int_equal(wk_stored_read_doc(st.doc, st.doc_len, &none, &err), WK_EVERSION);
	assert_null(none);
	wk_index_free(built);
	wk_index_free(ix);
	wk_doc_free(back);
	wk_stored_clear(&st);
	wk_stored_clear(NULL);
	wk_doc_free(d);
}

/* Found by the pack fuzzer: a first heading with no terms (stop words, punctuation)
 * made the index copy from a NULL term list. */
static void test_headings_without_terms_index_and_pack(void **state)
{
	(void)state;
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 1);
	mk_doc_unit(d, WK_UNIT_HEADING, 1, 1, "\xE2\x80\x94 of the \xE2\x80\x94");
	mk_doc_unit(d, WK_UNIT_TEXT, 1, 0, "");
	mk_doc_unit(d, WK_UNIT_TEXT, 1, 0, "Operating margin rose.");
	wk_doc_finish(d);
	wk_index *ix = NULL, *back = NULL;
	assert_int_equal(wk_index_new(d, &ix, NULL), WK_OK);
	wk_buf b;
	pack_index(ix, &b);
	assert_int_equal(wk_index_unpack(d, b.data, b.len, &back, NULL), WK_OK);
	expect_same_selection(ix, back, "What happened to the operating margin?");
	wk_buf_free(&b);
	wk_index_free(back);
	wk_index_free(ix);
	wk_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_document_pack_round_trip_loses_nothing),
		cmocka_unit_test(test_an_unpacked_index_samples_exactly_as_a_built_one),
		cmocka_unit_test(test_damaged_packs_are_refused_without_a_crash),
		cmocka_unit_test(test_an_index_pack_of_another_document_or_tokenizer_is_refused),
		cmocka_unit_test(test_the_tokenizer_fingerprint_is_stable_and_sensitive),
		cmocka_unit_test(test_a_table_grid_survives_json_and_pack_round_trips),
		cmocka_unit_test(test_a_grid_with_a_cell_outside_it_or_a_later_continuation_is_refused),
		cmocka_unit_test(test_stored_blobs_inflate_to_the_same_document_and_index),
		cmocka_unit_test(test_headings_without_terms_index_and_pack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
