#!/bin/sh
# Installs what tests/test_browser.sh needs: Debian's Chromium, Node.js and npm, and
# playwright-core from package-lock.json. Run as root (or with sudo). Idempotent.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	echo "installing:$missing" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
cd "$here"
if [ ! -d node_modules/playwright-core ]; then
	# playwright-core never downloads browsers: the test uses /usr/bin/chromium.
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
