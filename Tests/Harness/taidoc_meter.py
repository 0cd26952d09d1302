"""The meter side of a TaiDoc TD-4277 glucose meter, as a test oracle.

Written from the public TD-42xx protocol description (docs/protocols/taidoc.md) alone; it deliberately shares no code with
pocgate's Swift codec, so a mistake in one is caught by the other.

Frames are 8 bytes: 0x51, command, d0..d3, direction (0xA3 host->meter, 0xA5
meter->host), sum8 of bytes 0..6. Record 0 is the newest.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

START = 0x51
FROM_HOST = 0xA3
FROM_METER = 0xA5
FRAME_LENGTH = 8
MODEL_BCD = bytes([0x77, 0x42])          # "4277", BCD little-endian
DEFAULT_SERIAL = "1704A52C00B3E981"      # 16 hex digits: 0x28 half, then 0x27 half
DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30)
FLAG_CHOICES = (0x00, 0x40, 0x80)        # none, before meal, after meal

# Commands the gateway must never send: they change the meter.
FORBIDDEN = {0x52: "clear memory", 0x33: "set clock"}


def sum8(data):
    """Sum of the bytes modulo 256."""
    return sum(data) & 0xFF


def make_frame(command, payload, direction):
    """A complete 8-byte frame with its checksum."""
    if len(payload) != 4:
        raise ValueError("payload must be 4 bytes")
    body = bytes([START, command]) + bytes(payload) + bytes([direction])
    return body + bytes([sum8(body)])


def encode_datetime(moment):
    """d0 d1 = LE word (year-2000)<<9 | month<<5 | day; d2 = minute; d3 = hour."""
    word = ((moment.year - 2000) << 9) | (moment.month << 5) | moment.day
    return bytes([word & 0xFF, word >> 8, moment.minute, moment.hour])


MEMORIES = ("glucose", "two-in-one", "thermometer")


def model_bcd(model):
    """The 0x24 reply's d0 d1: the 4-digit model as BCD, low byte first ("3261" -> 61 32)."""
    if len(model) != 4 or any(c not in "0123456789" for c in model):
        raise ValueError("model must be 4 digits")
    return bytes([int(model[2:4], 16), int(model[0:2], 16)])


@dataclass(frozen=True)
class Record:
    """One stored measurement; index 0 is the newest.

    kind "glucose": value mg/dL, flags = d3 of the value reply. kind "blood-pressure" (FORA's
    2-in-1 layout): the time reply's minute byte has bit 7 set (bit 6 too when `irregular`),
    the value reply is systolic, mean, diastolic, pulse. kind "thermometer" (FORA IR layout):
    value in tenths of a degree Celsius, d0 d1 little-endian.
    """
    index: int
    time: datetime
    value: int
    flags: int
    kind: str = "glucose"
    mean: int = 0
    diastolic: int = 0
    pulse: int = 0
    irregular: bool = False

    def time_payload(self):
        payload = bytearray(encode_datetime(self.time))
        if self.kind == "blood-pressure":
            payload[2] |= 0x80 | (0x40 if self.irregular else 0)
        return bytes(payload)

    def value_payload(self):
        if self.kind == "blood-pressure":
            return bytes([self.value, self.mean, self.diastolic, self.pulse])
        if self.kind == "thermometer":
            return bytes([self.value & 0xFF, self.value >> 8, 0, 0])
        return bytes([self.value & 0xFF, self.value >> 8, 0x00, self.flags])

    def as_json(self):
        out = {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:00"),
               "value": self.value, "flags": self.flags, "kind": self.kind}
        if self.kind == "blood-pressure":
            out.update({"mean": self.mean, "diastolic": self.diastolic, "pulse": self.pulse,
                        "irregular": self.irregular})
        return out


class _Sequence:
    """A tiny linear congruential generator: identical output on every Python version."""

    def __init__(self, seed):
        self.state = seed & 0x7FFFFFFF

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 8) % bound


def generate_records(count, base=DEFAULT_BASE_TIME, duplicate_pair=False, seed=4277, memory="glucose"):
    """Deterministic memory: times descend from `base` at minute resolution,
    values 40..400 mg/dL, flags cycling through none/before/after meal.

    With `duplicate_pair`, records 4 and 5 are identical (same minute, value and
    flags), as when a patient tests twice in one minute: a dedupe key that relies
    on (time, value, flags) alone would drop one of them.

    `memory` "two-in-one" makes every even record blood pressure (some with no mean, some with
    the irregular-heartbeat bit) and gives every glucose record a strip code number (d3 bits
    5..0, as a D40 stores it); "thermometer" makes every record a body temperature.
    """
    sequence = _Sequence(seed)
    records = []
    moment = base
    for index in range(count):
        value = 40 + sequence.next(361)
        flags = FLAG_CHOICES[sequence.next(len(FLAG_CHOICES))]
        if memory == "thermometer":
            records.append(Record(index, moment, 355 + sequence.next(41), 0, kind="thermometer"))
            moment -= timedelta(minutes=17 + sequence.next(720))
            continue
        if memory == "two-in-one" and index % 2 == 0:
            systolic = 100 + sequence.next(60)
            diastolic = 60 + sequence.next(30)
            mean = 0 if index % 4 == 0 else diastolic + (systolic - diastolic) // 3
            records.append(Record(index, moment, systolic, 0, kind="blood-pressure", mean=mean,
                                  diastolic=diastolic, pulse=55 + sequence.next(50), irregular=index % 6 == 2))
            moment -= timedelta(minutes=17 + sequence.next(720))
            continue
        if memory == "two-in-one":
            # A D40's glucose record carries the strip code number in d3 bits 5..0 (FORA's notes).
            flags |= 1 + (index * 7) % 40
        if duplicate_pair and index == 5 and count > 5:
            previous = records[4]
            records.append(Record(index, previous.time, previous.value, previous.flags))
            continue
        records.append(Record(index, moment, value, flags))
        moment -= timedelta(minutes=17 + sequence.next(720))
    return records


