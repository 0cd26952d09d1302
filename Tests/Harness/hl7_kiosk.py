"""An HL7 v2 health kiosk as the flood driver plays it, written from the public HL7 v2.6
segment layouts (MSH, PID, OBR, OBX, MSA) and MLLP framing (start 0x0B, end 0x1C 0x0D),
never from pocgate's codec: ORU^R01 messages with one capillary glucose result each, and a
reader for the acknowledgements (MSA-1 code, MSA-2 control id) that come back."""

import random
from datetime import datetime, timedelta, timezone

START, END, CR = 0x0B, 0x1C, 0x0D
CHINA = timezone(timedelta(hours=8))
# A fictitious resident identity number with a correct ISO 7064 MOD 11-2 check character.
PATIENT = "320102196203150026"
DEVICE = "HK-FLOOD^00A0C9FFFE00F100^EUI-64"
DEVICE_SERIAL = "00A0C9FFFE00F100"


def wrap(payload):
    return bytes([START]) + payload + bytes([END, CR])


class Visit:
    """One glucose result: the kiosk's control id, the value in mmol/L, its local time."""

    def __init__(self, control_id, mmol, moment):
        self.control_id, self.mmol, self.moment = control_id, mmol, moment

    def message(self):
        stamp = self.moment.strftime("%Y%m%d%H%M%S") + "+0800"
        segments = [
            "MSH|^~\\&|%s|TOWNSHIP CLINIC|POCGATE||%s||ORU^R01^ORU_R01|%s|P|2.6|||NE|AL|CHN|UNICODE UTF-8"
            % (DEVICE, stamp, self.control_id),
            "PID|1||%s^^^CHN^NNCHN||Test^Patient||19620315|M" % PATIENT,
            "OBR|1|||BLOOD^Fingerstick panel^L|||%s" % stamp,
            "OBX|1|NM|14743-9^Glucose [Moles/volume] in Capillary blood by Glucometer^LN||%s|mmol/L^mmol/L^UCUM|3.9-6.1|N|||F"
            % self.mmol,
        ]
        return wrap(("\r".join(segments) + "\r").encode("ascii"))

    def as_json(self):
        return {"controlID": self.control_id, "mmol": self.mmol,
                "time": self.moment.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"}


def visits(count, prefix):
    """`count` results a minute apart, the newest two hours before now (China time, whole
    seconds), values 4.0, 4.1, ... mmol/L."""
    newest = datetime.now(CHINA).replace(microsecond=0, tzinfo=None) - timedelta(hours=2)
    return [Visit("%s%05d" % (prefix, i), "%.1f" % (4.0 + 0.1 * (i % 120)), newest - timedelta(minutes=i))
            for i in range(count)]


class Junk:
    """Line noise and near-miss MLLP blocks, deterministic from `seed`."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.noise = self.rng.randbytes(1 << 22)
        self.serial = 0

    def random_bytes(self, size):
        at = self.rng.randrange(len(self.noise) - size)
        return self.noise[at:at + size]

    def near_misses(self):
        """One of each near miss: an end byte not followed by CR, a block abandoned by a new
        start byte, a framed block that is not HL7, an ORU^R01 header cut short, and every
        16th call an MLLP block longer than any message (1.5 MiB, no end byte in reach)."""
        self.serial += 1
        header = b"MSH|^~\\&|HK-FLOOD|TOWNSHIP CLINIC|POCGATE||20240615083512+0800||ORU^R01|J%07d|P|2.6\r" % self.serial
        return [
            bytes([START]) + header + bytes([END]) + b"X",
            bytes([START]) + header[:20],
            wrap(b"AT+PWR? %d" % self.serial),
            wrap(header),
        ] + ([bytes([START]) + b"A" * (3 << 19)] if self.serial % 16 == 0 else [])


class AckReader:
    """Collects the MLLP blocks the gateway sends back and reads MSA-1 and MSA-2."""

    def __init__(self):
        self.pending = bytearray()
        self.codes = {}
        self.by_id = {}
        self.bytes = 0

    def feed(self, data):
        self.bytes += len(data)
        self.pending += data
        while True:
            start = self.pending.find(bytes([START]))
            if start < 0:
                self.pending.clear()
                return
            end = self.pending.find(bytes([END, CR]), start)
            if end < 0:
                del self.pending[:start]
                return
            self._block(bytes(self.pending[start + 1:end]))
            del self.pending[:end + 2]

    def _block(self, payload):
        for segment in payload.split(b"\r"):
            fields = segment.split(b"|")
            if fields[0] == b"MSA" and len(fields) > 2:
                code, control_id = fields[1].decode("ascii", "replace"), fields[2].decode("ascii", "replace")
                self.codes[code] = self.codes.get(code, 0) + 1
                self.by_id.setdefault(control_id, []).append(code)
