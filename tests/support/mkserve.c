/* mkserve.c: the zebra survey PDF of mkserve.h. */
#include "mkserve.h"

#include "mkpdf.h"

#include <stddef.h>

void mk_serve_zebra_pdf(const char *path)
{
	mk_pdf *p = mk_new();
	mk_page(p, 612, 792);
	mk_text(p, "Helvetica-Bold", 16, 72, 90, "1 Introduction");
	const char *lines[] = {
	    "Herds of plains zebra were counted across the northern reserve every spring.",
	    "The survey found that the zebra population grew to 4213 animals in 2019,",
	    "mostly because the rains returned and the grass recovered along the river.",
	};
	for (int i = 0; i < 3; i++)
		mk_text(p, "Times-Roman", 11, 72, 130 + 14 * i, lines[i]);
	mk_text(p, "Helvetica-Bold", 16, 72, 220, "2 Methods");
	mk_text(p, "Times-Roman", 11, 72, 250,
	        "Rangers walked fixed transects and used drones "
	        "to photograph the herds from above.");
	mk_image(p, 150, 300, 300, 200, 64, 48);
	mk_text(p, "Times-Roman", 10, 150, 520,
	        "Figure 1: Aerial photograph of a zebra herd "
	        "near the river.");
	mk_page(p, 612, 792);
	mk_text(p, "Helvetica-Bold", 16, 72, 90, "3 Results");
	mk_text(p, "Times-Roman", 11, 72, 130,
	        "Lions were seen on eleven of the forty "
	        "transects during the dry season.");
	mk_save(p, path, NULL);
}
