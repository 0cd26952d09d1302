"""The meter side of an Abbott FreeStyle meter on the shared HID protocol, as a test oracle.

Written from the public notes (glucometer-protocols' shared-hid-protocol, freestyle-libre and
freestyle-precision-neo pages; glucometerutils' freestyle drivers; the freestyle-hid package;
../../docs/protocols/freestyle-hid.md); it shares no code with pocgate's Swift codec.

Reports are 64 bytes: message type, length (at most 62), payload, zero padding. Init: 0x04 →
0x34 01 xx, 0x05 → 0x06 serial NUL, 0x15 → 0x35 version NUL, 0x01 → 0x71 01 01; an unknown
type → 0x30 01 85. Text commands are type 0x60 and answered in 0x60 messages: the message,
`CKSM:` and the 8-hex-digit sum of its bytes, CR LF, `CMD OK` (or `CMD Fail!` with an empty
message) CR LF. A keep-alive 0x22 01 xx follows every third text report. Multi-record lists
end with `count,checksum`. With `ignore_first` the meter ignores the first message after it
is plugged in (not in the notes: it exercises the gateway's re-send).
"""

import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

MODELS = {"neo": 0x3850, "libre": 0x3650}   # the record layouts this emulator writes
DEFAULT_SERIAL = "JCMV291-T1234"
DEFAULT_CLOCK = datetime(2024, 6, 15, 9, 5)
SET_OR_ERASE = ("$date,", "$time,", "$ptname,", "$ptid,", "$resetpatient", "$swreset", "$lang,", "$langset", "$ntsound,",
                "$btsound,")


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int

    def neo(self):
        t = self.time
        return "7,%d,%d,%d,%d,%d,%d,0,%d,0,0,0,0,0,0,0,0,0,0" % (self.index + 1, t.month, t.day, t.year - 2000, t.hour, t.minute, self.value)

    def libre(self):
        t = self.time
        return ("%d,2,%d,%d,%d,%d,%d,%d,1,0,0,0,%d,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,\"\",\"\",\"\",\"\",\"\",\"\""
                % (self.index + 1, t.month, t.day, t.year - 2000, t.hour, t.minute, t.second, self.value))

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:%S"), "value": self.value,
                "flags": 0, "kind": "glucose"}


def generate_records(count, base=datetime(2024, 6, 15, 8, 30), seed=7):
    state, records, moment = seed, [], base
    for index in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        records.append(Record(index, moment, 50 + (state >> 8) % 350))
        moment -= timedelta(hours=6, minutes=(state >> 4) % 55)
    return records


def message(kind, payload):
    out, start = [], 0
    while True:
        chunk = payload[start:start + 62]
        out.append(bytes([kind, len(chunk)]) + chunk + bytes(62 - len(chunk)))
        start += 62
        if start >= len(payload):
            return out


def text_reply(body, ok=True):
    if not ok:
        return b"CKSM:00000000\r\nCMD Fail!\r\n"
    data = body.encode("utf-8")
    return data + b"CKSM:%08X\r\nCMD OK\r\n" % sum(data)


def record_list(lines):
    if not lines:
        return "Log Empty\r\n"
    body = "".join(line + "\r\n" for line in lines)
    return body + "%d,%08X\r\n" % (len(lines), sum(body.encode("utf-8")))


