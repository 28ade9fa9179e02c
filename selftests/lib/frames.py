#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send crafted Ethernet frames out of a device, on request.

Usage: frames.py DEV CMD_FIFO ACK_FIFO

A guest's side of a port, for tests that need frames a socket would not
send: a source MAC that is not the device's own (forged transmits), or
any destination MAC without ARP. Each line read from CMD_FIFO,

    SRC DST PORT COUNT

sends COUNT IPv4/UDP frames from MAC SRC to MAC DST, 10.0.0.200:PORT to
10.0.0.77:PORT (an address no test uses: no guest answers), and then
writes "sent COUNT" to ACK_FIFO. "ready" is written there first.

DEV is either a device of this network namespace, written to through a
packet socket (a veth peer in a guest's namespace: the frames leave it
towards the switch), or a tap device, which this process attaches to as
the guest's hypervisor would: the frames are written to it (the switch
receives them), and what the switch sends to it is read and thrown away,
so that it has a carrier. It stays attached until killed.
"""

import fcntl
import os
import select
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def mac(text):
    return bytes(int(b, 16) for b in text.split(":"))


def checksum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def frame(src, dst, port):
    payload = b"nestsw selftest"
    udp = struct.pack("!HHHH", port, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, bytes([10, 0, 0, 200]), bytes([10, 0, 0, 77]))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return mac(dst) + mac(src) + b"\x08\x00" + ip + udp


def open_dev(dev):
    """(write function, fd to drain or None)"""
    if os.path.exists("/sys/class/net/%s/tun_flags" % dev):
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF,
                    struct.pack("16sH", dev.encode(), IFF_TAP | IFF_NO_PI))
        return (lambda f: os.write(fd, f)), fd
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    sock.bind((dev, 0))
    return sock.send, None


def main():
    dev, cmd_path, ack_path = sys.argv[1:4]
    write, drain = open_dev(dev)
    cmd = os.open(cmd_path, os.O_RDWR)
    ack = os.open(ack_path, os.O_RDWR)
    os.write(ack, b"ready\n")
    fds = [cmd] + ([drain] if drain is not None else [])
    buf = b""
    while True:
        ready, _, _ = select.select(fds, [], [])
        if drain in ready:
            os.read(drain, 65536)
        if cmd not in ready:
            continue
        buf += os.read(cmd, 4096)
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            src, dst, port, count = line.decode().split()
            f = frame(src, dst, int(port))
            for _ in range(int(count)):
                write(f)
            os.write(ack, b"sent %s\n" % count.encode())


if __name__ == "__main__":
    main()
