# wukong: make, make test [SANITIZE=1], make bench, make install PREFIX=..., make fuzz
#
# Sources are found by wildcard: a new src/<stage>/<module>.c joins libwukong.a, a new
# tests/test_<name>.c becomes a test program, a new bench/<name>.c a benchmark.

CC      ?= gcc
PREFIX  ?= /usr/local
SANITIZE ?= 0

ifeq ($(SANITIZE),1)
BUILD   ?= build/san
OPT     ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN   = -fsanitize=address,undefined
else
BUILD   ?= build
OPT     ?= -O2 -g
LDSAN   =
endif

PKGS     = jansson libcurl sqlite3 libmicrohttpd libutf8proc libpcre2-8 tesseract lept zlib nettle
CPPFLAGS += -Iinclude -D_GNU_SOURCE $(shell pkg-config --cflags mupdf $(PKGS) libpq libopenjp2)
CFLAGS   += -std=c11 -Wall -Wextra -Wno-missing-field-initializers -pthread $(OPT) -MMD -MP
ifeq ($(SANITIZE),1)
LDLIBS   += $(shell pkg-config --static --libs mupdf) -lharfbuzz \
            $(shell pkg-config --libs $(PKGS)) -lstemmer -lgomp -lpthread -lm
else
# Start-up time (bench/startup.sh): every shared library costs the loader relocations and
# symbol lookups at each command, so Debian's static archives are linked (grouped: they
# depend on each other). Shared stay the libraries that have no archive (harfbuzz,
# gssapi_krb5, p11-kit), those harfbuzz loads anyway (so none is in the process twice)
# and sasl2 (its archive needs Berkeley DB). libstdc++ and libgcc are static too. libpq
# (the PostgreSQL library) is not linked: src/store/pq_load.c opens it on first use, as
# the 22 libraries it loads doubled the start-up of every command (Debian ships its
# archive without the libpgcommon and libpgport archives it needs).
# SANITIZE=1 builds keep the dynamic link above (libasan first, as the sanitizers expect;
# nothing there is timed).
SHARED_LIBS = -lharfbuzz -lfreetype -lpng16 -lz -lbrotlidec -lbrotlicommon -lpcre2-8 \
              -lgssapi_krb5 -lsasl2 -lp11-kit -lpthread -lm
STATIC_PKGS = mupdf $(PKGS) libarchive libxml-2.0 libtiff-4 libwebpmux
LDLIBS   += -Wl,-Bstatic -Wl,--start-group -lstemmer -lgomp -lstdc++ \
            $(filter-out $(SHARED_LIBS),$(shell pkg-config --static --libs $(STATIC_PKGS))) \
            -Wl,--end-group -Wl,-Bdynamic $(SHARED_LIBS)
LDFLAGS  += -static-libgcc
endif
LDFLAGS  += -pthread $(LDSAN)
# Every JPEG 2000 decode in the process goes through one lock (src/pdf/context.c).
JPX_WRAP  = -Wl,--wrap=fz_load_jpx -Wl,--wrap=fz_load_jpx_info
LDFLAGS  += $(JPX_WRAP)

LIB_SRC   = $(sort $(wildcard src/*/*.c))
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC   = $(sort $(wildcard cli/*.c))
CLI_OBJ   = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SUPPORT_SRC = $(sort $(wildcard tests/support/*.c))
TEST_SUPPORT_OBJ = $(TEST_SUPPORT_SRC:%.c=$(BUILD)/%.o)
TEST_SRC  = $(sort $(wildcard tests/test_*.c))
TEST_BIN  = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_TOOL_SRC = $(sort $(wildcard tests/tools/*.c))
TEST_TOOL_BIN = $(TEST_TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

LIB = $(BUILD)/libwukong.a
BIN = $(BUILD)/wukong

.PHONY: all test bench install uninstall clean fuzz fuzz-pack fuzz-budget tests
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# The web page is embedded into page.o by the assembler (.incbin), which -MMD cannot see.
$(BUILD)/src/serve/page.o: src/serve/web/index.html src/serve/web/favicon.ico

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TEST_SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(LDLIBS) -lcmocka

$(BUILD)/tests/tools/%: $(BUILD)/tests/tools/%.o $(TEST_SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(LDLIBS)

# Benchmarks may use the test fixtures (the fake model server, generated PDFs).
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(TEST_SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(TEST_SUPPORT_OBJ) $(LIB) $(LDLIBS)

tests: $(BIN) $(TEST_BIN) $(TEST_TOOL_BIN)

# The test runner prints "N passed, N failed" last; it needs no ../shared.
test: tests
	@WK_BUILD=$(BUILD) WK_SANITIZE=$(SANITIZE) sh tests/run.sh $(BUILD) $(T)

bench: $(BIN) $(BENCH_BIN)

fuzz:
	$(MAKE) -f tests/fuzz/Makefile FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

fuzz-pack:
	$(MAKE) -f tests/fuzz/Makefile pack FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

fuzz-budget:
	$(MAKE) -f tests/fuzz/Makefile budget FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

# wukong.pc is written at install time: it names the PREFIX it is installed under.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/wukong
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libwukong.a
	install -m 644 include/wukong.h $(DESTDIR)$(PREFIX)/include/wukong.h
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	           $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 man/wukong.1 $(DESTDIR)$(PREFIX)/share/man/man1/wukong.1
	install -m 644 completions/wukong.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wukong
	install -m 644 completions/_wukong $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wukong
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@PKGS@|$(PKGS)|g' \
	    -e 's|@VERSION@|$(shell sed -n 's/^#define WK_VERSION "\(.*\)"/\1/p' include/wukong.h)|g' \
	    -e 's|@MUPDF_LIBS@|$(JPX_WRAP) $(shell pkg-config --static --libs mupdf)|g' \
	    wukong.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/wukong.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/wukong $(DESTDIR)$(PREFIX)/lib/libwukong.a \
	      $(DESTDIR)$(PREFIX)/include/wukong.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/wukong.pc \
	      $(DESTDIR)$(PREFIX)/share/man/man1/wukong.1 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/wukong \
	      $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_wukong

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d) $(TEST_SUPPORT_OBJ:.o=.d) $(BENCH_BIN:=.d)
.SECONDARY:
