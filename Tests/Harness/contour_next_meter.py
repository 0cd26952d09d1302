"""The meter side of an Ascensia Contour Next on its USB HID interface, as a test oracle.

Written from the public notes (glucometerutils' contourusb support module and its test reply,
Tidepool's Contour Next driver; ../../docs/protocols/contour-next.md); it shares no code with
pocgate's Swift codec.

Reports are 64 bytes: three header bytes, a length byte (at most 60), that many bytes of the
ASTM E1381 stream, zero padding; a message longer than 60 bytes goes on in the next report
(length 60 means "more follows"). The host writes `ABC`, a length and its bytes. Host EOT →
the meter answers EOT, its header frame, ENQ; host ACK → the next frame of the transfer
(header, patient, one result record per measurement, terminator), NAK → the same frame again,
ACK after the last frame → EOT. With `ignore_first_eot` the meter ignores the first EOT (not
in the notes: it exercises the gateway's re-send). Frames are `STX FN text CR ETB|ETX C1 C2 CR LF`, FN 1…7, 0,
checksum = sum of FN…ETB/ETX mod 256 in two upper-case hex digits.
"""

import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

STX, ETX, EOT, ENQ, ACK, NAK, ETB, CR, LF = 0x02, 0x03, 0x04, 0x05, 0x06, 0x15, 0x17, 0x0D, 0x0A
DEFAULT_SERIAL = "7410-2336773"
DEFAULT_CLOCK = datetime(2024, 6, 15, 9, 5)
FORBIDDEN = {"W|": "write (clock) mode", "D|": "set date", "T|": "set time", "R|": "read settings"}


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int
    markers: str = ""

    def text(self):
        return "R|%d|^^^Glucose|%d|mg/dL^P||%s||%s" % (self.index + 1, self.value, self.markers, self.time.strftime("%Y%m%d%H%M"))

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:00"), "value": self.value,
                "flags": 0, "kind": "glucose"}


def generate_records(count, base=datetime(2024, 6, 15, 8, 30), seed=11):
    state, records, moment = seed, [], base
    for index in range(count):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        records.append(Record(index, moment, 40 + (state >> 8) % 400, "B" if index % 3 == 0 else "A"))
        moment -= timedelta(hours=7, minutes=(state >> 4) % 50)
    return records


def frame(number, text, final):
    body = bytes([0x30 + number]) + text.encode("ascii") + bytes([CR, ETX if final else ETB])
    return bytes([STX]) + body + ("%02X" % (sum(body) % 256)).encode("ascii") + bytes([CR, LF])


def reports(message):
    out, start = [], 0
    while True:
        chunk = message[start:start + 60]
        out.append(b"ABC" + bytes([len(chunk)]) + chunk + bytes(60 - len(chunk)))
        start += 60
        if start >= len(message):
            return out


class ContourNextMeter:
    """A Contour Next answering host reports. Pure: a report in, the reports it sends out."""

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=DEFAULT_CLOCK, ignore_first_eot=True):
        self.records = list(records)
        self.serial, self.clock = serial, clock
        self.ignore_first_eot = ignore_first_eot
        header = ("H|\\^&||7w3LBL|Bayer7410^01.24\\01.04\\09.02.20^%s^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600"
                  "^X=070070070070180130150250^Y=360126090050099050300089^Z=1|%d||||||1|%s"
                  % (serial, len(self.records), clock.strftime("%Y%m%d%H%M")))
        texts = [header, "P|1"] + [r.text() for r in self.records] + ["L|1||N"]
        self.frames = [frame((i + 1) % 8, t, i == len(texts) - 1) for i, t in enumerate(texts)]
        self.started = False
        self.next = 0
        self.done = False
        self.violations, self.rejected = [], []
        self.frames_received, self.frames_sent = [], []
        self.values_served = []          # record indexes whose result frame was sent
        self.records_written = 0         # result records whose last report reached the host
        self.powered_off = False
        self._out, self._delivered, self._marks = 0, 0, []

    def _reply(self, message, records_after=None):
        out = reports(message)
        self.frames_sent.append(message.hex())
        self._out += len(out)
        if records_after is not None:
            self._marks.append((self._out, records_after))
        return out

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

    def handle(self, report):
        """Takes one output report (as the device receives it: no report id); returns reports."""
        report = bytes(report)
        self.frames_received.append(report.hex())
        if len(report) != 64 or report[3] == 0 or report[3] > 60:
            self.rejected.append({"frame": report.hex(), "reason": "not a 64-byte report with 1..60 bytes"})
            return []
        payload = report[4:4 + report[3]]
        if len(payload) != 1 or payload[0] not in (EOT, ACK, NAK):
            text = payload.decode("ascii", "replace")
            self.violations.append({"frame": report.hex(), "command": text[:2],
                                    "reason": FORBIDDEN.get(text[:2], "not EOT, ACK or NAK")})
            return self._reply(bytes([NAK]))
        byte = payload[0]
        if not self.started:
            if byte != EOT:
                return []
            if self.ignore_first_eot:
                self.ignore_first_eot = False
                return []
            self.started = True
            return self._reply(bytes([EOT]) + self.frames[0] + bytes([ENQ]))
        if self.done:
            return []
        if byte == NAK:
            return self._reply(self.frames[self.next - 1]) if self.next else []
        if byte != ACK:
            return []
        if self.next == len(self.frames):
            self.done = True
            return self._reply(bytes([EOT]))
        out = self.frames[self.next]
        written = None
        if 2 <= self.next < 2 + len(self.records):
            self.values_served.append(self.records[self.next - 2].index)
            written = self.next - 1
        self.next += 1
        return self._reply(out, written)

    def capture(self):
        """The input reports of one whole session (EOT ignored, EOT, ACK…), back to back."""
        out = b""
        for host in [EOT, EOT] + [ACK] * (len(self.frames) + 1):
            out += b"".join(self.handle(b"ABC" + bytes([1, host]) + bytes(59)))
        return out


def self_test():
    # glucometerutils' test reply: the header frame's checksum is D7.
    notes = ("1H|\\^&||7w3LBL|Bayer7390^01.24\\01.04\\09.02.20^7390-2336773^7403-|A=1^C=63^G=1^I=0200^R=0^S=1^U=0^V=10600"
             "^X=070070070070180130150250^Y=360126090050099050300089^Z=1|1714||||||1|201909221304")
    body = notes.encode() + bytes([CR, ETB])
    assert "%02X" % (sum(body) % 256) == "D7", "checksum of the notes' header frame"
    meter = ContourNextMeter(generate_records(5))
    cap = meter.capture()
    assert len(cap) % 64 == 0 and not meter.violations and meter.done
    assert meter.values_served == [r.index for r in meter.records]
    print("contour_next_meter self-test OK")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--self-test":
        self_test()
    elif len(sys.argv) >= 3 and sys.argv[1] == "--capture":
        meter = ContourNextMeter(generate_records(int(sys.argv[3]) if len(sys.argv) > 3 else 5))
        with open(sys.argv[2], "wb") as f:
            f.write(meter.capture())
        for r in meter.records:
            print(r.as_json())
    else:
        print("usage: contour_next_meter.py --self-test | --capture FILE [COUNT]", file=sys.stderr)
        sys.exit(2)
