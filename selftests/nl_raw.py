#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for the nestsw selftests (standard library
only): messages are built by hand from a small text description, so that
they can be wrong in every way a buggy or hostile client's could, and each
answer is decoded down to its extended ack TLVs.

  nl_raw.py batch FILE    run the requests of FILE, one per line, and check
                          each answer against the line's expectation; print
                          "ok DESC" or "not ok DESC" and "# ..." lines with
                          what came back and why it is wrong; exit 1 if any
                          was not ok
  nl_raw.py state         print every switch, port group and port of the
                          network namespace (dumps), one line each

A batch line is "DESC ; ERRNO ; WHERE ; REQUEST [; MSG]":
  ERRNO    0 (the request succeeds) or an errno name (EINVAL), or names
           the kernel may give instead ("EINVAL|ERANGE"); a refusal must
           also carry a non-empty extack message
  WHERE    -         nothing more
           nomsg     nothing more, and no message needed (EPERM comes from
                     the genetlink core, before the family sees the request)
           bad:PATH  the extack's offset points at the attribute PATH of
                     the request ("4" a top-level attribute of type 4,
                     "4/1" type 1 inside it)
           bad?:PATH the same, when the kernel gives an offset at all
                     (dumps: 6.1 reports only the message)
           miss:T    the extack names the missing attribute type T
  REQUEST  CMD [dump] ATTR...
           CMD is a number or a name of the spec (pg-new); ATTR is
           TYPE:KIND:VALUE with KIND one of u8 u16 u32 u64 (VALUE a number,
           or @DEV for DEV's ifindex), str (VALUE with its NUL; "" empty),
           strz (VALUE with no NUL), hex (raw bytes), mac, nest, nonest (a
           nest without NLA_F_NESTED), nesthex (a nest of raw bytes); a
           nest's VALUE is [ATTR ...]. Tokens
           are separated by spaces; in a str or strz VALUE, %XX is the
           byte XX (%20 a space, %3B a ";", %0A a newline).
  MSG      if given, the extack message must be exactly this
"""

import errno
import os
import socket
import struct
import sys
import urllib.parse

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLA_F_NESTED = 0x8000
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6

# uapi/linux/nestsw.h
CMDS = {
    "port-get": 1, "port-set": 2, "switch-get": 3, "switch-set": 4,
    "pg-new": 5, "pg-set": 6, "pg-del": 7, "pg-get": 8,
    "fdb-new": 9, "fdb-del": 10, "fdb-get": 11, "fdb-flush": 12,
}


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def parse_attrs(data):
    """[(type, payload)] of a packed attribute stream."""
    out = []
    while len(data) >= 4:
        alen, atype = struct.unpack_from("=HH", data)
        if alen < 4 or alen > len(data):
            break
        out.append((atype, data[4:alen]))
        data = data[(alen + 3) & ~3:]
    return out


class Request:
    """A request's attributes, with the byte offset of each (by path)."""

    def __init__(self, text):
        self.tokens = text.replace("[", " [ ").replace("]", " ] ").split()
        self.pos = 0
        self.paths = {}

    def next(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def attrs(self, base, prefix):
        """Packed attributes up to "]" or the end; @base: their offset."""
        out = b""
        while self.pos < len(self.tokens) and self.tokens[self.pos] != "]":
            tok = self.next()
            atype, kind, value = (tok.split(":", 2) + ["", ""])[:3]
            atype = int(atype, 0)
            path = prefix + str(atype)
            self.paths[base + len(out)] = path
            if kind in ("nest", "nonest"):
                if self.next() != "[":
                    raise ValueError("a nest needs [ATTR ...]")
                inner = self.attrs(base + len(out) + 4, path + "/")
                self.next()	# "]"
                flag = NLA_F_NESTED if kind == "nest" else 0
                out += nla(atype | flag, inner)
            elif kind == "nesthex":
                out += nla(atype | NLA_F_NESTED, bytes.fromhex(value))
            else:
                out += nla(atype, scalar(kind, value))
        return out


def scalar(kind, value):
    if value.startswith("@"):
        value = str(socket.if_nametoindex(value[1:]))
    fmt = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
    if kind in fmt:
        return struct.pack(fmt[kind], int(value, 0))
    if kind == "str":
        return urllib.parse.unquote_to_bytes(value) + b"\0"
    if kind == "strz":
        return urllib.parse.unquote_to_bytes(value)
    if kind == "hex":
        return bytes.fromhex(value)
    if kind == "mac":
        return bytes(int(b, 16) for b in value.split(":"))
    raise ValueError("unknown attribute kind " + kind)


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        self.family = self.resolve("nestsw")

    def send(self, msgtype, cmd, payload, flags):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), msgtype,
                          flags | NLM_F_REQUEST, self.seq, 0) + body
        self.sock.send(msg)
        return msg

    def answers(self):
        """Every message answering the last request, up to its ack or
        NLMSG_DONE: [(type, flags, payload)]."""
        out = []
        while True:
            data = self.sock.recv(1 << 16)
            while len(data) >= 16:
                mlen, mtype, mflags, seq, _ = struct.unpack_from("=IHHII",
                                                                 data)
                payload = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if seq != self.seq:
                    continue
                out.append((mtype, mflags, payload))
                if mtype in (NLMSG_ERROR, NLMSG_DONE):
                    return out

    def resolve(self, name):
        self.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                  nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"),
                  NLM_F_ACK)
        for mtype, _, payload in self.answers():
            if mtype == NLMSG_ERROR:
                err = struct.unpack_from("=i", payload)[0]
                if err:
                    sys.exit("nl_raw: no genetlink family %s: %s"
                             % (name, os.strerror(-err)))
            elif mtype == GENL_ID_CTRL:
                for atype, val in parse_attrs(payload[4:]):
                    if atype == CTRL_ATTR_FAMILY_ID:
                        return struct.unpack("=H", val)[0]
        sys.exit("nl_raw: no family id for " + name)

    def request(self, cmd, payload, dump):
        """Sends a request, returns (errno, extack dict, replies)."""
        flags = NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        self.send(self.family, cmd, payload, flags)
        replies = []
        for mtype, mflags, body in self.answers():
            if mtype == self.family:
                replies.append(body[4:])
                continue
            err = -struct.unpack_from("=i", body)[0]
            ext = {}
            if mflags & NLM_F_ACK_TLVS:
                if mtype == NLMSG_ERROR:
                    orig = 16 if mflags & NLM_F_CAPPED else \
                        struct.unpack_from("=I", body, 4)[0]
                    tlvs = body[4 + ((orig + 3) & ~3):]
                else:
                    tlvs = body[4:]
                ext = decode_extack(tlvs)
            return err, ext, replies
        return 0, {}, replies


