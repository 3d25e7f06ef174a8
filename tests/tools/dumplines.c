/* dumplines.c: prints the wk_lines and the layout blocks of one page, to debug the
 * parser on a real PDF.
 *
 * usage: dumplines FILE.pdf PAGE */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/pdf/graphics.h"
#include "../../src/pdf/pdf.h"

static void dump(fz_context *ctx, fz_document *doc, int number)
{
	fz_page *fzpage = fz_load_page(ctx, doc, number - 1);
	fz_rect bounds = fz_bound_page(ctx, fzpage);
	fz_stext_page *st = fz_new_stext_page(ctx, bounds);
	fz_stext_options so = {FZ_STEXT_MEDIABOX_CLIP, 1};
	fz_device *dev = fz_new_stext_device(ctx, st, &so);
	fz_run_page(ctx, fzpage, dev, fz_identity, NULL);
	fz_close_device(ctx, dev);
	fz_drop_device(ctx, dev);
	wk_page page = {.number = number, .arena = wk_arena_new()};
	page.width = bounds.x1 - bounds.x0, page.height = bounds.y1 - bounds.y0;
	wk_extract_lines(ctx, st, &page);
	wk_collect_graphics(ctx, fzpage, &page, NULL);
	wk_page_find_figures(&page);
	for (int i = 0; i < page.nlines; i++) {
		const wk_line *l = &page.lines[i];
		printf("L%-4d [%6.1f %6.1f %6.1f %6.1f] base %6.1f size %4.1f %s%s%s flags %x font %s: %s\n", i,
		       l->box.x0, l->box.y0, l->box.x1, l->box.y1, l->baseline, l->size, l->bold ? "B" : "-",
		       l->italic ? "I" : "-", l->mono ? "M" : "-", l->flags, page.fonts[l->font].name, l->text);
	}
	for (int i = 0; getenv("DUMP_GRAPHICS") && i < page.npaths; i++)
		printf("P%-4d [%6.1f %6.1f %6.1f %6.1f]\n", i, page.paths[i].x0, page.paths[i].y0,
		       page.paths[i].x1, page.paths[i].y1);
	for (int i = 0; getenv("DUMP_GRAPHICS") && i < page.nimages; i++)
		printf("I%-4d [%6.1f %6.1f %6.1f %6.1f]\n", i, page.images[i].x0, page.images[i].y0,
		       page.images[i].x1, page.images[i].y1);
	for (int i = 0; i < page.nfigures; i++) {
		const wk_figure *f = &page.figures[i];
		printf("F%-3d %s [%6.1f %6.1f %6.1f %6.1f] caption: %s\n  text: %s\n", i, f->label,
		       f->region.x0, f->region.y0, f->region.x1, f->region.y1, f->caption, f->figure_text);
	}
	wk_page_out out = {.number = number, .width = page.width, .height = page.height,
	                   .arena = wk_arena_new()};
	wk_layout_page(&page, &out);
	for (int i = 0; i < out.nblocks; i++) {
		const wk_block *b = &out.blocks[i];
		printf("B%-3d %s run %d col %d [%6.1f %6.1f %6.1f %6.1f] size %4.1f bold %.2f flags %x num %d: %s\n",
		       i, b->kind == WK_BLOCK_FIGURE ? "FIG " : "TEXT", b->run, b->column, b->box.x0,
		       b->box.y0, b->box.x1, b->box.y1, b->size, b->bold, b->flags, b->numbering, b->text);
	}
	wk_arena_free(out.arena);
	wk_arena_free(page.arena);
	fz_drop_stext_page(ctx, st);
	fz_drop_page(ctx, fzpage);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: dumplines FILE.pdf PAGE\n");
		return 2;
	}
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_register_document_handlers(ctx);
	fz_document *doc = NULL;
	int rc = 0;
	fz_try(ctx)
	{
		doc = fz_open_document(ctx, argv[1]);
		dump(ctx, doc, atoi(argv[2]));
	}
	fz_catch(ctx)
	{
		fprintf(stderr, "dumplines: %s\n", fz_caught_message(ctx));
		rc = 1;
	}
	fz_drop_document(ctx, doc);
	fz_drop_context(ctx);
	return rc;
}
