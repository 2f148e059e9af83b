#!/usr/bin/env bash
# Records the benchmark captures from real traffic between two network namespaces joined by a veth pair
# (MTU 1500, segmentation offloads off so packets on the wire are real 1500-byte frames). Needs root.
# Traffic never leaves the namespaces this script creates; they are deleted on exit.
#   bulk.pcap:  HTTP downloads and uploads (curl against python3 -m http.server), SSH-less mixed sizes, DNS-like UDP
#   small.pcap: many small UDP datagrams: 24-byte DNS queries (random names) to port 5353, answered NXDOMAIN
# Usage: bench/record-captures.sh OUTDIR [BULK_MIB]
set -euo pipefail
out=${1:?output directory}
bulk_mib=${2:-1100}
mkdir -p "$out"
ns_a=exfil-bench-a-$$
ns_b=exfil-bench-b-$$
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  ip netns del "$ns_a" 2>/dev/null || true
  ip netns del "$ns_b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add veth-a netns "$ns_a" type veth peer name veth-b netns "$ns_b"
ip -n "$ns_a" addr add 10.77.0.1/24 dev veth-a
ip -n "$ns_b" addr add 10.77.0.2/24 dev veth-b
for ns in "$ns_a" "$ns_b"; do
  ip -n "$ns" link set lo up
  dev=$([ "$ns" = "$ns_a" ] && echo veth-a || echo veth-b)
  ip -n "$ns" link set "$dev" mtu 1500 up
  ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off >/dev/null 2>&1 || true
done
# Server content: random (incompressible) files of mixed sizes.
mkdir -p "$work/www"
head -c $((64 * 1024 * 1024)) /dev/urandom > "$work/www/big.bin"
head -c $((1024 * 1024)) /dev/urandom > "$work/www/mid.bin"
head -c 2000 /dev/urandom > "$work/www/small.bin"
(cd "$work/www" && exec ip netns exec "$ns_b" python3 -m http.server 8080 --bind 10.77.0.2 >/dev/null 2>&1) &
python3 - "$work/upload.py" <<'PY'
import sys
open(sys.argv[1], 'w').write('''
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        while n > 0:
            n -= len(self.rfile.read(min(n, 65536)))
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("10.77.0.2", 8081), H).serve_forever()
''')
PY
ip netns exec "$ns_b" python3 "$work/upload.py" &
sleep 1

record() { # name, bytes to capture, traffic command
  local name=$1 limit=$2
  shift 2
  ip netns exec "$ns_a" tcpdump -i veth-a -s 0 -B 65536 -w "$out/$name.pcap" -U >/dev/null 2>&1 &
  local dump=$!
  sleep 1
  "$@"
  sleep 1
  kill -INT "$dump"
  wait "$dump" || true
}

bulk_traffic() {
  local target=$((bulk_mib * 1024 * 1024))
  while [ "$(stat -c %s "$out/bulk.pcap" 2>/dev/null || echo 0)" -lt "$target" ]; do
    ip netns exec "$ns_a" curl -s -o /dev/null http://10.77.0.2:8080/big.bin
    for _ in $(seq 20); do ip netns exec "$ns_a" curl -s -o /dev/null http://10.77.0.2:8080/mid.bin; done
    for _ in $(seq 20); do ip netns exec "$ns_a" curl -s -o /dev/null http://10.77.0.2:8080/small.bin; done
    ip netns exec "$ns_a" curl -s -o /dev/null --data-binary @"$work/www/mid.bin" http://10.77.0.2:8081/up
  done
}

small_traffic() {
  ip netns exec "$ns_b" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.77.0.2", 5353))
while True:
    data, peer = s.recvfrom(2048); s.sendto(data[:2] + b"\x81\x83" + data[4:], peer)' &
  local echo=$!
  sleep 0.5
  ip netns exec "$ns_a" python3 -c '
import socket, random, string, struct
for port in range(20000, 20400):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.77.0.1", port)); s.settimeout(0.2)
    for i in range(2500):
        label = "".join(random.choices(string.ascii_lowercase, k=6)).encode()
        query = struct.pack(">HHHHHH", random.getrandbits(16), 0x0100, 1, 0, 0, 0) + b"\x06" + label + b"\x00" + struct.pack(">HH", 1, 1)
        s.sendto(query, ("10.77.0.2", 5353))
        if i % 50 == 0:
            try: s.recv(2048)
            except OSError: pass
    s.close()'
  kill "$echo"
}

record bulk 0 bulk_traffic
record small 0 small_traffic
ls -l "$out"
