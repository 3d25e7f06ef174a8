/* mkpages.c: see mkpages.h. */
#include "mkpages.h"

#include <stdio.h>

#include "mkpdf.h"

static const char *const crops[] = {"barley", "millet", "sorghum", "lentils", "flax"};

const char *mk_crop(int i)
{
	return crops[i % 5];
}

void mk_crop_line(mk_pdf *pdf, int i, float y)
{
	char line[160];
	snprintf(line, sizeof line, "The farmers of the valley planted %s in the spring and sold "
	         "the %s harvest at the market.", mk_crop(i), mk_crop(i));
	mk_text(pdf, "Times-Roman", 11, 72, y, line);
}

void mk_crop_pages(const char *path, int printed)
{
	mk_pdf *pdf = mk_new();
	char line[160];
	for (int i = 0; i < 4; i++) {
		mk_page(pdf, 612, 792);
		snprintf(line, sizeof line, "The farmers of the valley planted %s in the spring and "
		         "sold the %s harvest at the", crops[i], crops[i]);
		mk_text(pdf, "Times-Roman", 11, 72, 100, line);
		snprintf(line, sizeof line, "market in town before the rains, as their parents had "
		         "done with %s before them.", crops[i]);
		mk_text(pdf, "Times-Roman", 11, 72, 114, line);
		snprintf(line, sizeof line, "%d", i);
		if (printed && i > 0)
			mk_text(pdf, "Times-Roman", 10, 300, 760, line);
	}
	if (!printed) {
		mk_page_label(pdf, 1, 'r');
		mk_page_label(pdf, 3, 'D');
	}
	mk_save(pdf, path, NULL);
}
