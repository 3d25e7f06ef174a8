/* hb_load.c: HarfBuzz, opened the first time MuPDF shapes text.
 *
 * Debian's MuPDF calls the system HarfBuzz to lay out HTML, EPUB and the text of form
 * fields and annotations it draws, never to read a PDF's text; and Debian ships HarfBuzz
 * only as a shared library, which brought GLib (its constructor) and Graphite2 into every
 * process. The 13 functions MuPDF calls are defined here, each passing the call on to
 * libharfbuzz.so.0 (Debian's libharfbuzz0b) opened on first use; WK_LIBHARFBUZZ names
 * another file. MuPDF cannot be told that shaping failed (it expects a buffer and a font
 * from HarfBuzz, as HarfBuzz always gives them), so a missing library ends the process with
 * one line naming the package and the environment's exit status, 4. */
#include "../util/util.h"

#include <hb-ft.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>

#define HB_FUNCTIONS(X) \
	X(hb_buffer_create) X(hb_buffer_destroy) X(hb_buffer_clear_contents) X(hb_buffer_add_utf8) \
	X(hb_buffer_get_glyph_infos) X(hb_buffer_get_glyph_positions) \
	X(hb_buffer_guess_segment_properties) X(hb_buffer_set_direction) X(hb_buffer_set_language) \
	X(hb_ft_font_create) X(hb_font_destroy) X(hb_language_from_string) X(hb_shape)

enum { HB_FUNCTIONS(WK_DL_INDEX) HB_NFUNCTIONS };
static const char *const names[] = {HB_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libharfbuzz.so.0", NULL};
static void *slots[HB_NFUNCTIONS];
static wk_dl_lib hb = {.what = "HarfBuzz", .package = "libharfbuzz0b", .env = "WK_LIBHARFBUZZ",
                       .files = files, .names = names, .slots = slots};

#define REAL(name) WK_DL_REAL(slots, name)

/* The entry points: MuPDF's shaping starts with one of these. */
static void need_harfbuzz(void)
{
	wk_error err = {0};
	if (wk_dl_load(&hb, WK_EIO, "laying out text", &err) == WK_OK)
		return;
	fprintf(stderr, "wukong: %s\n", err.message);
	exit(4); /* the environment (include/wukong.h's exit statuses) */
}

hb_buffer_t *hb_buffer_create(void)
{
	need_harfbuzz();
	return REAL(hb_buffer_create)();
}

hb_font_t *hb_ft_font_create(FT_Face ft_face, hb_destroy_func_t destroy)
{
	need_harfbuzz();
	return REAL(hb_ft_font_create)(ft_face, destroy);
}

hb_language_t hb_language_from_string(const char *str, int len)
{
	need_harfbuzz();
	return REAL(hb_language_from_string)(str, len);
}

/* The rest take a buffer or a font, which only a loaded library hands out. */
void hb_buffer_destroy(hb_buffer_t *buffer)
{
	REAL(hb_buffer_destroy)(buffer);
}

void hb_buffer_clear_contents(hb_buffer_t *buffer)
{
	REAL(hb_buffer_clear_contents)(buffer);
}

void hb_buffer_add_utf8(hb_buffer_t *buffer, const char *text, int text_length,
                        unsigned int item_offset, int item_length)
{
	REAL(hb_buffer_add_utf8)(buffer, text, text_length, item_offset, item_length);
}

hb_glyph_info_t *hb_buffer_get_glyph_infos(hb_buffer_t *buffer, unsigned int *length)
{
	return REAL(hb_buffer_get_glyph_infos)(buffer, length);
}

hb_glyph_position_t *hb_buffer_get_glyph_positions(hb_buffer_t *buffer, unsigned int *length)
{
	return REAL(hb_buffer_get_glyph_positions)(buffer, length);
}

void hb_buffer_guess_segment_properties(hb_buffer_t *buffer)
{
	REAL(hb_buffer_guess_segment_properties)(buffer);
}

void hb_buffer_set_direction(hb_buffer_t *buffer, hb_direction_t direction)
{
	REAL(hb_buffer_set_direction)(buffer, direction);
}

void hb_buffer_set_language(hb_buffer_t *buffer, hb_language_t language)
{
	REAL(hb_buffer_set_language)(buffer, language);
}

void hb_font_destroy(hb_font_t *font)
{
	REAL(hb_font_destroy)(font);
}

void hb_shape(hb_font_t *font, hb_buffer_t *buffer, const hb_feature_t *features,
              unsigned int num_features)
{
	REAL(hb_shape)(font, buffer, features, num_features);
}
