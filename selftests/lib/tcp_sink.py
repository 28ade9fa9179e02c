# SPDX-License-Identifier: GPL-2.0
"""A TCP peer for the offload tests.

  tcp_sink.py listen ADDR PORT OUT    accept one connection, read it to the
                                      end, write "BYTES SHA256" to OUT
  tcp_sink.py send ADDR PORT BYTES    connect, send BYTES of a fixed
                                      pattern, print "BYTES SHA256"

The pattern is the same on both sides, so the two lines are equal when the
stream arrived whole and in order.
"""
import hashlib
import socket
import sys

CHUNK = 65536


def pattern():
    return bytes(range(256)) * (CHUNK // 256)


def listen(addr, port, out):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(1)
    conn, _ = srv.accept()
    digest, total = hashlib.sha256(), 0
    while True:
        data = conn.recv(CHUNK)
        if not data:
            break
        digest.update(data)
        total += len(data)
    with open(out, "w", encoding="ascii") as f:
        f.write(f"{total} {digest.hexdigest()}\n")


def send(addr, port, nbytes):
    left, chunk = int(nbytes), pattern()
    digest = hashlib.sha256()
    with socket.create_connection((addr, int(port)), timeout=60) as conn:
        while left:
            data = chunk[:min(left, CHUNK)]
            conn.sendall(data)
            digest.update(data)
            left -= len(data)
    print(f"{nbytes} {digest.hexdigest()}")


if __name__ == "__main__":
    {"listen": listen, "send": send}[sys.argv[1]](*sys.argv[2:])
