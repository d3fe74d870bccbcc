#!/bin/sh
# check-format.sh - fails when a tracked C file differs from .clang-format.
set -eu
cd "$(dirname "$0")/.."
bad=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find lib src tests fuzz tools -name '*.[ch]'); do
    case "$f" in *.gen.c|*/generated/*) continue ;; esac
    if ! clang-format --style=file "$f" | cmp -s - "$f"; then
        echo "check-format: $f is not formatted (run 'make format')" >&2
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "check-format: all files formatted"
exit $bad
