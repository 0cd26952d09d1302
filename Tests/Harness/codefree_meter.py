"""The meter side of an SD Biosensor SD CodeFree, as a test oracle.

Written from the public protocol notes (glucometerutils' sdcodefree driver, glucometer-protocols'
sd-biosensor/codefree notes; ../../docs/protocols/sd-codefree.md); it shares no code with
pocgate's Swift codec.

Frames are `53 dir len message xor AA`: dir 20 meter->host, 10 host->meter, len = message
length + 2, xor = XOR of the message bytes. The meter opens with the challenge `10 30`; the
host answers `10 40`; the meter sends `30 count:u16be` + 19 x `AA`. Each fetch `10 60` returns
one record, newest first: two bytes of unknown meaning (as glucometerutils reads them), year
(two digits), month, day, hour, minute, value u16be mg/dL, meal (00/10/20), seven unknown bytes.
A fetch past the last record disconnects (the meter answers `10 70`); any other command shows
E-5 and the meter answers nothing until it is power-cycled. The meter reports no serial.

The emulator repeats its challenge every `CHALLENGE_EVERY` seconds until it is answered
(a convenience: the public notes say only that the meter opens with it; a host that opens
the port after the meter was switched on would otherwise never hear it).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30)
MEALS = (0x00, 0x10, 0x20)
CHALLENGE = bytes([0x10, 0x30])
ANSWER = bytes([0x10, 0x40])
FETCH = bytes([0x10, 0x60])
DISCONNECTED = bytes([0x10, 0x70])
CHALLENGE_EVERY = 0.5


def frame(direction, message):
    x = 0
    for b in message:
        x ^= b
    return bytes([0x53, direction, len(message) + 2]) + bytes(message) + bytes([x, 0xAA])


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int
    meal: int

    def message(self):
        t = self.time
        return bytes([0x00, 0x00, t.year - 2000, t.month, t.day, t.hour, t.minute,
                      self.value >> 8, self.value & 0xFF, self.meal]) + bytes(7)

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:00"), "value": self.value,
                "flags": self.meal, "kind": "glucose"}


def generate_records(count, base=DEFAULT_BASE_TIME, seed=7):
    """Deterministic memory, minutes descending; records 2 and 3 are twins (same minute,
    value and meal)."""
    state = seed & 0x7FFFFFFF
    records, moment = [], base

    def nxt(bound):
        nonlocal state
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        return (state >> 8) % bound

    for index in range(count):
        if index == 3 and count > 3:
            records.append(Record(index, records[2].time, records[2].value, records[2].meal))
            continue
        records.append(Record(index, moment, 20 + nxt(580), MEALS[nxt(3)]))
        moment -= timedelta(hours=3 + nxt(100), minutes=nxt(60))
    return records


class CodeFreeMeter:
    """An SD CodeFree in transfer mode. Pure: bytes in, bytes out (`unprompted` for what the
    meter sends by itself)."""

    def __init__(self, records, serial=None, clock=None):
        self.records = list(records)
        self.answered = False
        self.next_index = 0
        self.error = None             # "E-5" once an unknown command arrived, "disconnected"
        self.powered_off = False
        self.last_challenge = None
        self.frames_received, self.frames_sent = [], []
        self.rejected, self.unanswered, self.violations = [], [], []
        self.values_served, self.times_served = [], []
        self._buffer = bytearray()

    def unprompted(self, now):
        if self.answered or self.error:
            return b""
        if self.last_challenge is not None and now - self.last_challenge < CHALLENGE_EVERY:
            return b""
        self.last_challenge = now
        return self._send(CHALLENGE)

    def feed(self, data):
        self._buffer += data
        out = bytearray()
        while self._buffer:
            start = self._buffer.find(0x53)
            if start < 0:
                self.rejected.append({"bytes": bytes(self._buffer).hex(), "reason": "no 0x53"})
                self._buffer.clear()
                break
            if start > 0:
                self.rejected.append({"bytes": bytes(self._buffer[:start]).hex(), "reason": "before 0x53"})
                del self._buffer[:start]
            if len(self._buffer) < 3:
                break
            total = 3 + self._buffer[2]
            if len(self._buffer) < total:
                break
            raw = bytes(self._buffer[:total])
            del self._buffer[:total]
            message = raw[3:-2]
            if raw[1] != 0x10 or raw[-1] != 0xAA or frame(0x10, message) != raw:
                self.rejected.append({"bytes": raw.hex(), "reason": "not a host frame"})
                continue
            out += self._answer(message)
        return bytes(out)

    def pending_bytes(self):
        return bytes(self._buffer)

    def _send(self, message):
        data = frame(0x20, message)
        self.frames_sent.append(data.hex())
        return data

    def _answer(self, message):
        self.frames_received.append(message.hex())
        if self.error:
            self.unanswered.append({"frame": message.hex(), "reason": self.error})
            return b""
        if message == ANSWER and not self.answered:
            self.answered = True
            n = len(self.records)
            return self._send(bytes([0x30, n >> 8, n & 0xFF]) + bytes([0xAA]) * 19)
        if message == FETCH and self.answered:
            if self.next_index >= len(self.records):
                self.error = "disconnected"
                self.violations.append({"frame": message.hex(), "command": "10 60",
                                        "reason": "fetch past the last record (the meter disconnects)"})
                return self._send(DISCONNECTED)
            r = self.records[self.next_index]
            self.values_served.append(r.index)
            self.times_served.append(r.index)
            self.next_index += 1
            return self._send(r.message())
        self.error = "E-5"
        self.violations.append({"frame": message.hex(), "command": message.hex(),
                                "reason": "invalid command: E-5, needs a power cycle"})
        return b""

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": list(self.unanswered),
                "violations": list(self.violations), "valuesServed": list(self.values_served),
                "timesServed": list(self.times_served), "poweredOff": self.powered_off}
