/* serve.h: the HTTP server behind `wukong serve`: a JSON API over the document library
 * and the web page that uses it. Internal to libwukong.
 *
 * Layers, each in its own file:
 *   server.c   libmicrohttpd daemon: connections, limits, auth, bodies, the request log
 *   routes.c   path -> route with validated ids and numbers, methods (405 + Allow)
 *   api.c      the handlers: documents, ask, page and unit PNGs, health
 *   pool.c     a small pool of library handles, one per request in flight
 *   reply.c    replies: JSON bodies, errors, status codes for WK_E* codes
 *   page.c     the embedded web page (src/serve/web/index.html) and its icon
 *   progress.c pages parsed so far of each upload (GET /v1/uploads/ID)
 *
 * Handlers see a plain wk_http_req and fill a wk_http_reply: they know nothing of
 * libmicrohttpd, which keeps them testable and short. */
#ifndef WK_SERVE_H
#define WK_SERVE_H

#include "../util/util.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>

/* ---- configuration (the only global-ish state: one per server, set before start) ---- */

typedef struct wk_serve_config {
	const char *db_path; /* library database or postgresql:// URI; NULL = $WUKONG_DB or
	                        $XDG_DATA_HOME/wukong/library.db */
	const char *listen;  /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; port 0 = any */
	const char *token;   /* bearer token for /v1/; NULL = none (loopback only) */
	size_t max_upload;   /* bytes of a PDF upload, default 100 MB */
	int max_clients;     /* requests in flight before 503, default 32 */
	int timeout;         /* seconds for a whole request to arrive, and for a parse or a
	                        render; default 60 */
	size_t max_memory;   /* bytes MuPDF may hold for all uploads parsing at once, 1 GiB */
	const char *allow_hosts; /* Host names accepted besides loopback ones, comma-separated;
	                            "*" = any; NULL = loopback names only */
	int quiet;           /* 1 = no request log */
	int ocr;             /* uploads' pages without text: WK_OCR_AUTO (default), _ALWAYS, _NEVER */
	int ocr_timeout;     /* seconds added to a parse's timeout for each page needing OCR,
	                        default 30 (wk_parse_opts.ocr_page_timeout) */
	/* The model backends, over the environment and the config file (NULL: theirs). */
	const char *llm_url, *llm_model, *embed_url, *embed_model;
} wk_serve_config;

void wk_serve_config_init(wk_serve_config *cfg);

typedef struct wk_server wk_server;

/* Opens the library, binds and starts serving in background threads. Refuses (WK_EINVAL)
 * to bind a non-loopback address without a token. The caller owns *out. */
int wk_server_start(const wk_serve_config *cfg, wk_server **out, wk_error *err);
/* The port actually bound (useful with port 0). */
int wk_server_port(const wk_server *srv);
/* Stops accepting, waits for requests in flight, frees everything. NULL is fine. */
void wk_server_stop(wk_server *srv);
/* Opens libmicrohttpd (mhd_load.c) if not yet done: WK_OK, or WK_EIO saying what to install. */
int wk_mhd_load(wk_error *err);

/* ---- library handle pool: wk_library handles are not shared between threads ---- */

typedef struct wk_lib_pool wk_lib_pool;

/* Opens one handle now, so that a bad database fails at start. */
int wk_pool_new(const char *db_path, int max_handles, wk_lib_pool **out, wk_error *err);
void wk_pool_free(wk_lib_pool *pool);
/* Waits for a free handle (or opens one while under max_handles). */
int wk_pool_get(wk_lib_pool *pool, wk_library **lib, wk_error *err);
void wk_pool_put(wk_lib_pool *pool, wk_library *lib);

/* ---- requests and replies ---- */

typedef struct wk_serve_ctx {
	wk_lib_pool *pool;
	const char *pdf_dir; /* where uploaded PDFs are kept, as <sha256>.pdf */
	size_t max_upload;
	const wk_llm_opts *llm; /* NULL when no model server is configured */
	const wk_llm_opts *embed; /* NULL when no embedding server is (else hybrid sampling) */
	atomic_int *streams;    /* streamed answers still being written (ask.c) */
	int max_streams;        /* more at once get 503 */
	wk_budget *budget;      /* MuPDF memory shared by the uploads parsing at once */
	size_t max_memory;      /* its size, also each upload's own cap */
	double timeout;         /* seconds for one parse */
	int ocr;                /* wk_parse_opts.ocr of uploads */
	double ocr_timeout;     /* wk_parse_opts.ocr_page_timeout of uploads */
	pthread_mutex_t *files; /* kept PDFs change with their rows under it (files.c) */
	struct wk_png_cache *pngs; /* rendered pages and crops (render.c) */
	struct wk_progress *progress; /* uploads' pages done (progress.c) */
} wk_serve_ctx;

typedef struct wk_http_req {
	const char *method;
	const char *path; /* decoded, without the query */
	const char *dpi;  /* ?dpi= or NULL */
	const char *body; /* the request body (upload bytes for multipart), may be NULL */
	size_t body_len;
	const char *filename; /* of a multipart upload or ?name=, may be NULL */
	const char *upload_id; /* X-Upload-Id: the name of its progress, may be NULL */
	const char *password; /* of an encrypted upload: the form field "password" or the
	                         X-PDF-Password header; never logged or kept. May be NULL */
	const volatile int *cancel; /* set once the client has gone or the server stops */
} wk_http_req;

typedef struct wk_http_reply {
	int status;
	const char *content_type;
	char *body; /* owned (malloc'd), may be NULL */
	size_t len;
	const char *body_static; /* or a static body, not freed */
	const char *allow;       /* Allow header for 405 */
	int cache;               /* 1 = content addressed, may be cached */
	int stream;              /* 1 = the body is read from stream_fd as it is written */
	int stream_fd;           /* a pipe's read end, given to the response (ask.c) */
} wk_http_reply;

/* A JSON body from a jansson value (stolen: decref'd here). */
struct json_t;
void wk_reply_json(wk_http_reply *reply, int status, struct json_t *value);
/* {"error": "<printf message>"} */
void wk_reply_error(wk_http_reply *reply, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error reply for a WK_E* error from the library, with a fitting status. */
void wk_reply_wk_error(wk_http_reply *reply, const wk_error *err);
void wk_reply_free(wk_http_reply *reply);
/* The HTTP status for a WK_E* code. */
int wk_http_status_for(int code);

/* ---- the running server (daemon.c starts it, server.c runs the request cycle) ---- */

struct wk_server {
	struct MHD_Daemon *mhd;
	wk_serve_config cfg;
	char *token; /* NULL = no token */
	char *pdf_dir;
	wk_serve_ctx ctx;
	wk_llm_opts llm;
	atomic_int inflight; /* requests holding a max_clients slot */
	atomic_int uploads;  /* uploads in flight: each may hold max_upload bytes */
	atomic_int streams;  /* streamed answers whose writer thread still runs */
	volatile int stopping; /* set by wk_server_stop: parses in flight give up */
	wk_budget *budget;
	pthread_mutex_t files;
	int port;
	atomic_int running;  /* MHD started: its messages are printed, no longer kept */
	char start_msg[512]; /* MHD's first message while starting (daemon.c), as long as one it logs */
};

enum MHD_Result wk_server_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_size, void **con_cls);
void wk_server_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                            enum MHD_RequestTerminationCode toe);

/* ---- routes ---- */

typedef enum wk_route_kind {
	WK_ROUTE_NONE = 0, /* unknown path: 404 */
	WK_ROUTE_BAD,      /* a malformed id, number or path: 400 */
	WK_ROUTE_PAGE_HTML,
	WK_ROUTE_FAVICON,
	WK_ROUTE_HEALTH,
	WK_ROUTE_DOCS,
	WK_ROUTE_DOC,
	WK_ROUTE_DOC_PAGE,
	WK_ROUTE_DOC_UNIT,
	WK_ROUTE_ASK,
	WK_ROUTE_UPLOAD /* GET /v1/uploads/ID: an upload's progress */
} wk_route_kind;

#define WK_ID_MAX 64

typedef struct wk_route {
	wk_route_kind kind;
	char id[WK_ID_MAX + 1]; /* [0-9a-f]{4,64} for document routes */
	long num;               /* page (1-based) or unit idx (0-based) */
	const char *why;        /* for WK_ROUTE_BAD */
} wk_route;