class FreeStyleHIDMeter:
    """A FreeStyle HID meter answering host reports. Pure: a report in, the reports out."""

    def __init__(self, records, model="neo", serial=DEFAULT_SERIAL, clock=DEFAULT_CLOCK, extra=(),
                 ignore_first=True):
        self.records, self.model, self.serial, self.clock = list(records), model, serial, clock
        self.extra = list(extra)            # extra record lines (ketone, scans) appended to the list
        self.ignored_first = not ignore_first
        self.text_reports = 0
        self.violations, self.rejected, self.commands = [], [], []
        self.frames_received, self.frames_sent = [], []
        self.values_served = []          # record indexes in the result list sent
        self.records_written = 0         # record lines whose last byte reached the host
        self.powered_off = False
        self._out, self._delivered, self._marks = 0, 0, []

    def delivered(self):
        """The player handed one more report to the host."""
        self._delivered += 1
        while self._marks and self._marks[0][0] <= self._delivered:
            self.records_written = self._marks.pop(0)[1]

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": [], "violations": list(self.violations),
                "valuesServed": list(self.values_served), "timesServed": list(self.values_served),
                "poweredOff": self.powered_off}

    def texts(self):
        lines = [r.libre() if self.model == "libre" else r.neo() for r in self.records] + self.extra
        c = self.clock
        answers = {"$swver?": "1.02\r\n", "$date?": "%d,%d,%d\r\n" % (c.month, c.day, c.year - 2000),
                   "$time?": "%d,%d\r\n" % (c.hour, c.minute)}
        if self.model == "libre":
            answers.update({"$sn?": self.serial + "\r\n", "$arresult?": record_list(lines)})
        else:
            answers.update({"$serlnum?": self.serial + "\r\n", "$result?": record_list(lines)})
        return answers

    def handle(self, report):
        """Takes one output report (as the device receives it: no report id); returns reports."""
        report = bytes(report)
        self.frames_received.append(report.hex())
        if len(report) != 64 or report[1] > 62:
            self.rejected.append({"frame": report.hex(), "reason": "not a 64-byte report with a length of 0..62"})
            return []
        kind, payload = report[0], report[2:2 + report[1]]
        if not self.ignored_first:
            self.ignored_first = True
            return []
        if kind == 0x04:
            return self.count(message(0x34, b"\x2a"))
        if kind == 0x05:
            return self.count(message(0x06, self.serial.encode() + b"\x00"))
        if kind == 0x15:
            return self.count(message(0x35, b"1.02\x00"))
        if kind == 0x01:
            return self.count(message(0x71, b"\x01"))
        if kind != 0x60:
            self.violations.append({"frame": report.hex(), "command": "%02x" % kind, "reason": "unknown message type"})
            return self.count(message(0x30, b"\x85"))
        command = payload.decode("ascii", "replace")
        self.commands.append(command)
        if command.startswith(SET_OR_ERASE):
            self.violations.append({"frame": report.hex(), "command": command, "reason": "sets or erases the meter"})
            return self.split(text_reply("", ok=False))
        answer = self.texts().get(command)
        if answer is None:
            return self.split(text_reply("", ok=False))
        ends = None
        if command in ("$result?", "$arresult?"):
            self.values_served = [r.index for r in self.records]
            data = answer.encode("utf-8")
            ends, at = [], 0
            for _ in self.records:
                at = data.index(b"\r\n", at) + 2
                ends.append(at)
        return self.split(text_reply(answer), ends)

    def count(self, out):
        for r in out:
            self.frames_sent.append(r.hex())
        self._out += len(out)
        return out

    def split(self, reply, ends=None):
        """The reply in 0x60 messages with keep-alives; `ends`: where each record line ends
        in it, so `records_written` follows what the host has received."""
        out = []
        for i, r in enumerate(message(0x60, reply)):
            out.append(r)
            self.frames_sent.append(r.hex())
            self.text_reports += 1
            if ends:
                done = sum(1 for e in ends if e <= (i + 1) * 62)
                self._marks.append((self._out + len(out), done))
            if self.text_reports % 3 == 0:
                out += message(0x22, bytes([self.text_reports & 0xFF]))
        self._out += len(out)
        return out

    def capture(self):
        """The input reports of one whole session as pocgate conducts it, back to back."""
        serial_cmd, results_cmd = ("$sn?", "$arresult?") if self.model == "libre" else ("$serlnum?", "$result?")
        out = b""
        host = [bytes([0x04, 0])] * 2 + [bytes([t, 0]) for t in (0x05, 0x15, 0x01)]
        host += [bytes([0x60, len(c)]) + c.encode() for c in (serial_cmd, "$date?", "$time?", results_cmd)]
        for h in host:
            out += b"".join(self.handle(h + bytes(64 - len(h))))
        return out


def self_test():
    try:
        from freestyle_hid import _session   # the independent implementation, when installed
    except ImportError:
        _session = None
    for model in ("neo", "libre"):
        meter = FreeStyleHIDMeter(generate_records(20), model=model)
        cap = meter.capture()
        assert len(cap) % 64 == 0 and not meter.violations and meter.values_served == list(range(20))
        if _session is not None:
            reply = b"".join(cap[i + 2:i + 2 + cap[i + 1]] for i in range(0, len(cap), 64) if cap[i] == 0x60)
            assert reply.count(b"CMD OK") == 4
            last = reply.split(b"CMD OK\r\n")[-2] + b"CMD OK\r\n"
            match = _session._TEXT_REPLY_FORMAT.search(last)
            _session._verify_checksum(match.group("message"), match.group("checksum"))
            records = _session._MULTIRECORDS_FORMAT.search(match.group("message"))
            _session._verify_checksum(records.group("message"), records.group("checksum"))
            assert int(records.group("count")) == 20
    print("freestyle_hid_meter self-test OK")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--self-test":
        self_test()
    elif len(sys.argv) >= 4 and sys.argv[1] == "--capture":
        model = sys.argv[3]
        meter = FreeStyleHIDMeter(generate_records(int(sys.argv[4]) if len(sys.argv) > 4 else 5), model=model)
        with open(sys.argv[2], "wb") as f:
            f.write(meter.capture())
        for r in meter.records:
            print(r.as_json())
    else:
        print("usage: freestyle_hid_meter.py --self-test | --capture FILE MODEL [COUNT]", file=sys.stderr)
        sys.exit(2)
