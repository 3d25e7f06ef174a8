/* mklib.c: varied multi-page PDFs for the library tests (see mklib.h). */
#include "mklib.h"

#include "mkpdf.h"

#include <stdio.h>
#include <string.h>

static const char *const vocab[] = {
	"river", "engine", "market", "protein", "signal", "harvest", "orbit", "ledger",
	"canyon", "voltage", "glacier", "lantern", "meadow", "circuit", "harbor", "quartz",
	"tariff", "enzyme", "summit", "compass", "furnace", "pepper", "violin", "tunnel",
	"copper", "falcon", "marble", "nectar", "pylon", "saddle", "timber", "walnut",
};

static unsigned next(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

const char *mk_library_word(unsigned seed)
{
	static char word[32];
	snprintf(word, sizeof word, "topic%ux", seed);
	return word;
}

/* One line of about 12 words; the document's own word comes first on a page's first line. */
static void line_text(char *out, size_t size, unsigned *state, unsigned seed, int first)
{
	size_t used = 0;
	out[0] = '\0';
	if (first)
		used += (size_t)snprintf(out, size, "%s ", mk_library_word(seed));
	for (int w = 0; w < 11 && used < size; w++)
		used += (size_t)snprintf(out + used, size - used, "%s ",
		                         vocab[next(state) % (sizeof vocab / sizeof vocab[0])]);
	if (used > 0 && used < size)
		out[used - 1] = '.';
}

void mk_library_pdf(const char *path, unsigned seed, int pages)
{
	mk_pdf *pdf = mk_new();
	unsigned state = seed * 2654435761u + 1;
	char text[256];
	for (int p = 1; p <= pages; p++) {
		mk_page(pdf, 612, 792);
		snprintf(text, sizeof text, "%d Section %s %d", p, vocab[seed % 32], p);
		mk_text(pdf, "Helvetica-Bold", 14, 72, 72, text);
		float y = 100;
		for (int para = 0; para < 4; para++) {
			for (int l = 0; l < 5; l++, y += 14) {
				line_text(text, sizeof text, &state, seed, para == 0 && l == 0);
				mk_text(pdf, "Times-Roman", 11, 72, y, text);
			}
			y += 12;
		}
	}
	mk_save(pdf, path, NULL);
}
