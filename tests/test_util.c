/* test_util.c: the shared helpers: tokens rule, buffers with ceilings, arena, UTF-8,
 * document builder and its JSON round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/doc/doc.h"

#include <hb-ft.h>
#include <hb.h>
#include <mupdf/fitz.h>

static void test_tokens_are_ceil_of_1_3_per_word(void **state)
{
	(void)state;
	assert_int_equal(wk_tokens_count(""), 0);
	assert_int_equal(wk_tokens_count("   \n\t "), 0);
	assert_int_equal(wk_tokens_count("one"), 2);            /* ceil(1.3) */
	assert_int_equal(wk_tokens_count("one two three"), 4); /* ceil(3.9) */
	assert_int_equal(wk_tokens_count(" a  b\tc\nd e f g h i j "), 13);
	assert_int_equal(wk_tokens_count(NULL), 0);
}

static void test_buf_stops_at_its_limit(void **state)
{
	(void)state;
	wk_buf b;
	wk_buf_init(&b, 8);
	assert_true(wk_buf_puts(&b, "12345"));
	assert_false(wk_buf_puts(&b, "6789"));
	assert_true(b.full);
	assert_string_equal(wk_buf_cstr(&b), "12345");
	wk_buf_free(&b);
	wk_buf_init(&b, 0);
	for (int i = 0; i < 1000; i++)
		assert_true(wk_buf_printf(&b, "%d,", i));
	assert_int_equal(strncmp(wk_buf_cstr(&b), "0,1,2,", 6), 0);
	wk_buf_free(&b);
}

static void test_arena_keeps_strings_and_big_blocks(void **state)
{
	(void)state;
	wk_arena *a = wk_arena_new();
	char *small = wk_arena_strdup(a, "hello");
	char *big = wk_arena_alloc(a, 100000);
	char *after = wk_arena_strdup(a, "world");
	big[99999] = 'x';
	assert_string_equal(small, "hello");
	assert_string_equal(after, "world");
	assert_null(wk_arena_strdup(a, NULL));
	assert_true(wk_arena_used(a) >= 100000);
	wk_arena_free(a);
	wk_arena_free(NULL);
}

static void test_utf8_checks_and_normalises(void **state)
{
	(void)state;
	assert_true(wk_utf8_valid("caf\xc3\xa9", 5));
	assert_false(wk_utf8_valid("caf\xc3", 4));
	char *nfc = wk_utf8_nfc("cafe\xcc\x81"); /* e + combining acute */
	assert_string_equal(nfc, "caf\xc3\xa9");
	free(nfc);
	char *fold = wk_utf8_fold("\xef\xac\x81rst STRASSE"); /* fi ligature */
	assert_string_equal(fold, "first strasse");
	free(fold);
}

static wk_doc *small_doc(void)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 2);
	d->path = wk_doc_str(d, "x.pdf");
	d->title = wk_doc_str(d, "A \"quoted\" title");
	const struct { wk_unit_type t; int level; const char *text; } spec[] = {
		{WK_UNIT_HEADING, 1, "1 Intro"}, {WK_UNIT_TEXT, 0, "Para one."},
		{WK_UNIT_HEADING, 2, "1.1 Detail"}, {WK_UNIT_TEXT, 0, "Para two."},
		{WK_UNIT_HEADING, 1, "2 Method"}, {WK_UNIT_TABLE, 0, "Table 1: Results."},
	};
	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		wk_unit *u = wk_doc_add_unit(d, spec[i].t);
		u->level = spec[i].level;
		u->text = wk_doc_str(d, spec[i].text);
		wk_doc_add_box(d, u, (wk_box){1 + (int)i / 4, 10, 20.5f, 300, 40});
		if (spec[i].t == WK_UNIT_TABLE) {
			u->label = wk_doc_str(d, "Table 1");
			u->caption = u->text;
			u->figure_text = wk_doc_str(d, "a b c");
			int refs[] = {1, 3};
			wk_doc_set_refs(d, u, refs, 2);
		}
	}
	wk_doc_finish(d);
	return d;
}

static void test_sections_follow_heading_levels(void **state)
{
	(void)state;
	wk_doc *d = small_doc();
	assert_int_equal(d->nsections, 3);
	assert_string_equal(wk_unit_section(d, &d->units[1]), "1 Intro");
	assert_string_equal(wk_unit_section(d, &d->units[3]), "1 Intro > 1.1 Detail");
	assert_string_equal(wk_unit_section(d, &d->units[5]), "2 Method");
	assert_int_equal(d->sections[0].first, 0);
	assert_int_equal(d->sections[0].last, 3);
	assert_int_equal(d->sections[1].parent, 0);
	assert_int_equal(d->sections[2].last, 5);
	wk_doc_free(d);
}

