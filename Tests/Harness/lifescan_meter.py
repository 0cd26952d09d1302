"""The meter side of a LifeScan OneTouch UltraEasy / UltraMini, as a test oracle.

Written from the public binary protocol description (glucometerutils' otultraeasy driver and
lifescan_binary_protocol support, glucometer-protocols' shared-binary-protocol notes;
../../docs/protocols/lifescan-binary.md); it shares no code with pocgate's Swift codec.

Frame: STX 0x02, length of the whole frame, link-control byte, message, ETX 0x03, CRC-16/
CCITT-FALSE (poly 0x1021, init 0xFFFF) of STX..ETX stored little-endian. Link control: 0x10
more, 0x08 disconnect, 0x04 acknowledge, 0x02 E, 0x01 S. Each host frame is acknowledged with
an empty frame carrying the acknowledge bit; a request's reply follows the acknowledge.
Record 0 is the newest; times are Unix seconds, values mg/dL.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
import struct

DEFAULT_SERIAL = "C2MZ5B3BY"
DEFAULT_BASE_TIME = datetime(2024, 6, 15, 8, 30, 12)

# Messages that change the meter: erase, clock write.
FORBIDDEN = ((b"\x05\x1a", "erase memory"), (b"\x05\x20\x01", "write the clock"))


def crc16(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def frame(link, message=b""):
    body = bytes([0x02, len(message) + 6, link]) + message + b"\x03"
    return body + struct.pack("<H", crc16(body))


def take_frames(buffer, rejected):
    """Removes the whole frames at the start of `buffer` (a bytearray) and returns them as
    (link, message) pairs; noise and frames with a bad ETX or CRC go to `rejected`."""
    frames = []
    while buffer:
        start = buffer.find(b"\x02")
        if start < 0:
            rejected.append({"bytes": bytes(buffer).hex(), "reason": "noise"})
            buffer.clear()
            break
        if start > 0:
            rejected.append({"bytes": bytes(buffer[:start]).hex(), "reason": "noise"})
            del buffer[:start]
        if len(buffer) < 2:
            break
        length = buffer[1]
        if length < 6:
            del buffer[0]
            continue
        if len(buffer) < length:
            break
        candidate = bytes(buffer[:length])
        if candidate[-3] != 0x03 or struct.unpack("<H", candidate[-2:])[0] != crc16(candidate[:-2]):
            rejected.append({"bytes": candidate.hex(), "reason": "bad frame"})
            del buffer[0]
            continue
        del buffer[:length]
        frames.append((candidate[2], candidate[3:-3]))
    return frames


def unix(moment):
    """The meter keeps local wall time as if it were UTC seconds since 1970."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


@dataclass(frozen=True)
class Record:
    index: int
    time: datetime
    value: int

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:%S"), "value": self.value,
                "flags": 0, "kind": "glucose"}


def generate_records(count, base=DEFAULT_BASE_TIME, seed=3):
    """Deterministic memory, times descending; records 2 and 3 are twins (same second, value)."""
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
        records.append(Record(index, moment, 20 + nxt(581)))
        moment -= timedelta(minutes=17 + nxt(720), seconds=nxt(60))
    return records


class UltraEasyMeter:
    """An UltraEasy answering host frames. Pure: bytes in, bytes out, no I/O, no clock."""

    def __init__(self, records, serial=DEFAULT_SERIAL, clock=None):
        self.records = list(records)
        self.serial = serial
        newest = self.records[0].time if self.records else DEFAULT_BASE_TIME
        self.clock = clock or newest + timedelta(minutes=30)
        self.powered_off = False
        self.frames_received, self.frames_sent = [], []
        self.rejected, self.unanswered, self.violations = [], [], []
        self.values_served, self.times_served = [], []
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        return b"".join(self._answer(link, message) for link, message in take_frames(self._buffer, self.rejected))

    def pending_bytes(self):
        return bytes(self._buffer)

    def _answer(self, link, message):
        self.frames_received.append(bytes([link]).hex() + ":" + message.hex())
        if not message:
            # Link frames: the host's acknowledge needs no answer; the link-opening
            # (disconnect) frame is acknowledged.
            return self._send(0x04 | (link & 0x08)) if link & 0x08 else b""
        for prefix, why in FORBIDDEN:
            if message.startswith(prefix):
                self.violations.append({"frame": message.hex(), "command": prefix.hex(), "reason": why})
                return b""
        reply = self._reply(message)
        if reply is None:
            self.unanswered.append({"frame": message.hex(), "reason": "unknown request"})
            return self._send(0x04)
        return self._send(0x04) + self._send(0x00, reply)

    def _reply(self, m):
        if m == b"\x05\x0d\x02":
            version = b"P02.00.00"
            return b"\x05\x06" + bytes([len(version)]) + version
        if m[:3] == b"\x05\x0b\x02" and len(m) == 12:
            return b"\x05\x06" + self.serial.encode("ascii")
        if m == b"\x05\x09\x02\x09\x00\x00\x00\x00":
            return b"\x05\x06\x00\x00\x00\x00"
        if m == b"\x05\x20\x02\x00\x00\x00\x00":
            return b"\x05\x06" + struct.pack("<I", unix(self.clock))
        if len(m) == 4 and m[:2] == b"\x05\x1f":
            index = m[2] | (m[3] << 8)
            if index == 501:
                return b"\x05\x0f" + struct.pack("<H", len(self.records))
            if index >= len(self.records):
                return None
            r = self.records[index]
            self.times_served.append(index)
            self.values_served.append(index)
            return b"\x05\x06" + struct.pack("<II", unix(r.time), r.value)
        return None

    def _send(self, link, message=b""):
        f = frame(link, message)
        self.frames_sent.append(f.hex())
        return f

    def summary(self):
        return {"framesReceived": list(self.frames_received), "framesSent": list(self.frames_sent),
                "rejected": list(self.rejected), "unanswered": list(self.unanswered),
                "violations": list(self.violations), "valuesServed": list(self.values_served),
                "timesServed": list(self.times_served), "poweredOff": self.powered_off}


