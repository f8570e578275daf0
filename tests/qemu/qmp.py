# SPDX-License-Identifier: MIT
"""A small QMP client (QEMU Machine Protocol) on a unix socket, standard library only.

QMP speaks one JSON object per line: a greeting, then `{"execute": ...}` commands answered by
`{"return": ...}` or `{"error": ...}`, with asynchronous `{"event": ...}` lines in between.
This client keeps the events it reads so that a caller can wait for one (BALLOON_CHANGE).
Every read has a timeout; close() (or a `with` block) closes the socket.

Used by scripts/balloon.py (`make balloon`) and tests/qemu/balloon_test.py.
"""
import json
import socket
import time


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path, timeout=30.0):
        """Connect to the socket at path, retrying until timeout (QEMU may still be
        starting), read the greeting and leave capabilities negotiation mode."""
        end = time.time() + timeout
        while True:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                self.sock.connect(path)
                break
            except OSError as e:
                self.sock.close()
                if time.time() >= end:
                    raise QMPError(f"cannot connect to QMP socket {path}: {e}") from None
                time.sleep(0.2)
        self.buf = b""
        self.events = []
        greeting = self._read(timeout)
        if "QMP" not in greeting:
            raise QMPError(f"not a QMP greeting: {greeting}")
        self.cmd("qmp_capabilities")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _read(self, timeout):
        """The next JSON object QEMU sends (event or not), or QMPError at the timeout."""
        end = time.time() + timeout
        while b"\n" not in self.buf:
            left = end - time.time()
            if left <= 0:
                raise QMPError("QMP: no answer within %.1f s" % timeout)
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise QMPError("QMP: QEMU closed the socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, timeout=30.0, **args):
        """Run one command; its return value, or QMPError with QEMU's error text."""
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._read(timeout)
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                raise QMPError(f"{name}: {reply['error'].get('desc', reply['error'])}")
            return reply.get("return")

    def wait_event(self, name, timeout, pred=lambda data: True):
        """Wait for event `name` whose data satisfies pred (events already read count, and
        are consumed); return its data, or None at the timeout."""
        end = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name and pred(ev.get("data", {})):
                    del self.events[:i + 1]
                    return ev.get("data", {})
            left = end - time.time()
            if left <= 0:
                return None
            try:
                self.events.append(self._read(left))
            except QMPError:
                return None


def parse_size(s):
    """'256M', '1G', '4096K', '1048576' -> bytes."""
    s = s.strip().upper().removesuffix("B").removesuffix("I")
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)
