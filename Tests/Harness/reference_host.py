#!/usr/bin/python3
"""A minimal TaiDoc host, only to test the harness itself (the gateway is the real host).

    reference_host.py [--forbidden] DEVNODE...

For each device node in turn: wait for it, open it, run the safe session (wake, model,
serial, clock, count, then time and value of every record, power off) and print
"dump complete DEVNODE N"; on an I/O error print "io error DEVNODE" and go on to the next
node. --forbidden also sends 0x52 (clear memory) and 0x33 (set clock) on the first node,
so tests can see the harness report violations. Then it waits for SIGTERM.
"""

import os
import select
import sys
import termios
import time


def frame(command, payload=(0, 0, 0, 0)):
    body = bytes([0x51, command, *payload, 0xA3])
    return body + bytes([sum(body) & 0xFF])


def exchange(fd, request, expect_reply=True):
    os.write(fd, request)
    reply, limit = b"", time.monotonic() + (1.0 if expect_reply else 0.2)
    while len(reply) < 8 and time.monotonic() < limit:
        if select.select([fd], [], [], 0.05)[0]:
            reply += os.read(fd, 8 - len(reply))
    if expect_reply and len(reply) < 8:
        raise OSError("no reply to %s" % request.hex())
    return reply


def dump(node, forbidden):
    fd = os.open(node, os.O_RDWR | os.O_NOCTTY)
    try:
        attributes = termios.tcgetattr(fd)
        attributes[4] = attributes[5] = termios.B19200
        termios.tcsetattr(fd, termios.TCSANOW, attributes)
        for command in (0x22, 0x24, 0x28, 0x27, 0x23):
            exchange(fd, frame(command))
        if forbidden:
            exchange(fd, frame(0x52), expect_reply=False)
            exchange(fd, frame(0x33, (0x04, 0x27, 0x25, 0x0D)), expect_reply=False)
        count_reply = exchange(fd, frame(0x2B))
        count = count_reply[2] | (count_reply[3] << 8)
        for index in range(count):
            selector = (index & 0xFF, index >> 8, 0, 0)
            exchange(fd, frame(0x25, selector))
            exchange(fd, frame(0x26, selector))
            time.sleep(0.005)
        exchange(fd, frame(0x50))
        print("dump complete %s %d" % (node, count), flush=True)
    finally:
        os.close(fd)


def main(argv):
    forbidden = "--forbidden" in argv
    nodes = [arg for arg in argv if not arg.startswith("--")]
    for position, node in enumerate(nodes):
        limit = time.monotonic() + 30
        while not os.path.exists(node) and time.monotonic() < limit:
            time.sleep(0.02)
        try:
            dump(node, forbidden and position == 0)
        except OSError as error:
            print("io error %s: %s" % (node, error), flush=True)
    time.sleep(60)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
