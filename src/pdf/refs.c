/* refs.c: links figures and tables to the paragraphs that mention them.
 *
 * Each paragraph is scanned once; its mentions are matched against the labels of the
 * document's figure and table units (a few hundred at most), so the cost stays linear in
 * the text even for long documents. */
#include "../doc/doc.h"
#include "captions.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_MENTIONS = 256 };

typedef struct target {
	int unit;          /* idx of the figure or table unit */
	wk_mention key;    /* its type and number */
	int *refs;
	int nrefs, cap;
} target;

/* "Figure 3" -> type and number, as the mention parser normalises them. */
static bool label_key(const wk_unit *u, wk_mention *key)
{
	wk_caption_label label;
	if (!u->label || !wk_caption_parse(u->label, &label))
		return false;
	key->type = label.type;
	/* A mention drops a subfigure letter ("Fig. 3a" -> 3): so does the key. */
	size_t n = strlen(label.num);
	if (n > 1 && label.num[n - 1] >= 'a' && label.num[n - 1] <= 'z')
		label.num[n - 1] = '\0';
	memcpy(key->num, label.num, sizeof key->num);
	return true;
}

/* The paragraph is the caption itself, leaked into the text (it starts with it). */
static bool is_own_caption(const wk_unit *fig, const wk_unit *para)
{
	if (!fig->caption || !para->text || !*fig->caption)
		return false;
	size_t n = strlen(fig->caption);
	return strncmp(para->text, fig->caption, WK_MIN(n, (size_t)60)) == 0;
}

static void add_ref(target *t, int idx)
{
	if (t->nrefs > 0 && t->refs[t->nrefs - 1] == idx)
		return; /* mentioned twice in one paragraph */
	t->refs = wk_grow(t->refs, &t->cap, t->nrefs + 1, sizeof(int));
	t->refs[t->nrefs++] = idx;
}

static void match_paragraph(const wk_doc *doc, const wk_unit *u, const wk_mention *m, int nm,
                            target *targets, int nt)
{
	for (int i = 0; i < nm; i++)
		for (int k = 0; k < nt; k++) {
			target *t = &targets[k];
			if (t->key.type == m[i].type && strcasecmp(t->key.num, m[i].num) == 0 &&
			    !is_own_caption(&doc->units[t->unit], u))
				add_ref(t, u->idx);
		}
}

static int collect_targets(const wk_doc *doc, target *targets)
{
	int n = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if ((u->type == WK_UNIT_FIGURE || u->type == WK_UNIT_TABLE) &&
		    label_key(u, &targets[n].key))
			targets[n++].unit = i;
	}
	return n;
}

void wk_doc_link_refs(wk_doc *doc)
{
	if (!doc || doc->nunits == 0)
		return;
	target *targets = wk_xcalloc((size_t)doc->nunits, sizeof(target));
	int nt = collect_targets(doc, targets);
	wk_mention *found = wk_xmalloc(sizeof(wk_mention) * MAX_MENTIONS);
	for (int i = 0; i < doc->nunits && nt > 0; i++) {
		const wk_unit *u = &doc->units[i];
		if (u->type != WK_UNIT_TEXT || !u->text)
			continue;
		int m = wk_mentions_find(u->text, found, MAX_MENTIONS);
		match_paragraph(doc, u, found, m, targets, nt);
	}
	for (int k = 0; k < nt; k++) {
		wk_doc_set_refs(doc, &doc->units[targets[k].unit], targets[k].refs, targets[k].nrefs);
		free(targets[k].refs);
	}
	free(found);
	free(targets);
}
