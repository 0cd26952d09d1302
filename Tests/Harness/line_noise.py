"""Garbage a meter's line is sprayed with (`umockdev_meter.py --spray-kib-per-reply`):
random bytes with near-miss TaiDoc frames among them (start byte 0x51 and a meter direction
byte, but a wrong sum8), from the public frame layout in taidoc_meter.py. No 8 bytes of it
form a valid frame in either direction (an accidental one is broken), and each piece ends
with 8 NUL bytes, so nothing in it can join the reply that follows into a frame.

The first reply goes out clean: it answers the gateway's identification probe, which by
design gives up after 4 KiB without an answer (a second of line noise at 19200 baud), so a
port that only babbles is never taken for a meter."""

import random

from taidoc_meter import FRAME_LENGTH, FROM_HOST, FROM_METER, START, sum8


class TaiDocSpray:
    def __init__(self, seed, kib):
        self.rng = random.Random(seed)
        self.size = kib * 1024
        self.bytes = 0
        self.pieces = 0

    def piece(self):
        """About `size` bytes of garbage (none the first time); counts them."""
        self.pieces += 1
        if self.pieces == 1:
            return b""
        data = bytearray(self.rng.randbytes(self.size))
        # Near misses: a start byte, a command, four data bytes, the meter's direction byte,
        # and a sum8 off by one, every 512 bytes.
        for at in range(0, len(data) - FRAME_LENGTH, 512):
            body = bytes([START, self.rng.randrange(256)]) + self.rng.randbytes(4) + bytes([FROM_METER])
            data[at:at + FRAME_LENGTH] = body + bytes([(sum8(body) + 1) & 0xFF])
        at = data.find(START)
        while 0 <= at <= len(data) - FRAME_LENGTH:
            if data[at + 6] in (FROM_HOST, FROM_METER) and sum8(data[at:at + 7]) == data[at + 7]:
                data[at + 7] ^= 0xFF
            at = data.find(START, at + 1)
        data += bytes(FRAME_LENGTH)
        self.bytes += len(data)
        return bytes(data)

    def summary(self):
        return {"bytes": self.bytes, "pieces": self.pieces}
