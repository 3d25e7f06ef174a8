/* mkcorpus.c: writes the generated hostile PDFs into a folder: the fuzzing seed corpus
 * (with --small: only files of a few kilobytes, as libFuzzer likes them) or a set to
 * try by hand.  Usage: mkcorpus DIR [--small] */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/mkhostile.h"
#include "../support/mkpdf.h"

/* Two buffers in turn, so that one call may take two paths. */
static const char *at(const char *dir, const char *name)
{
	static char paths[2][4096];
	static int turn;
	turn = !turn;
	snprintf(paths[turn], sizeof paths[turn], "%s/%s", dir, name);
	return paths[turn];
}

static void write_small(const char *dir)
{
	mkh_valid(at(dir, "valid-1.pdf"), 1, NULL);
	mkh_valid(at(dir, "valid-3.pdf"), 3, NULL);
	mkh_valid(at(dir, "encrypted.pdf"), 1, "secret");
	mkh_truncated(at(dir, "valid-3.pdf"), at(dir, "truncated.pdf"), 900);
	mkh_random(at(dir, "header-garbage.pdf"), 512, 7, 1);
	mkh_broken_xref(at(dir, "broken-xref.pdf"));
	mkh_page_loop(at(dir, "page-loop.pdf"));
	mkh_many_text_objects(at(dir, "text-objects.pdf"), 300);
	mkh_huge_image(at(dir, "image.pdf"), 64, 1);
	mkh_deep_nesting(at(dir, "deep.pdf"), 200);
	mkh_recursive_form(at(dir, "recursive-form.pdf"));
	mkh_javascript(at(dir, "javascript.pdf"));
	/* Small versions of the budget bombs: their shape, not their size, is the seed. */
	mkh_nested_flate(at(dir, "nested-flate.pdf"), 2, 3);
	mkh_form_laughs(at(dir, "form-laughs.pdf"), 20, 3, NULL);
	mkh_font_bomb(at(dir, "tounicode.pdf"), 1, 1);
	mkh_font_bomb(at(dir, "fontfile.pdf"), 1, 0);
	mkh_objstm_bomb(at(dir, "objstm.pdf"), 1);
	mkh_damaged_pages(at(dir, "damaged-pages.pdf"), 4, 2);
}

static void write_large(const char *dir)
{
	mkh_valid(at(dir, "pages-2000.pdf"), 2000, NULL);
	mkh_many_text_objects(at(dir, "text-objects-200000.pdf"), 200000);
	mkh_huge_image(at(dir, "image-20000.pdf"), 20000, 1);
	mkh_huge_image(at(dir, "image-20000-notext.pdf"), 20000, 0);
	mkh_deep_nesting(at(dir, "deep-100000.pdf"), 100000);
	mkh_content_bomb(at(dir, "content-bomb-1g.pdf"), 1024);
	mkh_nested_flate(at(dir, "nested-flate-2g.pdf"), 2048, 3);
	mkh_form_laughs(at(dir, "form-laughs-27m.pdf"), 300, 3, NULL);
	mkh_font_bomb(at(dir, "tounicode-1g.pdf"), 1024, 1);
	mkh_font_bomb(at(dir, "fontfile-1g.pdf"), 1024, 0);
	mkh_objstm_bomb(at(dir, "objstm-1g.pdf"), 1024);
	mkh_damaged_pages(at(dir, "damaged-pages-10.pdf"), 10, 4);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mkcorpus DIR [--small]\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	write_small(argv[1]);
	if (argc < 3 || strcmp(argv[2], "--small"))
		write_large(argv[1]);
	return 0;
}
