/* stemmer_load.c: libstemmer, opened the first time a tokenizer is made.
 *
 * Debian's libstemmer.a holds every Snowball language behind one table that sb_stemmer_new
 * searches, so linking it statically brought all of them (10,800 relocated pointers, 85
 * pages written at the start of every process) for the one language the tokenizer uses.
 * Parsing never stems: the library is opened by the first sb_stemmer_new (a search, an
 * answer, the store), from Debian's libstemmer0d, through its documented API. */
#include "sample.h"

#include <libstemmer.h>

#define STEMMER_FUNCTIONS(X) X(sb_stemmer_new) X(sb_stemmer_delete) X(sb_stemmer_stem) X(sb_stemmer_length)

enum { STEMMER_FUNCTIONS(WK_DL_INDEX) STEMMER_NFUNCTIONS };
static const char *const names[] = {STEMMER_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libstemmer.so.0d", "libstemmer.so.0", NULL};
static void *slots[STEMMER_NFUNCTIONS];
static wk_dl_lib stemmer = {.what = "libstemmer", .package = "libstemmer0d", .env = "WK_LIBSTEMMER",
                            .files = files, .names = names, .slots = slots};

/* The entry point: NULL (as for an unknown language) when the library is absent. */
struct sb_stemmer *sb_stemmer_new(const char *algorithm, const char *charenc)
{
	return wk_dl_loaded(&stemmer) ? WK_DL_REAL(slots, sb_stemmer_new)(algorithm, charenc) : NULL;
}

/* The rest take a stemmer, which only a loaded library hands out. */
void sb_stemmer_delete(struct sb_stemmer *s)
{
	if (s)
		WK_DL_REAL(slots, sb_stemmer_delete)(s);
}

const sb_symbol *sb_stemmer_stem(struct sb_stemmer *s, const sb_symbol *word, int size)
{
	return WK_DL_REAL(slots, sb_stemmer_stem)(s, word, size);
}

int sb_stemmer_length(struct sb_stemmer *s)
{
	return WK_DL_REAL(slots, sb_stemmer_length)(s);
}

int wk_tokenizer_error(wk_error *err)
{
	int rc = wk_dl_load(&stemmer, WK_ENOMEM, "stemming", err);
	return rc != WK_OK ? rc : wk_set_error(err, WK_ENOMEM, "cannot create the English stemmer");
}
