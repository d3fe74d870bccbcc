#!/bin/sh
# deps.sh - install the Debian packages a make target needs, if missing.
#
#   tools/deps.sh build   what `make` needs
#   tools/deps.sh check   what `make check` needs (tests, reference tools, MTAs)
#   tools/deps.sh bench   what `make bench` needs
#   tools/deps.sh fuzz    what `make fuzz` needs
#
# Non-interactive apt-get (after apt-get update), via sudo when not root.
# Installs nothing when every package is present, so it is cheap to call.
set -eu

build="meson ninja-build pkg-config gcc python3 libsqlite3-dev zlib1g-dev libjson-c-dev libssl-dev"
check="$build clang clang-format libclang-rt-14-dev sqlite3 testssl.sh gnutls-bin
  postfix postfix-pcre swaks libnet-ssleay-perl libio-socket-ssl-perl openssl iproute2 procps
  util-linux chromium postfix-policyd-spf-python dnsmasq-base"
bench="$build pflogsumm time sqlite3"
fuzz="$build clang libclang-rt-14-dev"

case "${1:-build}" in
build) want=$build ;;
check) want=$check ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
*) echo "usage: $0 build|check|bench|fuzz" >&2; exit 64 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps.sh: missing Debian packages:$missing (run as root or install sudo)" >&2
    exit 69
fi

echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Install Postfix's files without configuring or starting a system instance:
# the tests run their own instances with private configuration directories.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
    $SUDO chmod 755 $policy
fi
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
[ -n "$policy" ] && $SUDO rm -f "$policy"
exit 0
