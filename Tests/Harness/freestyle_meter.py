"""The meter side of an Abbott FreeStyle Optium, as a test oracle.

Written from the public protocol description (glucometerutils' fsoptium driver and its
result-line expression, glucometer-protocols' freestyle-optium notes;
../../docs/protocols/freestyle-optium.md); it shares no code with pocgate's Swift codec.

Commands end with CR LF; the meter ignores the first command after it is plugged in. `$xmem`
answers: CR LF, serial, version, clock `Mmmm DD YYYY HH:MM:SS`, a three-digit count, one line
`VVV  Mmmm DD YYYY HH:MM G 0x00` per result (newest first), then `0xHHHH  END` where HHHH is
the 16-bit sum of every character before `0x`, line endings included, then `CMD OK`.
Month names: three letters and a space, `June` and `July` in full.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_SERIAL = "QAGP123-45678"
DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30)
MONTHS = ("Jan ", "Feb ", "Mar ", "Apr ", "May ", "June", "July", "Aug ", "Sep ", "Oct ", "Nov ", "Dec ")
FORBIDDEN = {"$tim": "set the clock"}


def month_day_year(moment):
    return "%s %02d %04d" % (MONTHS[moment.month - 1], moment.day, moment.year)


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int

    def text(self):
        return "%03d  %s %s G 0x00" % (self.value, month_day_year(self.time), self.time.strftime("%H:%M"))

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:00"), "value": self.value,
                "flags": 0, "kind": "glucose"}


def generate_records(count, base=DEFAULT_BASE_TIME, seed=5):
    """Deterministic memory, minutes descending across months (June/July spelled in full);
    records 2 and 3 are twins (same minute and value)."""
    state = seed & 0x7FFFFFFF
    records, moment = [], base

    def nxt(bound):
        nonlocal state
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return (state >> 8) % bound

    for index in range(count):
        if index == 3 and count > 3:
            records.append(Record(index, records[2].time, records[2].value))
            continue
        records.append(Record(index, moment, 20 + nxt(480)))
        moment -= timedelta(hours=5 + nxt(200))
    return records


class OptiumMeter:
    """A FreeStyle Optium answering host commands. Pure: bytes in, bytes out."""

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=None):
        self.records = list(records)
        self.serial = serial
        newest = self.records[0].time if self.records else DEFAULT_BASE_TIME
        self.clock = clock or newest + timedelta(minutes=30)
        self.powered_off = False
        self.ignored_first = False
        self.frames_received, self.frames_sent = [], []
        self.rejected, self.unanswered, self.violations = [], [], []
        self.values_served, self.times_served = [], []
        self.records_written = 0       # record lines the player has written to the line
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        out = bytearray()
        while True:
            end = self._buffer.find(b"\r\n")
            if end < 0:
                if len(self._buffer) > 256:
                    self.rejected.append({"bytes": bytes(self._buffer).hex(), "reason": "no CR LF"})
                    self._buffer.clear()
                break
            command = bytes(self._buffer[:end]).decode("ascii", "replace")
            del self._buffer[:end + 2]
            out += self._answer(command)
        return bytes(out)

    def paced(self, reply):
        """The reply as its lines, for a player that sends them one by one."""
        return reply.splitlines(keepends=True)

    def wrote(self, chunk):
        self.records_written += sum(1 for line in chunk.splitlines(keepends=True) if line.endswith(b" 0x00\r\n"))

    def pending_bytes(self):
        return bytes(self._buffer)

    def _answer(self, command):
        self.frames_received.append(command)
        for prefix, why in FORBIDDEN.items():
            if command.startswith(prefix):
                self.violations.append({"frame": command, "command": prefix, "reason": why})
                return b""
        if not self.ignored_first:
            self.ignored_first = True
            self.unanswered.append({"frame": command, "reason": "first command after plug-in ignored"})
            return b""
        if command == "$xmem":
            text = "\r\n" + self.serial + "\r\n" + "0.22\r\n"
            text += month_day_year(self.clock) + self.clock.strftime(" %H:%M:%S") + "\r\n"
            text += "%03d\r\n" % len(self.records)
            for r in self.records:
                text += r.text() + "\r\n"
                self.values_served.append(r.index)
                self.times_served.append(r.index)
            text += "0x%04X  END\r\n" % (sum(text.encode("ascii")) & 0xFFFF)
            text += "CMD OK\r\n"
            self.frames_sent.append(text)
            return text.encode("ascii")
        self.unanswered.append({"frame": command, "reason": "unknown command"})
        return b""

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": list(self.unanswered),
                "violations": list(self.violations), "valuesServed": list(self.values_served),
                "timesServed": list(self.times_served), "poweredOff": self.powered_off}
