#!/bin/sh
# `make checkers`: what tests/engines/ reads books with besides PyPI's packages, installed
# when missing: Debian's Chromium and calibre (apt-get, as root or with sudo) and DAISY Ace
# from npm into tests/engines/node_modules (with puppeteer's own browser download skipped:
# Ace runs Debian's Chromium through ./chromium). Safe to run again: it installs only
# what is missing. It never fails the build: on a machine where something cannot be
# installed it says so, and the tests that need it skip (except under CI=true, where they fail).
set -u
cd "$(dirname "$0")"

say() { echo "checkers: $*" >&2; }

missing=""
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v ebook-convert >/dev/null 2>&1 || missing="$missing calibre"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="no"; fi
    if [ "$sudo" = no ] || ! command -v apt-get >/dev/null 2>&1; then
        say "cannot install$missing here (needs apt-get as root): the tests that use them skip"
    else
        say "installing$missing with apt-get (a few minutes, once)"
        apt="$sudo env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0"
        # shellcheck disable=SC2086
        if ! $apt install --no-install-recommends $missing >/tmp/ficbook-checkers-apt.log 2>&1; then
            $apt update >>/tmp/ficbook-checkers-apt.log 2>&1
            $apt install --no-install-recommends $missing >>/tmp/ficbook-checkers-apt.log 2>&1 \
                || say "apt-get could not install$missing (see /tmp/ficbook-checkers-apt.log): the tests that use them skip"
        fi
    fi
fi

# node_modules/.stamp is newer than the lock file once `npm ci` has installed what it lists.
if [ ! -e node_modules/.stamp ] || [ package-lock.json -nt node_modules/.stamp ]; then
    if command -v npm >/dev/null 2>&1; then
        say "installing DAISY Ace from npm (once)"
        if PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
                npm ci --no-audit --no-fund --loglevel=error >/tmp/ficbook-checkers-npm.log 2>&1; then
            touch node_modules/.stamp
        else
            say "npm could not install DAISY Ace (see /tmp/ficbook-checkers-npm.log): the Ace test skips"
        fi
    else
        say "npm is not installed: the Ace test skips (install Node.js and npm)"
    fi
fi
exit 0
