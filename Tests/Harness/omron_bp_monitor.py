"""The monitor side of an Omron HEM-790IT-class blood-pressure monitor (USB 0590:0028), as a
test oracle.

Written from the public notes (openyou/libomron `doc/omron_protocol_notes.asciidoc` and the
USB captures beside it; ../../docs/protocols/omron-hem790it.md); it shares no code with
pocgate's Swift codec.

USB HID without report ids, 8-byte reports both ways: a count byte, then 7 data bytes of which
only `count` are valid. Commands and answers span reports; an answer ends with a report whose
count is below 7. A 2-byte feature report selects a mode. The host wakes the monitor with 30
zero bytes (four 7-byte reports, one 2-byte report); the monitor answers an empty report after
the first and `OK` after the last. Commands end with the XOR of their bytes after the 3-letter
mnemonic:
- `GDC 00 bank 00 00 chk` -> `OK 00 00 10 00 n chk`: n measurements in the bank;
- `GME 00 bank 00 index chk` (index 0 = newest) -> `OK 00 yy mm dd hh mi ss 00 00 sys dia pulse
  00 status chk`; the monitor may answer `NO` (the host asks again);
- `END FF FF` -> `OK`, then `OFF\\r\\n`; the monitor switches off.
Anything else, or a bad check, is answered `NO`. The XOR of every byte after `OK` is 0.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30, 5)
READING_MODE = bytes([0x74, 0xBC])


def xor(data):
    x = 0
    for b in data:
        x ^= b
    return x


def input_reports(answer, stale=0xEE):
    """`answer` as 8-byte input reports (unused bytes filled with `stale`, as a real buffer)."""
    out, i = [], 0
    while True:
        chunk = answer[i:i + 7]
        out.append(bytes([len(chunk)]) + chunk + bytes([stale]) * (7 - len(chunk)))
        i += 7
        if i >= len(answer):
            return out


def ok(data):
    body = bytes([0x00]) + bytes(data)
    return b"OK" + body + bytes([xor(body)])


@dataclass(frozen=True)
class Measurement:
    bank: int
    index: int
    time: datetime
    systolic: int
    diastolic: int
    pulse: int

    def data(self):
        t = self.time
        return bytes([t.year - 2000, t.month, t.day, t.hour, t.minute, t.second, 0, 0,
                      self.systolic, self.diastolic, self.pulse, 0, 0])

    def as_json(self, flat_index=None):
        """The record as expected.json lists it (value = systolic; no mean, no flags)."""
        return {"index": self.index if flat_index is None else flat_index, "bank": "AB"[self.bank],
                "time": self.time.strftime("%Y-%m-%dT%H:%M:%S"), "value": self.systolic, "flags": 0,
                "kind": "blood-pressure", "mean": 0, "diastolic": self.diastolic, "pulse": self.pulse,
                "irregular": False}


def split(records):
    """`records` measurements over the two banks: A holds the larger half."""
    return ((records + 1) // 2, records // 2)


def flatten(banks):
    return [m for bank in banks for m in bank]


def generate_memory(per_bank=(3, 2), base=DEFAULT_BASE_TIME, seed=11):
    """Deterministic memory: per bank, measurements newest first, an hour and some minutes apart."""
    state = seed & 0x7FFFFFFF
    banks = []
    for bank, count in enumerate(per_bank):
        moment, records = base - timedelta(minutes=7 * bank), []
        for index in range(count):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            systolic = 100 + state % 60
            diastolic = 60 + (state >> 8) % 30
            pulse = 0 if index == 1 else 55 + (state >> 16) % 40
            records.append(Measurement(bank, index, moment, systolic, diastolic, pulse))
            moment -= timedelta(hours=1, minutes=(state >> 4) % 50)
        banks.append(records)
    return banks


class OmronMonitor:
    """Feed it the host's output reports (8 bytes, or 9 with report id 0) and feature reports;
    it returns the input reports it answers. `refuse_first_ask` answers `NO` to the first
    `GME` of each measurement, as a real monitor sometimes does."""

    def __init__(self, banks, refuse_first_ask=False):
        self.banks = banks
        self.refuse_first_ask = refuse_first_ask
        self.mode = None
        self.command = b""
        self.zero_reports = 0
        self.asked = set()
        self.values_served = []          # flat positions (bank A first) of measurements sent
        self.frames_received = []        # every output and feature report, hex
        self.powered_off = False
        self.violations = []

    def feature(self, report):
        self.frames_received.append("feature " + bytes(report).hex())
        data = bytes(report[1:]) if len(report) == 3 else bytes(report)
        if data != READING_MODE:
            self._violation(report, "feature", "a feature report other than the reading mode")
        self.mode = data
        return []

    def _violation(self, frame, command, reason):
        self.violations.append({"frame": bytes(frame).hex(), "command": command, "reason": reason})

    def flat(self, bank, index):
        return sum(len(b) for b in self.banks[:bank]) + index

    def summary(self):
        return {"framesReceived": list(self.frames_received), "valuesServed": list(self.values_served),
                "violations": list(self.violations), "poweredOff": self.powered_off}

    def output(self, report):
        report = bytes(report)
        self.frames_received.append(report.hex())
        if self.powered_off:
            return []
        if len(report) == 9:
            if report[0] != 0:
                self._violation(report, "report id", "a report id on a device that numbers none")
            report = report[1:]
        count = report[0] if report else 0
        if not 1 <= count <= 7 or len(report) != 8:
            self._violation(report, "output", "not an 8-byte report with a count of 1 to 7")
            return []
        data = report[1:1 + count]
        if not any(data) and not self.command:
            self.zero_reports += 1
            if self.zero_reports == 1:
                return [bytes(8)]                       # the empty report after the first
            if self.zero_reports * 7 >= 30 and count == 2:
                self.zero_reports = 0
                return input_reports(b"OK")
            return []
        self.zero_reports = 0
        self.command += data
        return self._answer()

    def _answer(self):
        c = self.command
        name = c[:3]
        if name == b"END" and len(c) >= 5:
            self.command = b""
            self.powered_off = True
            return input_reports(b"OK") + input_reports(b"OFF\r\n")
        if name in (b"GDC", b"GME"):
            if len(c) < 8:
                return []
            self.command = b""
            if xor(c[3:]) != 0 or c[4] >= len(self.banks) or self.mode != READING_MODE:
                return input_reports(b"NO")
            bank = self.banks[c[4]]
            if name == b"GDC":
                return input_reports(ok([0x00, 0x10, 0x00, len(bank)]))
            index = c[6]
            if index >= len(bank):
                return input_reports(b"NO")
            if self.refuse_first_ask and (c[4], index) not in self.asked:
                self.asked.add((c[4], index))
                return input_reports(b"NO")
            self.values_served.append(self.flat(c[4], index))
            return input_reports(ok(bank[index].data()))
        if len(c) >= 3:
            self._violation(c, c[:3].decode("ascii", "replace"), "not a read command of the notes")
            self.command = b""
            return input_reports(b"NO")
        return []


def self_test(check):
    """The emulation against the public vectors (docs/protocols/omron-hem790it.md)."""
    h = bytes.fromhex
    check.equal("omron measurement answer of the capture",
                input_reports(ok(h("08 04 15 10 0A 2E 00 00 81 4E 4D 00 00")), stale=0)[2][:4], h("03 00 00 AF"))
    check.equal("omron notes' example check", ok(h("07 01 03 00 06 33 00 00 70 4B 47 00 00"))[-1], 0x4C)
    check.equal("omron count answer of the capture", b"".join(r[1:1 + r[0]] for r in input_reports(ok([0, 0x10, 0, 1]))),
                h("4F 4B 00 00 10 00 01 11"))
    monitor = OmronMonitor(generate_memory((1, 0)))
    monitor.feature(bytes([0]) + READING_MODE)
    answers = []
    for r in [h("07 00 00 00 00 00 00 00")] * 4 + [h("02 00 00 00 00 00 00 00")]:
        answers += monitor.output(r)
    check.equal("omron wake-up answers", answers, [bytes(8), h("02 4F 4B EE EE EE EE EE")])
    gdc = monitor.output(h("07 47 44 43 00 00 00 00")) + monitor.output(h("01 00 44 43 00 00 00 00"))
    check.equal("omron GDC bank 0", [r[:1] for r in gdc], [b"\x07", b"\x01"])
    check.equal("omron MCL00 refused", monitor.output(h("05 4D 43 4C 30 30 00 00")), [h("02 4E 4F EE EE EE EE EE")])
    check.equal("omron END", monitor.output(h("05 45 4E 44 FF FF 7C 00")),
                [h("02 4F 4B EE EE EE EE EE"), h("05 4F 46 46 0D 0A EE EE")])
    check.equal("omron violations recorded", [v["command"] for v in monitor.violations], ["MCL"])
    check.equal("omron silent once off", monitor.output(h("07 47 44 43 00 00 00 00")), [])
