/* mkexample.c: quick check of the PDF fixture writer: writes a two-page PDF. */
#include "../support/mkpdf.h"
#include <stdio.h>
int main(int argc, char **argv)
{
	mk_pdf *p = mk_new();
	mk_page(p, 612, 792);
	mk_text(p, "Times-Bold", 16, 72, 80, "1 Introduction");
	mk_text(p, "Times-Roman", 10, 72, 110, "Hello (world) with a line of text.");
	mk_rect(p, 72, 200, 200, 100, 0);
	mk_line(p, 72, 320, 272, 320);
	mk_image(p, 300, 200, 100, 80, 32, 16);
	mk_page(p, 612, 792);
	mk_text(p, "Helvetica", 10, 72, 72, "Second page.");
	mk_outline(p, "Intro", 1);
	mk_outline(p, "Second", 2);
	printf("%.2f\n", mk_text_width(p, "Times-Roman", 10, "Hello"));
	mk_save(p, argc > 1 ? argv[1] : "/tmp/mk.pdf", argc > 2 ? argv[2] : NULL);
	return 0;
}
