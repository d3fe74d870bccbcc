#!/bin/sh
# no-globals.sh LIBRARY - fails when the library has writable static data.
#
# lib/ keeps all state in caller-owned objects (STYLE.md, "No hidden global
# state"). Constant tables of pointers live in .data.rel.ro, which is
# read-only after relocation; anything in .data or .bss is writable state.
# Section symbols ("d": debug builds list one per section, empty or not)
# and AddressSanitizer's one-definition-rule markers (__odr_asan.*) are not.
set -eu
lib=$1
bad=$(objdump -t "$lib" | awk '
    /^In archive/ { next }
    /file format/ { obj = $1; next }
    $3 == "d" || $NF ~ /^__odr_asan/ { next }
    NF >= 5 && ($4 == ".data" || $4 == ".bss" || $4 ~ /^\.(data|bss)\./) && $4 !~ /^\.data\.rel\.ro/ {
        print obj " " $NF " (" $4 ")"
    }')
if [ -n "$bad" ]; then
    echo "no-globals: writable static data in $lib:" >&2
    echo "$bad" >&2
    exit 1
fi
n=$(objdump -t "$lib" | grep -c ' \.text' || true)
echo "no-globals: no writable static data ($n text symbols checked)"
