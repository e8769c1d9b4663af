#!/bin/sh
# build.sh: compiles the spandsp peer driver (spandsp_dtmf_rx.c) into
# $DTMF_PEERS_BIN (default $HOME/.cache/dtmf-peers) and prints its path.
# Needs gcc and Debian's libspandsp-dev. Rebuilds only when the source is
# newer than the binary, so it is cheap to call before every use.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${DTMF_PEERS_BIN:-$HOME/.cache/dtmf-peers}
out=$bin/spandsp_dtmf_rx
if [ -x "$out" ] && [ ! "$here/spandsp_dtmf_rx.c" -nt "$out" ]; then
    echo "$out"
    exit 0
fi
cc=${CC:-gcc}
if ! echo '#include <spandsp.h>' | "$cc" -E -x c - >/dev/null 2>&1; then
    echo "build.sh: cannot compile against spandsp: apt-get install gcc libspandsp-dev" >&2
    exit 2
fi
mkdir -p "$bin"
# -Wno-deprecated-declarations: spandsp 0.0.6's headers mark some of their
# own inline helpers deprecated.
"$cc" -std=c11 -O2 -Wall -Wextra -Werror -Wno-deprecated-declarations \
    -o "$out.tmp.$$" "$here/spandsp_dtmf_rx.c" -lspandsp -lm
mv "$out.tmp.$$" "$out"
echo "$out"
