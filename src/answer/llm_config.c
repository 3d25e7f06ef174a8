/* llm_config.c: the language model settings: defaults, the config file
 * ($XDG_CONFIG_HOME/wukong/config, "key = value" lines) and the environment. The command
 * line is applied by the caller afterwards, so it wins. */
#include "llm.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct wk_llm_store {
	wk_arena *arena; /* every string wk_llm_opts_load put into the options */
};

void wk_llm_opts_init(wk_llm_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->model = "default";
	opts->embed_model = "default";
	opts->max_image_side = 1024;
	opts->image_dpi = 144;
	opts->max_tokens = 512;
	opts->stream = 1;
	opts->connect_timeout_ms = 10000;
	opts->timeout_ms = 300000;
	opts->stall_ms = 120000;
	opts->max_attempts = 4;
	opts->backoff_ms = 500;
	opts->max_wait_ms = 30000;
	opts->max_reply = 4u << 20;
}

void wk_llm_opts_release(wk_llm_opts *opts)
{
	if (!opts || !opts->store)
		return;
	wk_arena_free(opts->store->arena);
	free(opts->store);
	opts->store = NULL;
}

enum { K_STR, K_BOOL, K_INT, K_SECONDS, K_REAL };

static const struct setting {
	const char *key;
	const char *env; /* NULL: file only */
	int kind;
	size_t off;
	double min, max;
} settings[] = {
	{"url", "WUKONG_LLM_URL", K_STR, offsetof(wk_llm_opts, url), 0, 0},
	{"model", "WUKONG_MODEL", K_STR, offsetof(wk_llm_opts, model), 0, 0},
	{"api_key", "WUKONG_API_KEY", K_STR, offsetof(wk_llm_opts, api_key), 0, 0},
	{"embed_url", "WUKONG_EMBED_URL", K_STR, offsetof(wk_llm_opts, embed_url), 0, 0},
	{"embed_model", "WUKONG_EMBED_MODEL", K_STR, offsetof(wk_llm_opts, embed_model), 0, 0},
	{"vision", "WUKONG_VISION", K_BOOL, offsetof(wk_llm_opts, vision), 0, 1},
	{"max_image_side", NULL, K_INT, offsetof(wk_llm_opts, max_image_side), 64, 8192},
	{"image_dpi", NULL, K_INT, offsetof(wk_llm_opts, image_dpi), 18, 600},
	{"max_tokens", "WUKONG_MAX_TOKENS", K_INT, offsetof(wk_llm_opts, max_tokens), 1, 1 << 20},
	{"temperature", NULL, K_REAL, offsetof(wk_llm_opts, temperature), 0, 2},
	{"stream", NULL, K_BOOL, offsetof(wk_llm_opts, stream), 0, 1},
	{"connect_timeout", NULL, K_SECONDS, offsetof(wk_llm_opts, connect_timeout_ms), 0.001, 3600},
	{"timeout", "WUKONG_LLM_TIMEOUT", K_SECONDS, offsetof(wk_llm_opts, timeout_ms), 0, 86400},
	{"stall_timeout", NULL, K_SECONDS, offsetof(wk_llm_opts, stall_ms), 0, 86400},
	{"max_attempts", NULL, K_INT, offsetof(wk_llm_opts, max_attempts), 1, 20},
};

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"1", "yes", "true", "on"};
	static const char *const no[] = {"0", "no", "false", "off"};
	for (size_t i = 0; i < WK_ARRAY_LEN(yes); i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = 1, 1;
		if (!strcasecmp(v, no[i]))
			return *out = 0, 1;
	}
	return 0;
}

/* Sets one setting from text; 0 when the value does not fit it. */
static int apply(wk_llm_opts *opts, const struct setting *s, const char *value)
{
	char *field = (char *)opts + s->off;
	if (s->kind == K_STR) {
		*(const char **)field = *value ? wk_arena_strdup(opts->store->arena, value) : NULL;
		return 1;
	}
	if (s->kind == K_BOOL)
		return parse_bool(value, (int *)field);
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || v < s->min || v > s->max)
		return 0;
	if (s->kind == K_INT)
		*(int *)field = (int)v;
	else if (s->kind == K_SECONDS)
		*(long *)field = (long)(v * 1000);
	else
		*(double *)field = v;
	return 1;
}

static const struct setting *setting_named(const char *key)
{
	for (size_t i = 0; i < WK_ARRAY_LEN(settings); i++)
		if (!strcmp(settings[i].key, key))
			return &settings[i];
	return NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	/* "value" and 'value' are allowed, for keys with spaces or a leading '#'. */
	size_t n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

static int file_line(wk_llm_opts *opts, const char *path, int lineno, char *line, wk_error *err)
{
	char *key = line;
	while (isspace((unsigned char)*key))
		key++;
	if (!*key || *key == '#')
		return WK_OK;
	char *eq = strchr(key, '=');
	if (!eq)
		return wk_set_error(err, WK_EINVAL, "%s:%d: expected \"key = value\"", path, lineno);
	*eq = '\0';
	char *k = trim(key), *v = trim(eq + 1);
	const struct setting *s = setting_named(k);
	if (!s)
		return wk_set_error(err, WK_EINVAL, "%s:%d: unknown key '%s'", path, lineno, k);
	if (!apply(opts, s, v))
		return wk_set_error(err, WK_EINVAL, "%s:%d: bad value for '%s'", path, lineno, k);
	return WK_OK;
}

static int load_file(wk_llm_opts *opts, const char *path, int must_exist, wk_error *err)
{
	struct stat st;
	if (!must_exist && stat(path, &st) != 0 && errno == ENOENT)
		return WK_OK;
	char *data;
	size_t len;
	int rc = wk_read_file(path, 64 * 1024, &data, &len, err);
	if (rc != WK_OK)
		return rc;
	int lineno = 0;
	for (char *line = data, *next; line && rc == WK_OK; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rc = file_line(opts, path, ++lineno, line, err);
	}
	free(data);
	return rc;
}

static int load_env(wk_llm_opts *opts, wk_error *err)
{
	for (size_t i = 0; i < WK_ARRAY_LEN(settings); i++) {
		const char *v = settings[i].env ? getenv(settings[i].env) : NULL;
		if (!v)
			continue;
		char *copy = wk_xstrdup(v);
		int ok = apply(opts, &settings[i], trim(copy));
		free(copy);
		if (!ok)
			return wk_set_error(err, WK_EINVAL, "environment variable %s: bad value '%.60s'",
			                    settings[i].env, v);
	}
	return WK_OK;
}

int wk_llm_opts_load(wk_llm_opts *opts, const char *config_path, wk_error *err)
{
	if (!opts)
		return wk_set_error(err, WK_EINVAL, "language model: no options to load into");
	if (!opts->store) {
		opts->store = wk_xcalloc(1, sizeof *opts->store);
		opts->store->arena = wk_arena_new();
	}
	char path[4096];
	if (config_path) {
		snprintf(path, sizeof path, "%s", config_path);
	} else {
		const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
		if (xdg && *xdg)
			snprintf(path, sizeof path, "%s/wukong/config", xdg);
		else
			snprintf(path, sizeof path, "%s/.config/wukong/config", home ? home : ".");
	}
	int rc = load_file(opts, path, config_path != NULL, err);
	return rc != WK_OK ? rc : load_env(opts, err);
}