void wk_route_parse(const char *path, wk_route *route);
/* 1 for an id the routes accept: [0-9a-f]{4,64}. */
int wk_route_valid_id(const char *s);
/* The methods a route accepts, "GET, POST"; NULL for none. */
const char *wk_route_allow(wk_route_kind kind);
/* 1 when `method` is allowed (HEAD counts as GET). */
int wk_route_method_ok(wk_route_kind kind, const char *method);
/* 1 when the route needs the bearer token (the API, not the page or health). */
int wk_route_needs_token(wk_route_kind kind);
/* 1 when the route reads an upload (its body limit is max_upload, not 1 MB). */
int wk_route_is_upload(const wk_route *route, const char *method);

/* ---- handlers ---- */

/* api.c: dispatches a routed request (method already checked) to its handler. */
void wk_api_handle(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                   wk_http_reply *reply);
/* ask.c: POST /v1/ask. */
void wk_api_ask(const wk_serve_ctx *ctx, const wk_http_req *req, wk_http_reply *reply);
/* render.c: GET .../pages/N.png and .../units/N.png. */
void wk_api_render(const wk_serve_ctx *ctx, const wk_route *route, const wk_http_req *req,
                   wk_http_reply *reply);
/* api.c: finds the document of a path id (a full id, a prefix or the whole hash) with a
 * borrowed handle; fills a 404/400 reply and returns non-zero when there is none. */
int wk_api_find(wk_library *lib, const char *id, wk_doc_info *info, wk_http_reply *reply);
/* api.c: the file to render a document from: the kept upload (fetched from a library
 * that keeps them), else where it was added from. 0 and a 404 reply when neither exists
 * any more. */
int wk_api_pdf_path(const wk_serve_ctx *ctx, wk_library *lib, const wk_doc_info *info,
                    char *path, size_t size, wk_http_reply *reply);

/* ---- rendered PNGs, kept in memory (render.c): a page costs its render once ---- */

struct wk_png_cache *wk_png_cache_new(void);
void wk_png_cache_free(struct wk_png_cache *cache);

/* ---- kept PDFs (files.c): a file exists only while its row does ---- */

/* After an upload was stored: writes the kept copy unless it is there, under the files
 * lock and only if the record still exists (a DELETE may have come in between: then
 * WK_ENOTFOUND). `info` is filled again from the library. */
int wk_files_keep(const wk_serve_ctx *ctx, wk_library *lib, const char *hash, const void *pdf,
                  size_t len, wk_doc_info *info, wk_error *err);
/* Removes a document's row and its kept copy together. */
int wk_files_remove(const wk_serve_ctx *ctx, wk_library *lib, const char *id, const char *hash,
                    wk_error *err);
/* Removes kept copies (and half-written ones) that no row names; returns how many. */
int wk_files_sweep(const wk_serve_ctx *ctx, wk_library *lib);
/* <pdf_dir>/<hash>.pdf */
void wk_files_path(const wk_serve_ctx *ctx, const char *hash, char *path, size_t size);

/* ---- uploads' progress (progress.c) ---- */

typedef struct wk_progress wk_progress;
struct wk_progress_slot;
wk_progress *wk_progress_new(void);
void wk_progress_free(wk_progress *p);
/* Starts the progress of upload `id` (a valid route id); NULL when there is no id or no
 * room, which only means no progress is shown. */
struct wk_progress_slot *wk_progress_begin(wk_progress *p, const char *id);
/* wk_parse_opts.on_page, with the slot as user. */
void wk_progress_on_page(void *user, int done, int total);
/* The upload is over: its status says "done" until the slot is reused. NULL is fine. */
void wk_progress_end(wk_progress *p, struct wk_progress_slot *s);
/* GET /v1/uploads/ID: {"id", "stage": "reading"|"done", "pages_done", "pages_total"}. */
void wk_api_upload_progress(wk_progress *p, const char *id, wk_http_reply *reply);

/* ---- the page (page.c) ---- */

const char *wk_page_html(size_t *len);
/* The icon browsers ask for at /favicon.ico. */
const char *wk_page_favicon(size_t *len);

#endif /* WK_SERVE_H */
