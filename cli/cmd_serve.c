/* cmd_serve.c: `wukong serve`: the HTTP API and web page over the library, until SIGINT
 * or SIGTERM. */
#include "cli.h"
#include "cli_ask.h"  /* cli_set_url */
#include "cli_opts.h"
#include "cli_read.h" /* --ocr */
#include "library_cli.h"

#include "../src/serve/serve.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: wukong serve [--db LIBRARY] [--listen ADDR:PORT] [--token T] [OPTIONS]\n\n"
	"Serves the library over HTTP: a JSON API under /v1/ (docs/api.md) and a web page\n"
	"at / to upload PDFs, ask questions and see the evidence on its page.\n\n"
	CLI_DB_HELP
	"  --listen ADDR:PORT address to bind (default 127.0.0.1:8080; port 0 = any free);\n"
	"                     an address other than loopback requires --token\n"
	"  --token T          require \"Authorization: Bearer T\" on /v1/ (better: from\n"
	"                     $WUKONG_TOKEN or --token-file, which `ps` does not show)\n"
	"  --token-file FILE  the token is the first line of FILE\n"
	"  --allow-host NAME  accept requests for Host NAME besides loopback names (repeat\n"
	"                     or comma-separate; \"*\" = any; needed behind a domain name)\n"
	"  --max-upload N     largest PDF upload in bytes, K/M/G suffixes (default 100M)\n"
	"  --max-clients N    requests in flight before 503 (default 32)\n"
	"  --max-memory MB    memory the PDF library may use for all uploads parsing at\n"
	"                     once (default 1024)\n"
	"  --timeout S        seconds for a whole request to arrive, and for each upload's\n"
	"                     parse (default 60; a page image has 10 s)\n"
	"  --ocr-timeout S    seconds added to an upload's parse for each page needing OCR\n"
	"                     (default 30; at most an hour in all)\n"
	"  --ocr MODE         uploads' pages without a text layer: auto (OCR them, the\n"
	"                     default), always (OCR every page), never (leave them unread)\n"
	"  --quiet            no request log on stderr\n"
	"  --llm URL, --model NAME  the chat model server (else WUKONG_LLM_URL, the\n"
	"                     config file): answers of requests with \"llm\": true\n"
	"  --embed URL, --embed-model NAME  the embedding server (else\n"
	"                     WUKONG_EMBED_URL, the config file): hybrid sampling\n";

/* "100M" -> bytes; 0 when malformed. */
static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = s && *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
	if (!v)
		return 0;
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	else if (*end)
		return 0;
	if (shift && end[1])
		return 0;
	if (v > (1ull << 40) >> shift)
		return 0;
	return (size_t)(v << shift);
}

static const char *set_size(void *target, const char *value)
{
	size_t v = parse_size(value);
	if (!v)
		return "must be bytes like 100M";
	*(size_t *)target = v;
	return NULL;
}

/* The first line of a file, kept for the server's life: a token that `ps` cannot show. */
static const char *set_token_file(void *target, const char *path)
{
	static char token[512];
	FILE *f = fopen(path, "r");
	if (!f || !fgets(token, sizeof token, f)) {
		if (f)
			fclose(f);
		return "must be a readable file whose first line is the token";
	}
	fclose(f);
	token[strcspn(token, "\r\n")] = '\0';
	if (!token[0])
		return "must be a readable file whose first line is the token";
	*(const char **)target = token;
	return NULL;
}

/* --allow-host given again adds to the list. */
static const char *add_host(void *target, const char *value)
{
	static char hosts[1024];
	size_t n = strlen(hosts);
	if (n + strlen(value) + 2 > sizeof hosts)
		return "names too many (at most 1000 bytes in all)";
	snprintf(hosts + n, sizeof hosts - n, "%s%s", n ? "," : "", value);
	*(const char **)target = hosts;
	return NULL;
}

static const char *set_megabytes(void *target, const char *value)
{
	long mb = cli_parse_long(value, 16, 1 << 20);
	if (mb < 0)
		return "must be megabytes from 16 to 1048576";
	*(size_t *)target = (size_t)mb << 20;
	return NULL;
}

/* Returns 0, or an exit status when the arguments are wrong (-1 after --help). */
static int parse_args(int argc, char **argv, wk_serve_config *cfg)
{
	const cli_option table[] = {
		{"token-file", 0, CLI_CALL, &cfg->token, 0, 0, set_token_file},
		{"allow-host", 0, CLI_CALL, &cfg->allow_hosts, 0, 0, add_host},
		{"max-memory", 0, CLI_CALL, &cfg->max_memory, 0, 0, set_megabytes},
		{"db", 0, CLI_STRING, &cfg->db_path},
		{"listen", 0, CLI_STRING, &cfg->listen},
		{"token", 0, CLI_STRING, &cfg->token},
		{"max-upload", 0, CLI_CALL, &cfg->max_upload, 0, 0, set_size},
		{"max-clients", 0, CLI_INT, &cfg->max_clients, 1, 10000},
		{"timeout", 0, CLI_INT, &cfg->timeout, 1, 86400},
		{"quiet", 0, CLI_FLAG, &cfg->quiet},
		{"ocr", 0, CLI_CALL, &cfg->ocr, 0, 0, cli_set_ocr},
		{"ocr-timeout", 0, CLI_INT, &cfg->ocr_timeout, 0, 3600},
		{"llm", 0, CLI_CALL, &cfg->llm_url, 0, 0, cli_set_url},
		{"model", 0, CLI_STRING, &cfg->llm_model},
		{"embed", 0, CLI_CALL, &cfg->embed_url, 0, 0, cli_set_url},
		{"embed-model", 0, CLI_STRING, &cfg->embed_model},
	};
	char **args;
	int nargs;
	int rc = cli_parse_options("serve", argc, argv, table, CLI_NOPTS(table), usage_text, &args,
	                           &nargs);
	if (rc >= 0)
		return rc ? rc : -1;
	if (nargs)
		return cli_usage_error("serve", "unexpected argument '%s'", args[0]);
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	wk_serve_config cfg;
	wk_serve_config_init(&cfg);
	const char *env_token = getenv("WUKONG_TOKEN");
	if (env_token && *env_token)
		cfg.token = env_token;
	int rc = parse_args(argc, argv, &cfg);
	if (rc)
		return rc < 0 ? 0 : rc;
	/* Block the signals before the server's threads start, so that they inherit the mask
	 * and only sigwait below sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	wk_server *srv;
	wk_error err;
	char *missing = wk_cli_library_missing(cfg.db_path);
	if (wk_server_start(&cfg, &srv, &err)) {
		free(missing);
		return cli_fail(&err);
	}
	if (missing) /* serve makes the library it serves, and says so once */
		fprintf(stderr, "wukong serve: created the library %s\n", missing);
	free(missing);
	const char *colon = strrchr(cfg.listen, ':');
	printf("wukong serve: listening on http://%.*s:%d/\n",
	       colon ? (int)(colon - cfg.listen) : 9, colon ? cfg.listen : "127.0.0.1",
	       wk_server_port(srv));
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
	fprintf(stderr, "wukong serve: stopping\n");
	wk_server_stop(srv);
	return 0;
}
