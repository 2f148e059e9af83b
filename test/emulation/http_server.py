#!/usr/bin/python3
"""Tiny HTTP/1.1 server for the emulation corpus: accepts GET (serves files from a directory), POST and PUT
(reads and discards the body, answers 201). Keep-alive on, so several requests can share one connection."""
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _swallow(self):
        length = int(self.headers.get('Content-Length') or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        body = b'stored\n'
        self.send_response(201)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = _swallow
    do_PUT = _swallow

    def log_message(self, *args):
        pass


if __name__ == '__main__':
    address, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.chdir(root)
    http.server.ThreadingHTTPServer((address, port), Handler).serve_forever()
