#!/bin/sh
# Installs the Debian 12 packages that wukong's build, tests and benchmarks need.
# Run as root (or through sudo). A no-op when everything is present already.
# The wukong binary links the static archives of curl, tesseract and their dependencies
# (start-up time, see the Makefile): their -dev packages are listed one by one.
# WITH_BROWSER=0 skips Chromium and playwright-core (then the browser test fails).
# PostgreSQL (the server, for the tests' throw-away cluster: scripts/pgtmp.sh) and libpq.
# The shared libraries wukong opens on first use (src/util/dl.c: a model server, a search,
# serve, OCR, MuPDF's text layout) are named too, though their -dev packages bring them.
set -eu
PKGS="build-essential pkg-config
libmupdf-dev mupdf-tools libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libharfbuzz-dev
libfreetype-dev libjpeg-dev libpng-dev zlib1g-dev libbrotli-dev
libjansson-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libmicrohttpd-dev
libstemmer-dev libutf8proc-dev libpcre2-dev
libtesseract-dev tesseract-ocr-eng libleptonica-dev libarchive-dev
libssl-dev libgnutls28-dev nettle-dev libgmp-dev libtasn1-6-dev libp11-kit-dev libidn2-dev
libunistring-dev libnghttp2-dev librtmp-dev libssh2-1-dev libpsl-dev libldap-dev libsasl2-dev
libkrb5-dev libzstd-dev liblzma-dev liblz4-dev libbz2-dev libacl1-dev libxml2-dev libicu-dev
libgif-dev libtiff-dev libwebp-dev liblerc-dev libjbig-dev libdeflate-dev
libcmocka-dev poppler-utils zsh jq
postgresql libpq-dev
libcurl4 libmicrohttpd12 libstemmer0d libtesseract5 libharfbuzz0b
clang-14 libclang-rt-14-dev valgrind"
here=$(cd "$(dirname "$0")/.." && pwd)
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The browser test (tests/test_browser.sh) needs Debian's Chromium and playwright-core.
if [ "${WITH_BROWSER:-1}" = 1 ] && [ -f "$here/tests/browser/setup.sh" ]; then
	sh "$here/tests/browser/setup.sh"
fi
