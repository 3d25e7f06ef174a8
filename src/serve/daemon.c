/* daemon.c: starting and stopping the server: the listen address (loopback unless a
 * token guards the API), the library pool, the folder of kept uploads, the model backend,
 * and the libmicrohttpd daemon itself. */
#include "serve.h"

#include "../store/store.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void wk_serve_config_init(wk_serve_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen = "127.0.0.1:8080";
	cfg->max_upload = 100u << 20;
	cfg->max_clients = 32;
	cfg->timeout = 60;
	cfg->ocr_timeout = 30;
	cfg->max_memory = (size_t)1 << 30;
}

/* "host:port", "[v6]:port" or "port" -> an address to bind. */
static int resolve_listen(const char *listen, struct sockaddr_storage *sa, wk_error *err)
{
	char host[256], port[16];
	const char *colon = strrchr(listen, ':');
	if (!colon) {
		snprintf(host, sizeof host, "127.0.0.1");
		snprintf(port, sizeof port, "%s", listen);
	} else if (listen[0] == '[') {
		const char *close = strchr(listen, ']');
		if (!close || close + 1 != colon || close - listen - 1 >= (long)sizeof host)
			return wk_set_error(err, WK_EINVAL, "--listen %s: expected [ADDRESS]:PORT",
			                    listen);
		snprintf(host, sizeof host, "%.*s", (int)(close - listen - 1), listen + 1);
		snprintf(port, sizeof port, "%s", colon + 1);
	} else {
		if (colon - listen >= (long)sizeof host || colon == listen)
			return wk_set_error(err, WK_EINVAL, "--listen %s: expected HOST:PORT",
			                    listen);
		snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
		snprintf(port, sizeof port, "%s", colon + 1);
	}
	char *end;
	long p = strtol(port, &end, 10);
	if (!*port || *end || p < 0 || p > 65535)
		return wk_set_error(err, WK_EINVAL, "--listen %s: the port must be 0 to 65535",
		                    listen);
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc || !res)
		return wk_set_error(err, WK_EINVAL, "--listen %s: %s", listen, gai_strerror(rc));
	memcpy(sa, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return WK_OK;
}

static int is_loopback(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/* A model server is optional: without one, "llm": true falls back to extractive. */
static void load_llm(wk_server *srv)
{
	wk_error err;
	wk_llm_opts_init(&srv->llm);
	if (wk_llm_opts_load(&srv->llm, NULL, &err) != WK_OK)
		fprintf(stderr, "wukong serve: no language model: %s\n", err.message);
	const wk_serve_config *c = &srv->cfg;
	if (c->llm_url)
		srv->llm.url = c->llm_url;
	if (c->llm_model)
		srv->llm.model = c->llm_model;
	if (c->embed_url)
		srv->llm.embed_url = c->embed_url;
	if (c->embed_model)
		srv->llm.embed_model = c->embed_model;
	if (srv->llm.url && *srv->llm.url)
		srv->ctx.llm = &srv->llm;
	if (srv->llm.embed_url && *srv->llm.embed_url)
		srv->ctx.embed = &srv->llm;
	srv->llm.on_text = NULL;
}

/* libmicrohttpd's own messages, one line each under our prefix. Until the daemon runs
 * they are kept instead (the first one): a failed start is told once, by our own error
 * line, with MHD's reason in it ("Failed to bind to port 0: Address already in use" said
 * port 0 because we give MHD the address, not the port). A client that hangs up in the
 * middle of a reply (a streamed answer it stopped reading) is the request log's business,
 * not an error. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	wk_server *srv = cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (!atomic_load(&srv->running)) {
		if (!srv->start_msg[0])
			snprintf(srv->start_msg, sizeof srv->start_msg, "%s", msg);
		return;
	}
	if (strstr(msg, "socket is no longer available for sending") ||
	    strstr(msg, "Connection reset by peer") || strstr(msg, "Broken pipe"))
		return;
	fprintf(stderr, "wukong serve: %s\n", msg);
}

/* The cause in a kept start message: what follows its last ": ", else all of it. */
static const char *start_reason(const wk_server *srv)
{
	const char *colon = strrchr(srv->start_msg, ':');
	return colon && colon[1] == ' ' ? colon + 2 : srv->start_msg;
}

/* URLs are decoded by MHD into C strings, where "%00" would end the path early and
 * "/v1/documents/<id>%00/pages/1.png" would read as the record: a NUL becomes a control
 * byte instead, which the router refuses (400). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *uri)
{
	(void)cls, (void)conn;
	for (char *p = uri; (p = strstr(p, "%00")); p += 3)
		p[2] = '1';
	return MHD_http_unescape(uri);
}

static int start_mhd(wk_server *srv, const struct sockaddr_storage *sa, wk_error *err)
{
	unsigned flags =
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (sa->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Room above max_clients so that the extra connections hear 503, not a reset. */
	unsigned limit = (unsigned)srv->cfg.max_clients * 2 + 16;
	int rc = wk_mhd_load(err);
	if (rc != WK_OK)
		return rc;
	srv->mhd =
	    MHD_start_daemon(flags, 0, NULL, NULL, wk_server_on_request, srv,
	                     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv, MHD_OPTION_SOCK_ADDR, sa,
	                     MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_CONNECTION_TIMEOUT,
	                     (unsigned)srv->cfg.timeout, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
	                     NULL, MHD_OPTION_NOTIFY_COMPLETED,
	                     wk_server_on_completed, srv, MHD_OPTION_END);
	if (!srv->mhd && srv->start_msg[0])
		return wk_set_error(err, WK_EIO, "cannot listen on %s: %s", srv->cfg.listen,
		                    start_reason(srv));
	if (!srv->mhd)
		return wk_set_error(err, WK_EIO,
		                    "cannot listen on %s (address in use or not "
		                    "allowed)",
		                    srv->cfg.listen);
	atomic_store(&srv->running, 1);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	return WK_OK;
}

static int check_config(const wk_serve_config *cfg, struct sockaddr_storage *sa, wk_error *err)
{
	int rc = resolve_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", sa, err);
	if (rc)
		return rc;
	if (!is_loopback(sa) && (!cfg->token || !*cfg->token))
		return wk_set_error(err, WK_EINVAL,
		                    "--listen %s is not a loopback address: set "
		                    "--token to protect the API",
		                    cfg->listen);
	if (cfg->max_clients < 1 || cfg->timeout < 1 || cfg->max_upload < 1 || cfg->max_memory < 1)
		return wk_set_error(err, WK_EINVAL,
		                    "max clients, timeout, upload limit and memory must be "
		                    "positive");
	return WK_OK;
}

/* Kept PDFs whose row is gone (a crash between the two) are removed before serving. */
static void sweep(wk_server *srv)
{
	wk_library *lib;
	wk_error err;
	if (wk_pool_get(srv->ctx.pool, &lib, &err))
		return;
	int n = wk_files_sweep(&srv->ctx, lib);
	wk_pool_put(srv->ctx.pool, lib);
	if (n > 0 && !srv->cfg.quiet)
		fprintf(stderr, "wukong serve: removed %d kept PDF%s of deleted documents\n", n,
		        n == 1 ? "" : "s");
}

int wk_server_start(const wk_serve_config *cfg, wk_server **out, wk_error *err)
{
	*out = NULL;
	struct sockaddr_storage sa = {0};
	int rc = check_config(cfg, &sa, err);
	if (rc)
		return rc;
	wk_server *srv = wk_xcalloc(1, sizeof *srv);
	srv->cfg = *cfg;
	srv->token = cfg->token && *cfg->token ? wk_xstrdup(cfg->token) : NULL;
	srv->pdf_dir = wk_library_uploads_dir(cfg->db_path);
	srv->ctx.pdf_dir = srv->pdf_dir;
	srv->ctx.max_upload = cfg->max_upload;
	atomic_init(&srv->inflight, 0);
	atomic_init(&srv->streams, 0);
	srv->ctx.streams = &srv->streams;
	srv->ctx.max_streams = cfg->max_clients;
	atomic_init(&srv->uploads, 0);
	atomic_init(&srv->running, 0);
	/* One MuPDF budget for all uploads parsing at once; each may use all of it alone. */
	srv->budget = wk_budget_new(cfg->max_memory);
	srv->ctx.budget = srv->budget;
	srv->ctx.max_memory = cfg->max_memory;
	srv->ctx.timeout = cfg->timeout;
	srv->ctx.ocr = cfg->ocr;
	srv->ctx.ocr_timeout = cfg->ocr_timeout;
	pthread_mutex_init(&srv->files, NULL);
	srv->ctx.files = &srv->files;
	srv->ctx.pngs = wk_png_cache_new();
	srv->ctx.progress = wk_progress_new();
	/* Enough handles to keep both kinds of work busy; more only adds memory. */
	rc = wk_pool_new(cfg->db_path, WK_MIN(cfg->max_clients, 8), &srv->ctx.pool, err);
	if (!rc)
		rc = wk_mkdirs(srv->pdf_dir, err);
	if (!rc)
		sweep(srv);
	if (!rc) {
		load_llm(srv);
		rc = start_mhd(srv, &sa, err);
	}
	if (rc) {
		wk_server_stop(srv);
		return rc;
	}
	*out = srv;
	return WK_OK;
}

int wk_server_port(const wk_server *srv)
{
	return srv ? srv->port : 0;
}

void wk_server_stop(wk_server *srv)
{
	if (!srv)
		return;
	srv->stopping = 1; /* parses in flight see it through their watcher within 0.1 s */
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd); /* joins the connection threads */
	/* Stream writers use the model options and the pool: with their clients gone they
	 * cancel their model request at its next progress poll, then end. */
	while (atomic_load(&srv->streams) > 0)
		wk_sleep_ms(10);
	wk_llm_opts_release(&srv->llm);
	wk_pool_free(srv->ctx.pool);
	wk_budget_free(srv->budget);
	wk_png_cache_free(srv->ctx.pngs);
	wk_progress_free(srv->ctx.progress);
	if (srv->ctx.files)
		pthread_mutex_destroy(&srv->files);
	free(srv->pdf_dir);
	free(srv->token);
	free(srv);
}