def decode_extack(tlvs):
    ext = {}
    for atype, val in parse_attrs(tlvs):
        if atype == NLMSGERR_ATTR_MSG:
            ext["msg"] = val.rstrip(b"\0").decode(errors="replace")
        elif atype == NLMSGERR_ATTR_OFFS:
            ext["offs"] = struct.unpack("=I", val)[0]
        elif atype == NLMSGERR_ATTR_MISS_TYPE:
            ext["miss"] = struct.unpack("=I", val)[0]
        elif atype == NLMSGERR_ATTR_MISS_NEST:
            ext["miss_nest"] = struct.unpack("=I", val)[0]
    return ext


# The attributes start after the nlmsghdr (16) and genlmsghdr (4).
ATTR_BASE = 20


def describe(err, ext, req):
    name = errno.errorcode.get(err, str(err)) if err else "0"
    out = ["errno " + name]
    if "msg" in ext:
        out.append("msg '%s'" % ext["msg"])
    else:
        out.append("no message")
    if "offs" in ext:
        path = req.paths.get(ext["offs"] - ATTR_BASE,
                             "offset %d" % ext["offs"])
        out.append("bad attribute " + path)
    if "miss" in ext:
        out.append("missing attribute %d" % ext["miss"])
        if "miss_nest" in ext:
            out.append("in the nest at offset %d" % ext["miss_nest"])
    return ", ".join(out)


