#!/bin/sh
# Installs the Debian 12 packages that wukong's build, tests and benchmarks need.
# Run as root (or through sudo). A no-op when everything is present already.
# WITH_BROWSER=0 skips Chromium and playwright-core (then the browser test fails).
set -eu
PKGS="build-essential pkg-config
libmupdf-dev mupdf-tools libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libharfbuzz-dev
libfreetype-dev libjpeg-dev libpng-dev zlib1g-dev libbrotli-dev
libjansson-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libmicrohttpd-dev
libstemmer-dev libutf8proc-dev libpcre2-dev
libtesseract-dev tesseract-ocr-eng libleptonica-dev libarchive-dev
libcmocka-dev poppler-utils
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
