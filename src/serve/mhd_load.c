/* mhd_load.c: libmicrohttpd, opened when `serve` starts its daemon.
 *
 * Linked statically, libmicrohttpd brought GnuTLS (with nettle's public-key half, GMP,
 * libtasn1, libidn2, libunistring and the shared p11-kit) into every process, and its
 * constructor ran gnutls_global_init (p11-kit's modules, the system's priority file) before
 * main: a cost every `wukong parse` paid for the one command that serves HTTP. The functions
 * of libmicrohttpd that wukong calls are defined here, each passing the call on to
 * libmicrohttpd.so.12 (Debian's libmicrohttpd12) opened on first use; WK_LIBMICROHTTPD names
 * another file. When it cannot be loaded, wk_mhd_load fails with a one-line message and
 * MHD_start_daemon returns NULL. */
#include "serve.h"

#include <stdarg.h>

#define MHD_FUNCTIONS(X) \
	X(MHD_start_daemon_va) X(MHD_stop_daemon) X(MHD_get_daemon_info) X(MHD_get_connection_info) \
	X(MHD_set_connection_option) X(MHD_lookup_connection_value) X(MHD_queue_response) \
	X(MHD_create_response_from_buffer) X(MHD_create_response_from_buffer_with_free_callback) \
	X(MHD_create_response_from_pipe) X(MHD_create_response_from_callback) \
	X(MHD_add_response_header) X(MHD_destroy_response) X(MHD_create_post_processor) \
	X(MHD_post_process) X(MHD_destroy_post_processor) X(MHD_http_unescape)

enum { MHD_FUNCTIONS(WK_DL_INDEX) MHD_NFUNCTIONS };
static const char *const names[] = {MHD_FUNCTIONS(WK_DL_NAME) NULL};
static const char *const files[] = {"libmicrohttpd.so.12", NULL};
static void *slots[MHD_NFUNCTIONS];
static wk_dl_lib mhd = {.what = "libmicrohttpd", .package = "libmicrohttpd12",
                        .env = "WK_LIBMICROHTTPD", .files = files, .names = names, .slots = slots};

int wk_mhd_load(wk_error *err)
{
	return wk_dl_load(&mhd, WK_EIO, "the server", err);
}

#define REAL(name) WK_DL_REAL(slots, name)

/* The entry point: NULL, as for an address that cannot be bound, when the library is absent.
 * The options pass on as a va_list, which libmicrohttpd takes too. */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
	if (!wk_dl_loaded(&mhd))
		return NULL;
	va_list ap;
	va_start(ap, dh_cls);
	struct MHD_Daemon *d = REAL(MHD_start_daemon_va)(flags, port, apc, apc_cls, dh, dh_cls, ap);
	va_end(ap);
	return d;
}

/* The rest run on a daemon, or in the callbacks of one, which only a loaded library starts. */
void MHD_stop_daemon(struct MHD_Daemon *daemon)
{
	REAL(MHD_stop_daemon)(daemon);
}

/* The info types wukong asks for take no further argument. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
	return REAL(MHD_get_daemon_info)(daemon, info_type);
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
                                                        enum MHD_ConnectionInfoType info_type, ...)
{
	return REAL(MHD_get_connection_info)(connection, info_type);
}

/* MHD_CONNECTION_OPTION_TIMEOUT takes seconds as an unsigned int, the only option so far. */
enum MHD_Result MHD_set_connection_option(struct MHD_Connection *connection,
                                          enum MHD_CONNECTION_OPTION option, ...)
{
	va_list ap;
	va_start(ap, option);
	unsigned int seconds = va_arg(ap, unsigned int);
	va_end(ap);
	return REAL(MHD_set_connection_option)(connection, option, seconds);
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key)
{
	return REAL(MHD_lookup_connection_value)(connection, kind, key);
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
	return REAL(MHD_queue_response)(connection, status_code, response);
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode)
{
	return REAL(MHD_create_response_from_buffer)(size, buffer, mode);
}

struct MHD_Response *MHD_create_response_from_buffer_with_free_callback(
    size_t size, void *buffer, MHD_ContentReaderFreeCallback crfc)
{
	return REAL(MHD_create_response_from_buffer_with_free_callback)(size, buffer, crfc);
}

struct MHD_Response *MHD_create_response_from_pipe(int fd)
{
	return REAL(MHD_create_response_from_pipe)(fd);
}

struct MHD_Response *MHD_create_response_from_callback(uint64_t size, size_t block_size,
                                                       MHD_ContentReaderCallback crc, void *crc_cls,
                                                       MHD_ContentReaderFreeCallback crfc)
{
	return REAL(MHD_create_response_from_callback)(size, block_size, crc, crc_cls, crfc);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content)
{
	return REAL(MHD_add_response_header)(response, header, content);
}

void MHD_destroy_response(struct MHD_Response *response)
{
	REAL(MHD_destroy_response)(response);
}

struct MHD_PostProcessor *MHD_create_post_processor(struct MHD_Connection *connection,
                                                    size_t buffer_size, MHD_PostDataIterator iter,
                                                    void *iter_cls)
{
	return REAL(MHD_create_post_processor)(connection, buffer_size, iter, iter_cls);
}

enum MHD_Result MHD_post_process(struct MHD_PostProcessor *pp, const char *post_data,
                                 size_t post_data_len)
{
	return REAL(MHD_post_process)(pp, post_data, post_data_len);
}

enum MHD_Result MHD_destroy_post_processor(struct MHD_PostProcessor *pp)
{
	return REAL(MHD_destroy_post_processor)(pp);
}

size_t MHD_http_unescape(char *val)
{
	return REAL(MHD_http_unescape)(val);
}