def check(err, ext, req, want_errno, where, want_msg):
    """Why the answer is not the expected one, or None."""
    want = [0 if e == "0" else getattr(errno, e)
            for e in want_errno.split("|")]
    if err not in want:
        return "wrong errno"
    if not err:
        return None
    kind, _, arg = where.partition(":")
    if not ext.get("msg") and kind != "nomsg":
        return "no extack message"
    if want_msg is not None and ext.get("msg") != want_msg:
        return "the extack message is not '%s'" % want_msg
    path = req.paths.get(ext["offs"] - ATTR_BASE) if "offs" in ext else None
    if kind == "bad" and path != arg:
        return "the extack does not point at attribute " + arg
    if kind == "bad?" and "offs" in ext and path != arg:
        return "the extack points elsewhere than attribute " + arg
    if kind == "miss" and ext.get("miss") != int(arg):
        return "the extack does not name missing attribute " + arg
    return None


def batch(genl, path):
    failed = 0
    with open(path) as f:
        lines = [l.strip() for l in f]
    for line in lines:
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(";", 4)]
        desc, want_errno, where, text = parts[:4]
        want_msg = parts[4] if len(parts) > 4 else None
        req = Request(text)
        cmd = req.next()
        cmd = CMDS[cmd] if cmd in CMDS else int(cmd, 0)
        dump = req.pos < len(req.tokens) and req.tokens[req.pos] == "dump"
        if dump:
            req.pos += 1
        try:
            payload = req.attrs(0, "")
        except (OSError, ValueError) as e:
            print("not ok %s\n# cannot build '%s': %s" % (desc, text, e))
            failed += 1
            continue
        err, ext, _ = genl.request(cmd, payload, dump)
        why = check(err, ext, req, want_errno, where, want_msg)
        print("%s %s" % ("not ok" if why else "ok", desc))
        if why:
            print("# %s: %s" % (text, describe(err, ext, req)))
            print("# want errno %s%s: %s" % (
                want_errno, "" if where == "-" else ", " + where, why))
            failed += 1
    return 1 if failed else 0


def show(attrs, depth=0):
    out = []
    for atype, val in attrs:
        nested = parse_attrs(val) if atype & NLA_F_NESTED else None
        if nested is not None:
            out.append("%d{%s}" % (atype & 0x3fff, show(nested, depth + 1)))
        else:
            out.append("%d=%s" % (atype, val.hex()))
    return " ".join(out)


def state(genl):
    """Everything the family shows, in a stable order."""
    lines = []
    switches = []
    for what, cmd in (("switch", "switch-get"), ("port", "port-get")):
        err, ext, replies = genl.request(CMDS[cmd], b"", True)
        if err:
            sys.exit("nl_raw: %s dump: %s" % (what, describe(err, ext,
                                                            Request(""))))
        for r in replies:
            attrs = parse_attrs(r)
            lines.append(what + " " + show(attrs))
            if what == "switch":
                switches += [v for t, v in attrs if t == 1]
    for ifindex in switches:
        err, ext, replies = genl.request(CMDS["pg-get"], nla(1, ifindex),
                                         True)
        if err:
            sys.exit("nl_raw: pg dump: " + describe(err, ext, Request("")))
        lines += ["pg " + show(parse_attrs(r)) for r in replies]
        err, ext, replies = genl.request(CMDS["fdb-get"], nla(1, ifindex),
                                         True)
        if err:
            sys.exit("nl_raw: fdb dump: " + describe(err, ext, Request("")))
        # the age of learned entries moves on by itself: left out
        lines += sorted("fdb " + show([(t, v) for t, v in parse_attrs(r)
                                       if t != 6]) for r in replies)
    print("\n".join(lines))
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "batch":
        return batch(Genl(), sys.argv[2])
    if len(sys.argv) == 2 and sys.argv[1] == "state":
        return state(Genl())
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
