#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser/).
# Installs it (apt-get update once, then --no-install-recommends chromium) when it is missing and
# we are root; otherwise says why not and exits 0: the tests then skip, or fail under CI=true.
# Never runs `playwright install` (browser downloads are not available here).
set -u
CHROMIUM="${NEWSGRAPH_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "ensure_chromium: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null | head -1))"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: $CHROMIUM missing and not root: not installing (browser tests will skip;" \
         "as root: apt-get install -y --no-install-recommends chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM missing and no apt-get on this machine: not installing"
    exit 0
fi
echo "ensure_chromium: installing Debian chromium (apt-get update + --no-install-recommends chromium)"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "ensure_chromium: installed $("$CHROMIUM" --version 2>/dev/null | head -1)"
else
    echo "ensure_chromium: apt-get failed: browser tests will skip (or fail under CI=true)"
fi
exit 0
