/* lean.c: the document JSON as the library stores it: without what loading rebuilds.
 *
 * wk_doc_from_json rebuilds the section tree from the headings, so the "sections" array
 * and every unit's "section" path and "section_id" are dropped: a quarter of the bytes,
 * which every question that loads the document would otherwise parse again. */
#include "store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int wk_doc_json_lean(char **json, size_t *len, wk_error *err)
{
	json_t *root = json_loadb(*json, *len, 0, NULL);
	if (!json_is_object(root)) {
		json_decref(root);
		return wk_set_error(err, WK_EINTERNAL, "document JSON: cannot read it back");
	}
	json_object_del(root, "sections");
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(root, "units"), i, u)
	{
		json_object_del(u, "section");
		json_object_del(u, "section_id");
	}
	char *lean = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(root);
	if (!lean)
		return wk_set_error(err, WK_ENOMEM, "document JSON: out of memory");
	free(*json);
	*json = lean;
	*len = strlen(lean);
	return WK_OK;
}
