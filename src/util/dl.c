/* dl.c: shared libraries opened the first time a command needs them.
 *
 * Each library linked into wukong costs every process its relocations and page faults at
 * start (docs/speed.md): libcurl brought OpenSSL, libssh2, LDAP and Kerberos, libstemmer
 * every Snowball language, libmicrohttpd GnuTLS and its initialisation, all paid by each
 * `wukong parse` although only a model backend, a search or `serve` uses them. Such a
 * library is described by a wk_dl_lib (the files to try, the symbols wanted) and opened by
 * wk_dl_load on first use; a module then defines the library's functions it calls, each
 * passing the call on (src/answer/curl_load.c and the like), so its callers keep the
 * library's documented API. A missing library is a one-line error naming the Debian
 * package to install. */
#include "util.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* One lock for all libraries: loading is rare, and dlopen takes its own lock anyway. */
static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

static void *open_first(wk_dl_lib *lib, const char **opened)
{
	const char *named = lib->env ? getenv(lib->env) : NULL;
	if (named && *named) {
		*opened = named;
		return dlopen(named, RTLD_NOW | RTLD_LOCAL);
	}
	void *handle = NULL;
	for (int i = 0; lib->files[i] && !handle; i++) {
		*opened = lib->files[i];
		handle = dlopen(lib->files[i], RTLD_NOW | RTLD_LOCAL);
	}
	return handle;
}

static void load_locked(wk_dl_lib *lib)
{
	const char *file = lib->files[0];
	void *handle = open_first(lib, &file);
	if (!handle) {
		const char *why = dlerror();
		snprintf(lib->problem, sizeof lib->problem, "cannot load %s (%s)", file,
		         why ? why : "not found");
		__atomic_store_n(&lib->state, -1, __ATOMIC_RELEASE);
		return;
	}
	for (int i = 0; lib->names[i]; i++) {
		lib->slots[i] = dlsym(handle, lib->names[i]);
		if (!lib->slots[i]) {
			snprintf(lib->problem, sizeof lib->problem, "%s lacks %s (too old a version)", file,
			         lib->names[i]);
			__atomic_store_n(&lib->state, -1, __ATOMIC_RELEASE);
			return; /* the handle stays open: harmless, and the process tries only once */
		}
	}
	__atomic_store_n(&lib->state, 1, __ATOMIC_RELEASE);
}

bool wk_dl_loaded(wk_dl_lib *lib)
{
	int state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
	if (state == 0) {
		pthread_mutex_lock(&dl_lock);
		if (__atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 0)
			load_locked(lib);
		pthread_mutex_unlock(&dl_lock);
		state = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
	}
	return state == 1;
}

int wk_dl_load(wk_dl_lib *lib, int code, const char *purpose, wk_error *err)
{
	if (wk_dl_loaded(lib))
		return WK_OK;
	return wk_set_error(err, code, "%s needs %s: %s; install %s", purpose, lib->what,
	                    lib->problem, lib->package);
}
