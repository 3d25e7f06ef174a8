/* mkpages.h: a four-page document whose pages are told apart by one word each (the crop
 * its paragraph names: barley, millet, sorghum, lentils), for the tests of page labels
 * and of "page N" in questions, in the library and on the command line. */
#ifndef WK_MKPAGES_H
#define WK_MKPAGES_H

#include "mkpdf.h"

/* The crop of page i (0-based; five: barley, millet, sorghum, lentils, flax). */
const char *mk_crop(int i);
/* One line at height y of the current page: "The farmers of the valley planted <crop>
 * in the spring and sold the <crop> harvest at the market." */
void mk_crop_line(mk_pdf *pdf, int i, float y);

/* Writes it to `path`. With `printed`, pages 2 to 4 print "1", "2", "3" at their foot;
 * without, the PDF's /PageLabels name the pages "i, ii, 1, 2". */
void mk_crop_pages(const char *path, int printed);

#endif
