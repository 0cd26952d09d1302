"""The meter side of a LifeScan OneTouch Ultra 2, as a test oracle.

Written from the public "DM" protocol description (LifeScan's published Ultra 2 line format
as glucometerutils and the Tidepool uploader implement it, ../../docs/protocols/onetouch-ultra2.md);
it shares no code with pocgate's Swift codec.

The host sends DC1 CR, a command, CR. Every reply line is the text, a space, the 16-bit sum
of the text's bytes as 4 upper-case hex digits, CR LF. Record 0 is the newest.

`original=True` plays the OneTouch Ultra before the Ultra 2, as a public trace of a real one
shows it (firmware `P02.00.01`): its record lines end after the value, `"  091 ", 00`, with
no meal and no comment field, and it answers DM? with `?P02.00.01   /  /   `.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_SERIAL = "GMF600DCY"
DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30, 12)
MEALS = ("N", "B", "A")
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

# Commands that change the meter: zero the log, set the clock.
FORBIDDEN = {"DMZ": "zero the log", "DMT": "set the clock"}


def line(text):
    """One reply line on the wire."""
    data = text.encode("ascii")
    return data + b" %04X\r\n" % (sum(data) & 0xFFFF)


def stamp(moment):
    return '"%s","%s","%s   "' % (DAYS[moment.weekday()], moment.strftime("%m/%d/%y"), moment.strftime("%H:%M:%S"))


@dataclass(frozen=True)
class Record:
    """One stored measurement: mg/dL value, meal N/B/A, comment 0..11."""
    index: int
    time: datetime
    value: int
    meal: str
    comment: int

    def text(self, original=False):
        if original:
            return 'P %s,"  %03d ", 00' % (stamp(self.time), self.value)
        return 'P %s,"  %03d ","%s","%02d", 00' % (stamp(self.time), self.value, self.meal, self.comment)

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:%S"), "value": self.value,
                "flags": 0, "kind": "glucose", "meal": self.meal, "comment": self.comment}


def generate_records(count, base=DEFAULT_BASE_TIME, seed=2, original=False):
    """Deterministic memory, times descending; records 2 and 3 are twins (the same second,
    value, meal and comment), as two strips read back to back. The original Ultra marks no
    meal and no comment (N, 0)."""
    state = seed & 0x7FFFFFFF
    records, moment = [], base

    def nxt(bound):
        nonlocal state
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return (state >> 8) % bound

    for index in range(count):
        if index == 3 and count > 3:
            p = records[2]
            records.append(Record(index, p.time, p.value, p.meal, p.comment))
            continue
        value, meal, comment = 40 + nxt(361), MEALS[nxt(3)], nxt(12)
        records.append(Record(index, moment, value, "N" if original else meal, 0 if original else comment))
        moment -= timedelta(minutes=17 + nxt(720), seconds=nxt(60))
    return records


class Ultra2Meter:
    """An Ultra 2 answering host commands. Pure: bytes in, bytes out, no I/O, no clock."""

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=None, original=False):
        self.records = list(records)
        self.original = original
        self.serial = serial
        newest = self.records[0].time if self.records else DEFAULT_BASE_TIME
        self.clock = clock or newest + timedelta(minutes=30)
        self.powered_off = False
        self.frames_received, self.frames_sent = [], []
        self.rejected, self.unanswered, self.violations = [], [], []
        self.values_served, self.times_served = [], []
        self.records_written = 0       # record lines the player has written to the line
        self._buffer = bytearray()

    def feed(self, data):
        """Consume host bytes; return the meter's answer. A command is DC1 CR text CR."""
        self._buffer += data
        out = bytearray()
        while True:
            start = self._buffer.find(b"\x11\r")
            if start < 0:
                if len(self._buffer) > 64:
                    self.rejected.append({"bytes": bytes(self._buffer).hex(), "reason": "no DC1 CR"})
                    self._buffer.clear()
                break
            end = self._buffer.find(b"\r", start + 2)
            if end < 0:
                break
            if start > 0:
                self.rejected.append({"bytes": bytes(self._buffer[:start]).hex(), "reason": "noise before DC1 CR"})
            command = bytes(self._buffer[start + 2:end]).decode("ascii", "replace")
            del self._buffer[:end + 1]
            out += self._answer(command)
        return bytes(out)

    def paced(self, reply):
        """The reply as its lines, for a player that sends them one by one."""
        return reply.splitlines(keepends=True)

    def wrote(self, chunk):
        self.records_written += sum(1 for line in chunk.splitlines(keepends=True) if line.startswith(b'P "'))

    def pending_bytes(self):
        return bytes(self._buffer)

    def _answer(self, command):
        self.frames_received.append(command)
        for prefix, why in FORBIDDEN.items():
            if command.startswith(prefix):
                self.violations.append({"frame": command, "command": prefix, "reason": why})
                return b""
        if command == "DM@":
            return self._reply('@ "%s"' % self.serial)
        if command == "DMF":
            return self._reply("F " + stamp(self.clock))
        if command == "DMSU?":
            return self._reply('SU?,"MG/DL "')
        if command == "DM?":
            return self._reply("?P02.00.01   /  /   " if self.original else "?P02.00.00 30/08/06")
        if command == "DMP":
            out = self._reply('P %03d,"%s","MG/DL "' % (len(self.records), self.serial))
            for r in self.records:
                self.times_served.append(r.index)
                self.values_served.append(r.index)
                out += self._reply(r.text(self.original))
            return out
        self.unanswered.append({"frame": command, "reason": "unknown command"})
        return b""

    def _reply(self, text):
        self.frames_sent.append(text)
        return line(text)

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": list(self.unanswered),
                "violations": list(self.violations), "valuesServed": list(self.values_served),
                "timesServed": list(self.times_served), "poweredOff": self.powered_off}
