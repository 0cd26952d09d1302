#!/usr/bin/python3
"""The meter side of a Menarini GlucoMen areo, as a test oracle.

Written from the public protocol description (glucometerutils' glucomenareo driver;
../../docs/protocols/glucomen-areo.md); it shares no code with pocgate's Swift codec, and its
checksum is PyPI crcmod's "crc-8-maxim".

The host sends single bytes: 0xA2 (information) and 0x80 (readings) are answered; 0xC2 (the
start of set date/time) and every other byte are rejected loudly (recorded as a violation,
printed to stderr, never answered). A reply is `[` CR LF, content lines, the CRC-8/MAXIM of
every byte before the checksum line as two uppercase hex digits, `]` CR LF. Information: one
line `AREO,01,00,<serial padded with spaces>,<firmware>`; readings: one line
`Glu,value,unit,marking,yymmdd,HHMM` per stored reading, newest first, or the single line
0x90 0x3D when the memory is empty.

    python3 glucomen_areo_meter.py --pty [--records N] [--empty]

serves a fresh pseudo-terminal: prints its slave path on stdout, answers on the master until
stdin closes, then prints one JSON line: {"received": [hex of every byte the host sent],
"violations": [...], "valuesServed": [...]}.
"""

import argparse
import json
import os
import select
import sys
import tty
from dataclasses import dataclass
from datetime import datetime, timedelta

import crcmod.predefined

CRC8_MAXIM = crcmod.predefined.mkPredefinedCrcFun("crc-8-maxim")
DEFAULT_SERIAL = "GM7654321"
FIRMWARE = "V1.03"
DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30)
MARKINGS = ("00", "02", "04", "00")
INFO, READINGS = 0xA2, 0x80
FORBIDDEN = {0xC2: "set date and time"}


def block(lines):
    """A reply block around `lines` (bytes each), its checksum computed."""
    head = b"[\r\n" + b"".join(line + b"\r\n" for line in lines)
    return head + b"%02X\r\n]\r\n" % CRC8_MAXIM(head)


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int
    marking: str

    def line(self):
        return b"Glu,%d,mg/dL,%s,%s" % (self.value, self.marking.encode(), self.time.strftime("%y%m%d,%H%M").encode())

    def as_json(self):
        """The harness's expected record; `flags` is the marking code as a number."""
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:00"), "value": self.value,
                "flags": int(self.marking), "kind": "glucose"}


def generate_records(count, base=DEFAULT_BASE_TIME, seed=11):
    """Deterministic memory, newest first, minutes descending; markings 00/02/04 only."""
    state = seed & 0x7FFFFFFF
    records, moment = [], base

    def nxt(bound):
        nonlocal state
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return (state >> 8) % bound

    for index in range(count):
        records.append(Record(index, moment, 40 + nxt(400), MARKINGS[index % len(MARKINGS)]))
        moment -= timedelta(hours=3 + nxt(100), minutes=nxt(60))
    return records


class AreoMeter:
    """A GlucoMen areo answering host bytes. Pure: bytes in, bytes out."""

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=None):
        self.records = list(records)
        self.serial = serial
        self.clock = clock   # the meter has no clock-read command; kept for the harness
        self.powered_off = False
        self.received = bytearray()
        self.frames_received, self.frames_sent = [], []
        self.rejected, self.unanswered, self.violations = [], [], []
        self.values_served, self.times_served = [], []

    def feed(self, data):
        out = bytearray()
        for byte in data:
            self.received.append(byte)
            self.frames_received.append("%02X" % byte)
            out += self._answer(byte)
        return bytes(out)

    def pending_bytes(self):
        return b""

    def _answer(self, byte):
        if byte in FORBIDDEN:
            self.violations.append({"frame": "%02X" % byte, "command": "%02X" % byte, "reason": FORBIDDEN[byte]})
            sys.stderr.write("glucomen_areo_meter: VIOLATION: host sent 0x%02X (%s)\n" % (byte, FORBIDDEN[byte]))
            return b""
        if byte == INFO:
            reply = block([b"AREO,01,00,  %s ,%s" % (self.serial.encode(), FIRMWARE.encode())])
        elif byte == READINGS:
            if self.records:
                reply = block([r.line() for r in self.records])
                for r in self.records:
                    self.values_served.append(r.index)
                    self.times_served.append(r.index)
            else:
                reply = block([b"\x90\x3d"])
        else:
            self.rejected.append({"bytes": "%02X" % byte, "reason": "not an areo command"})
            sys.stderr.write("glucomen_areo_meter: REJECTED: host sent 0x%02X\n" % byte)
            return b""
        self.frames_sent.append(reply.decode("latin-1"))
        return reply

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": list(self.unanswered),
                "violations": list(self.violations), "valuesServed": list(self.values_served),
                "timesServed": list(self.times_served), "poweredOff": self.powered_off}


def serve_pty(meter):
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    print(os.ttyname(slave), flush=True)
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([master, stdin], [], [], 30)
        if not ready:
            break
        if stdin in ready and not os.read(stdin, 64):
            break
        if master in ready:
            try:
                data = os.read(master, 256)
            except OSError:
                continue
            reply = meter.feed(data)
            if reply:
                os.write(master, reply)
    print(json.dumps({"received": meter.received.hex(), "violations": meter.violations,
                      "rejected": meter.rejected, "valuesServed": meter.values_served}), flush=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pty", action="store_true", help="serve a pseudo-terminal until stdin closes")
    parser.add_argument("--records", type=int, default=5)
    parser.add_argument("--serial", default=DEFAULT_SERIAL)
    parser.add_argument("--print-records", action="store_true", help="print the generated memory as JSON")
    args = parser.parse_args(argv)
    meter = AreoMeter(generate_records(args.records), serial=args.serial)
    if args.print_records:
        print(json.dumps([r.as_json() for r in meter.records]))
        return 0
    if args.pty:
        serve_pty(meter)
        return 0
    parser.print_usage()
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
