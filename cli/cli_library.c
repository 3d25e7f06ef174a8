/* cli_library.c: opening the library and naming its documents, for every command
 * (library_cli.h). */
#include "cli.h"
#include "library_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_LISTED 5 /* candidates named in an ambiguity error */

/* A database given as a URL (a server's) is not a file that could be missing. */
static int is_file(const char *db)
{
	return !strstr(db, "://") && strncmp(db, "postgres", 8);
}

char *wk_cli_library_missing(const char *db)
{
	char *path = db ? strdup(db) : wk_library_default_path();
	if (path && is_file(path) && access(path, F_OK) != 0)
		return path;
	free(path);
	return NULL;
}

int wk_cli_library_open(const char *cmd, const char *db, int create, wk_library **lib)
{
	*lib = NULL;
	char *missing = wk_cli_library_missing(db);
	if (missing && !create) {
		fprintf(stderr, "wukong %s: no library at %s (`wukong add` makes one)\n", cmd, missing);
		free(missing);
		return EXIT_INPUT;
	}
	wk_error err = {0};
	int rc = wk_library_open(db, lib, &err);
	if (rc == WK_OK && missing)
		fprintf(stderr, "wukong %s: created the library %s\n", cmd, missing);
	free(missing);
	return rc == WK_OK ? -1 : cli_fail(&err);
}

/* The file name without folders and without its extension, into out. */
static void stem(const char *name, char *out, size_t size)
{
	const char *slash = strrchr(name, '/');
	snprintf(out, size, "%s", slash ? slash + 1 : name);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
}

/* 2: `name` is exactly what the document is called; 1: a prefix of it; 0: neither. */
static int match(const wk_doc_info *d, const char *name)
{
	char base[512];
	stem(d->name, base, sizeof base);
	const char *calls[] = {d->id, d->name, base, d->title};
	size_t n = strlen(name);
	int best = 0;
	for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++) {
		if (!calls[k] || !*calls[k])
			continue;
		if (!strcasecmp(calls[k], name))
			return 2;
		if (!strncasecmp(calls[k], name, n))
			best = 1;
	}
	return best;
}

static int ambiguous(const char *cmd, const char *name, const wk_doc_info *docs, int n,
                     const char *how, int level)
{
	fprintf(stderr, "wukong %s: '%s' %s several documents:", cmd, name, how);
	int listed = 0;
	for (int i = 0; i < n; i++)
		if (match(&docs[i], name) == level && listed++ < MAX_LISTED)
			fprintf(stderr, "%s %s (%s)", listed > 1 ? "," : "", docs[i].name, docs[i].id);
	fprintf(stderr, "%s\n", listed > MAX_LISTED ? ", ..." : "");
	return EXIT_INPUT;
}

int wk_cli_library_find(const char *cmd, wk_library *lib, const char *name, char *id)
{
	wk_doc_info *docs = NULL;
	int n = 0, found[3] = {0}, pick[3] = {-1, -1, -1};
	wk_error err = {0};
	if (wk_library_list(lib, &docs, &n, &err))
		return cli_fail(&err);
	for (int i = 0; i < n; i++) {
		int m = match(&docs[i], name);
		if (found[m]++ == 0)
			pick[m] = i;
	}
	int st = -1;
	if (found[2] > 1)
		st = ambiguous(cmd, name, docs, n, "names", 2);
	else if (!found[2] && found[1] > 1)
		st = ambiguous(cmd, name, docs, n, "begins the names of", 1);
	else if (!found[2] && !found[1]) {
		fprintf(stderr, "wukong %s: %s: no such file, nor a library document by that name "
		                "(see `wukong ls`)\n", cmd, name);
		st = EXIT_INPUT;
	} else
		memcpy(id, docs[found[2] ? pick[2] : pick[1]].id, 17);
	wk_doc_infos_free(docs, n);
	return st;
}