# Verio IQ -------------------------------------------------------------------------------
#
# Written from glucometerutils' otverioiq driver, glucometer-protocols' onetouch-verio-iq notes
# and the Tidepool uploader's Verio IQ driver. The same frames as above, but the link-control
# byte is unused (0 both ways), no frame is acknowledged, and each request gets one reply
# frame. Messages start with 0x03 (0x04 is also accepted, per the notes; the reply repeats the
# request's prefix). Times count seconds of the meter's wall clock since 2000-01-01; values
# are mg/dL whatever the display unit. Record n runs from 0 to count-1.

VERIO_IQ_SERIAL = "X4Q7285VT"
VERIO_IQ_VERSION = "01.08.03"
VERIO_EPOCH = datetime(2000, 1, 1)
VERIO_IQ_FORBIDDEN = ((b"\x1a", "erase memory"), (b"\x20\x01", "write the clock"))


def verio_seconds(moment):
    return int((moment - VERIO_EPOCH).total_seconds())


@dataclass(frozen=True)
class VerioIQRecord:
    index: int
    time: datetime
    value: int
    meal: int = 0       # 0 none, 1 before, 2 after
    control: int = 0    # 1: a control-solution test

    def as_json(self):
        return {"index": self.index, "time": self.time.strftime("%Y-%m-%dT%H:%M:%S"), "value": self.value,
                "flags": self.meal | (self.control << 4), "mealByte": self.meal, "controlByte": self.control,
                "kind": "glucose"}


def generate_verio_iq_records(count, base=DEFAULT_BASE_TIME, control_at=-1):
    """The UltraEasy memory above (records 2 and 3 twins), with meal marks cycling none,
    before, after, and record `control_at` a control-solution test."""
    return [VerioIQRecord(r.index, r.time, r.value, meal=r.index % 3, control=1 if r.index == control_at else 0)
            for r in generate_records(count, base=base)]


class VerioIQMeter(UltraEasyMeter):
    """A Verio IQ answering host frames: the UltraEasy's frame layer and bookkeeping, its own
    messages. Pure: bytes in, bytes out, no I/O, no clock."""

    def __init__(self, records, serial=VERIO_IQ_SERIAL, clock=None):
        super().__init__(records, serial=serial, clock=clock)

    def _answer(self, link, message):
        self.frames_received.append(bytes([link]).hex() + ":" + message.hex())
        if link != 0:
            self.unanswered.append({"frame": message.hex(), "reason": "link-control byte 0x%02x, not 0" % link})
            return b""
        if not message or message[0] not in (0x03, 0x04):
            self.unanswered.append({"frame": message.hex(), "reason": "no Verio IQ prefix"})
            return b""
        prefix, body = message[:1], message[1:]
        for command, why in VERIO_IQ_FORBIDDEN:
            if body.startswith(command):
                self.violations.append({"frame": message.hex(), "command": (prefix + command).hex(), "reason": why})
                return b""
        reply = self._reply(body)
        if reply is None:
            self.unanswered.append({"frame": message.hex(), "reason": "unknown request"})
            return b""
        return self._send(0x00, prefix + b"\x06" + reply)

    def _reply(self, b):
        if b == b"\x0d\x01":
            version = VERIO_IQ_VERSION.encode("ascii")
            return bytes([len(version)]) + version + b"\x00"
        if b in (b"\x0b\x01\x02", b"\x0b\x00\x02"):
            return self.serial.encode("ascii") + b"\x00"
        if b == b"\x09\x02\x02":
            return b"\x00\x00\x00\x00"
        if b == b"\x20\x02":
            return struct.pack("<I", verio_seconds(self.clock))
        if b == b"\x27\x00":
            return struct.pack("<H", len(self.records))
        if len(b) == 3 and b[0] == 0x21:
            index = b[1] | (b[2] << 8)
            if index >= len(self.records):
                return None
            r = self.records[index]
            self.times_served.append(index)
            self.values_served.append(index)
            return struct.pack("<IHBB", verio_seconds(r.time), r.value, r.control, r.meal) + b"\x00\x00"
        return None