class TaiDocMeter:
    """A TD-4277 that answers host frames. Pure: bytes in, bytes out, no I/O, no clock.

    Everything it sees is kept for the result file: accepted frames, replies,
    rejected bytes, unanswered frames and violations (0x52 clear memory, 0x33 set clock).
    """

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=None, model="4277"):
        if len(serial) != 16 or any(c not in "0123456789ABCDEFabcdef" for c in serial):
            raise ValueError("serial must be 16 hex digits")
        self.records = list(records)
        self.serial = serial.upper()
        self.model = model_bcd(model)
        newest = self.records[0].time if self.records else DEFAULT_BASE_TIME
        self.clock = clock or newest + timedelta(minutes=30)
        self.powered_off = False
        self.frames_received = []
        self.frames_sent = []
        self.rejected = []
        self.unanswered = []
        self.violations = []
        self.values_served = []
        self.times_served = []
        self._buffer = bytearray()

    def feed(self, data):
        """Consume bytes from the host; return the bytes the meter answers."""
        self._buffer += data
        out = bytearray()
        while self._buffer:
            start = self._buffer.find(START)
            if start < 0:
                self._reject(bytes(self._buffer), "noise before a start byte")
                self._buffer.clear()
                break
            if start > 0:
                self._reject(bytes(self._buffer[:start]), "noise before a start byte")
                del self._buffer[:start]
            if len(self._buffer) < FRAME_LENGTH:
                break
            candidate = bytes(self._buffer[:FRAME_LENGTH])
            if sum8(candidate[:7]) != candidate[7]:
                self._reject(candidate, "bad checksum")
                del self._buffer[0]
                continue
            if candidate[6] != FROM_HOST:
                self._reject(candidate, "direction byte is not 0xA3")
                del self._buffer[0]
                continue
            del self._buffer[:FRAME_LENGTH]
            out += self._answer(candidate)
        return bytes(out)

    def pending_bytes(self):
        """Bytes of an incomplete frame still waiting for the rest."""
        return bytes(self._buffer)

    def _reject(self, data, reason):
        self.rejected.append({"bytes": data.hex(), "reason": reason})

    def _answer(self, frame):
        command, payload = frame[1], frame[2:6]
        self.frames_received.append(frame.hex())
        if command in FORBIDDEN:
            self.violations.append({"frame": frame.hex(), "command": "0x%02X" % command,
                                    "reason": FORBIDDEN[command]})
            return b""
        if self.powered_off:
            return self._unanswered(frame, "meter is powered off")
        if command in (0x22, 0x50):
            self.powered_off = command == 0x50
            return self._reply(command, bytes(4))
        if command == 0x24:
            return self._reply(command, self.model + bytes(2))
        if command == 0x28:
            return self._reply(command, bytes.fromhex(self.serial[0:8])[::-1])
        if command == 0x27:
            return self._reply(command, bytes.fromhex(self.serial[8:16])[::-1])
        if command == 0x23:
            return self._reply(command, encode_datetime(self.clock))
        if command == 0x2B:
            count = len(self.records)
            tail = bytes([0xFF, 0xFF]) if count == 0 else bytes(2)
            return self._reply(command, bytes([count & 0xFF, count >> 8]) + tail)
        if command in (0x25, 0x26):
            index = payload[0] | (payload[1] << 8)
            if index >= len(self.records):
                return self._unanswered(frame, "record index %d out of range" % index)
            record = self.records[index]
            if command == 0x25:
                self.times_served.append(index)
                return self._reply(command, record.time_payload())
            self.values_served.append(index)
            return self._reply(command, record.value_payload())
        return self._unanswered(frame, "unknown command 0x%02X" % command)

    def _reply(self, command, payload):
        reply = make_frame(command, payload, FROM_METER)
        self.frames_sent.append(reply.hex())
        return reply

    def _unanswered(self, frame, reason):
        self.unanswered.append({"frame": frame.hex(), "reason": reason})
        return b""

    def take_measurement(self, value, flags=0x00):
        """A new measurement, as when the patient tests while the meter is plugged in: it
        becomes record 0 and every older record's index grows by one (one minute after the
        newest, so it never collides with an existing record)."""
        newest = self.records[0].time if self.records else DEFAULT_BASE_TIME
        moment = newest + timedelta(minutes=1)
        self.records = [Record(0, moment, value, flags)] + [
            Record(r.index + 1, r.time, r.value, r.flags) for r in self.records]
        self.clock = max(self.clock, moment + timedelta(minutes=1))

    def summary(self):
        """What this meter saw and did, for the result file."""
        return {
            "framesReceived": list(self.frames_received),
            "framesSent": list(self.frames_sent),
            "rejected": list(self.rejected),
            "unanswered": list(self.unanswered),
            "violations": list(self.violations),
            "valuesServed": list(self.values_served),
            "timesServed": list(self.times_served),
            "poweredOff": self.powered_off,
        }