static void test_doc_json_round_trip_keeps_everything(void **state)
{
	(void)state;
	wk_doc *d = small_doc();
	char *json, *json2;
	size_t len, len2;
	assert_int_equal(wk_doc_to_json(d, &json, &len, NULL), WK_OK);
	wk_doc *back = NULL;
	wk_error err;
	assert_int_equal(wk_doc_from_json(json, len, &back, &err), WK_OK);
	assert_int_equal(back->nunits, d->nunits);
	assert_string_equal(back->title, d->title);
	assert_int_equal(back->units[5].nrefs, 2);
	assert_int_equal(back->units[5].refs[1], 3);
	assert_float_equal(back->units[1].boxes[0].y0, 20.5, 1e-3);
	assert_int_equal(wk_doc_to_json(back, &json2, &len2, NULL), WK_OK);
	assert_string_equal(json, json2);
	wk_free(json);
	wk_free(json2);
	wk_doc_free(back);
	wk_doc_free(d);
}

static void test_doc_json_rejects_garbage_with_a_message(void **state)
{
	(void)state;
	wk_doc *d = (wk_doc *)1;
	wk_error err;
	assert_int_equal(wk_doc_from_json("{not json", 9, &d, &err), WK_EPROTO);
	assert_null(d);
	assert_true(strlen(err.message) > 0);
	assert_int_equal(wk_doc_from_json("{\"format\":99}", 13, &d, &err), WK_EVERSION);
}

/* Known answers (FIPS 180-2), and a file hashed in chunks equals its bytes hashed whole. */
static void test_sha256_matches_known_answers_and_files(void **state)
{
	(void)state;
	char hex[65];
	wk_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	wk_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	size_t n = (3u << 20) + 17; /* several of wk_sha256_file's chunks and a tail */
	char *data = malloc(n);
	assert_non_null(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 31 + (i >> 12));
	char path[1100];
	snprintf(path, sizeof path, "%s/hash.bin", getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp");
	assert_int_equal(wk_write_file_atomic(path, data, n, NULL), WK_OK);
	char whole[65], file[65];
	wk_sha256_hex(data, n, whole);
	assert_int_equal(wk_sha256_file(path, file, NULL), WK_OK);
	assert_string_equal(whole, file);
	wk_error err = {0};
	assert_int_equal(wk_sha256_file("/nonexistent/x.pdf", file, &err), WK_ENOENT);
	assert_non_null(strstr(err.message, "/nonexistent/x.pdf"));
	free(data);
}

/* HarfBuzz is opened on first use (src/pdf/hb_load.c) since MuPDF needs it only to lay
 * out HTML and rich text: the calls it makes pass on and shape a word with a real font. */
static void test_harfbuzz_opened_on_first_use_shapes_a_word(void **state)
{
	(void)state;
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	assert_non_null(ctx);
	int size = 0;
	const unsigned char *data = fz_lookup_base14_font(ctx, "Helvetica", &size);
	assert_non_null(data);
	FT_Library ft;
	FT_Face face;
	assert_int_equal(FT_Init_FreeType(&ft), 0);
	assert_int_equal(FT_New_Memory_Face(ft, data, size, 0, &face), 0);
	assert_int_equal(FT_Set_Char_Size(face, 0, 12 * 64, 72, 72), 0); /* advances need a size */
	hb_font_t *font = hb_ft_font_create(face, NULL);
	hb_buffer_t *buf = hb_buffer_create();
	hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
	hb_buffer_set_language(buf, hb_language_from_string("en", -1));
	hb_buffer_add_utf8(buf, "wukong", -1, 0, -1);
	hb_buffer_guess_segment_properties(buf);
	hb_shape(font, buf, NULL, 0);
	unsigned int n = 0, np = 0;
	hb_glyph_info_t *glyphs = hb_buffer_get_glyph_infos(buf, &n);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &np);
	assert_int_equal(n, 6);
	assert_int_equal(np, 6);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_not_equal(glyphs[i].codepoint, 0); /* a glyph of the font, not .notdef */
		assert_true(pos[i].x_advance > 0);
	}
	hb_buffer_clear_contents(buf);
	hb_buffer_destroy(buf);
	hb_font_destroy(font);
	FT_Done_Face(face);
	FT_Done_FreeType(ft);
	fz_drop_context(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_are_ceil_of_1_3_per_word),
		cmocka_unit_test(test_buf_stops_at_its_limit),
		cmocka_unit_test(test_arena_keeps_strings_and_big_blocks),
		cmocka_unit_test(test_utf8_checks_and_normalises),
		cmocka_unit_test(test_sections_follow_heading_levels),
		cmocka_unit_test(test_doc_json_round_trip_keeps_everything),
		cmocka_unit_test(test_doc_json_rejects_garbage_with_a_message),
		cmocka_unit_test(test_sha256_matches_known_answers_and_files),
		cmocka_unit_test(test_harfbuzz_opened_on_first_use_shapes_a_word),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
