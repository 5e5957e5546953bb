#!/usr/bin/env bash
# Makes a self-signed TLS certificate and key for `tktalk --server --cert ... --key ...`.
# Usage: certs/make-cert.sh [--rsa] [--days N] [--out DIR] [HOST...]
#   HOST...     names and IP addresses clients use to reach the server (subjectAltName); the first
#               is also the subject's CN. Default: the names in san.cnf (localhost, 127.0.0.1, ::1).
#   --rsa       RSA 2048 instead of EC P-256 (the default; smaller, faster, supported everywhere)
#   --days N    validity in days (default 825)
#   --out DIR   where to write tktalk.crt and tktalk.key (mode 0600); default: the current directory
# Prints the certificate's SHA-256 fingerprint, which users compare with what their client shows.
set -euo pipefail

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; exit "${1:-2}"; }
algorithm=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
days=825
out=.
hosts=()
while [ $# -gt 0 ]; do
    case $1 in
    --rsa) algorithm=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048); shift ;;
    --days) [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "make-cert.sh: --days needs a number" >&2; exit 2; }
            days=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || { echo "make-cert.sh: --out needs a directory" >&2; exit 2; }
           out=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "make-cert.sh: unknown option $1" >&2; usage ;;
    *) hosts+=("$1"); shift ;;
    esac
done
command -v openssl >/dev/null || { echo "make-cert.sh: needs openssl (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$out"

config=$(dirname "$0")/san.cnf
# Work beside the target, so that the final mv is an atomic rename: a server reloading on SIGHUP
# never sees a half-written file.
work=$(mktemp -d "$out/.make-cert.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ ${#hosts[@]} -gt 0 ]; then
    # A copy of san.cnf with CN and the [names] section replaced by the hosts given.
    {
        sed -e '/^\[names\]/,$d' -e "s/^CN *=.*/CN = ${hosts[0]//\//_}/" "$config"
        echo "[names]"
        dns=0 ip=0
        for host in "${hosts[@]}"; do
            if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then
                echo "IP.$((++ip)) = $host"
            else
                echo "DNS.$((++dns)) = $host"
            fi
        done
    } >"$work/san.cnf"
    config=$work/san.cnf
fi

# The key is created under umask 077, so it is never readable by others, not even briefly.
(umask 077 && openssl genpkey "${algorithm[@]}" -out "$work/tktalk.key" 2>/dev/null)
openssl req -new -x509 -sha256 -days "$days" -config "$config" -key "$work/tktalk.key" -out "$work/tktalk.crt"
chmod 0600 "$work/tktalk.key"
chmod 0644 "$work/tktalk.crt"
mv "$work/tktalk.key" "$out/tktalk.key"
mv "$work/tktalk.crt" "$out/tktalk.crt"

echo "Wrote $out/tktalk.crt and $out/tktalk.key (mode 0600)"
openssl x509 -in "$out/tktalk.crt" -noout -subject -ext subjectAltName -enddate -fingerprint -sha256
echo "Start the server with: tktalk --server --cert $out/tktalk.crt --key $out/tktalk.key"
