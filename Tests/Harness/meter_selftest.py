"""Self-test of the TaiDoc meter emulation against the vectors in
docs/protocols/taidoc.md. Run with `umockdev_meter.py --self-test`."""

from datetime import datetime

from taidoc_meter import (DEFAULT_BASE_TIME, Record, TaiDocMeter, encode_datetime,
                          generate_records, make_frame, sum8)


def _frame(text):
    return bytes.fromhex(text.replace(" ", ""))


class _Checks:
    def __init__(self):
        self.failures = []
        self.count = 0

    def equal(self, name, actual, expected):
        self.count += 1
        if actual != expected:
            self.failures.append("%s: got %r, expected %r" % (name, actual, expected))


def _memory():
    return [Record(0, DEFAULT_BASE_TIME, 120, 0x40),
            Record(1, datetime(2019, 8, 4, 13, 37), 85, 0x80)]


def _vectors(check):
    # Request frames from the protocol file, checksums as published.
    for text, name in [("51 22 00 00 00 00 A3 16", "connect"), ("51 24 00 00 00 00 A3 18", "model"),
                       ("51 23 00 00 00 00 A3 17", "clock"), ("51 2B 00 00 00 00 A3 1F", "count"),
                       ("51 25 00 00 00 00 A3 19", "time 0"), ("51 26 00 00 00 00 A3 1A", "value 0"),
                       ("51 25 01 00 00 00 A3 1A", "time 1"), ("51 27 00 00 00 00 A3 1B", "serial 2"),
                       ("51 28 00 00 00 00 A3 1C", "serial 1"), ("51 50 00 00 00 00 A3 44", "power off"),
                       ("51 52 00 00 00 00 A3 46", "clear memory")]:
        frame = _frame(text)
        check.equal("vector checksum " + name, sum8(frame[:7]), frame[7])
    check.equal("clock reply vector", make_frame(0x23, encode_datetime(datetime(2019, 8, 4, 13, 37)), 0xA5),
                _frame("51 23 04 27 25 0D A5 76"))
    check.equal("datetime 2024-06-15 08:30", encode_datetime(datetime(2024, 6, 15, 8, 30)),
                _frame("CF 30 1E 08"))


def _conversation(check):
    meter = TaiDocMeter(_memory(), serial="0123456789ABCDEF")
    check.equal("connect", meter.feed(_frame("51 22 00 00 00 00 A3 16")), make_frame(0x22, bytes(4), 0xA5))
    check.equal("model", meter.feed(_frame("51 24 00 00 00 00 A3 18"))[2:4], bytes([0x77, 0x42]))
    # TP: serial = hex(reversed 0x28 payload) + hex(reversed 0x27 payload)
    first = meter.feed(_frame("51 28 00 00 00 00 A3 1C"))[2:6][::-1].hex().upper()
    second = meter.feed(_frame("51 27 00 00 00 00 A3 1B"))[2:6][::-1].hex().upper()
    check.equal("serial halves", first + second, "0123456789ABCDEF")
    check.equal("count", meter.feed(_frame("51 2B 00 00 00 00 A3 1F"))[2:6], bytes([2, 0, 0, 0]))
    check.equal("value of record 0", meter.feed(_frame("51 26 00 00 00 00 A3 1A")),
                _frame("51 26 78 00 00 40 A5 D4"))
    check.equal("time of record 0", meter.feed(_frame("51 25 00 00 00 00 A3 19"))[2:6], _frame("CF 30 1E 08"))
    check.equal("time of record 1", meter.feed(_frame("51 25 01 00 00 00 A3 1A")),
                _frame("51 25 04 27 25 0D A5 78"))
    out_of_range = make_frame(0x26, bytes([2, 0, 0, 0]), 0xA3)
    check.equal("index out of range is not answered", meter.feed(out_of_range), b"")
    check.equal("bad checksum ignored", meter.feed(_frame("51 22 00 00 00 00 A3 17")), b"")
    check.equal("wrong direction ignored", meter.feed(make_frame(0x22, bytes(4), 0xA5)), b"")
    check.equal("values served", meter.values_served, [0])
    check.equal("times served", meter.times_served, [0, 1])
    check.equal("no violations yet", meter.violations, [])
    check.equal("power off echoes", meter.feed(_frame("51 50 00 00 00 00 A3 44")),
                make_frame(0x50, bytes(4), 0xA5))
    check.equal("silent after power off", meter.feed(_frame("51 22 00 00 00 00 A3 16")), b"")


def _violations(check):
    meter = TaiDocMeter(_memory())
    check.equal("clear memory not answered", meter.feed(_frame("51 52 00 00 00 00 A3 46")), b"")
    check.equal("set clock not answered", meter.feed(make_frame(0x33, _frame("04 27 25 0D"), 0xA3)), b"")
    check.equal("violations recorded", [v["command"] for v in meter.violations], ["0x52", "0x33"])
    check.equal("memory untouched", len(meter.records), 2)


def _streaming(check):
    meter = TaiDocMeter(_memory())
    stream = _frame("00 FF 51 51 22 00 00 00 00 A3 16") + _frame("51 24 00 00 00 00 A3 18")
    replies = b"".join(meter.feed(stream[i:i + 1]) for i in range(len(stream)))
    check.equal("byte-at-a-time with leading noise", [replies[1], replies[9]], [0x22, 0x24])
    check.equal("noise recorded", len(meter.rejected) > 0, True)
    check.equal("nothing pending", meter.pending_bytes(), b"")


def _generator(check):
    records = generate_records(60)
    check.equal("record count", len(records), 60)
    check.equal("newest time", records[0].time, DEFAULT_BASE_TIME)
    check.equal("descending times", all(a.time >= b.time for a, b in zip(records, records[1:])), True)
    check.equal("value range", all(40 <= r.value <= 400 for r in records), True)
    check.equal("all flags used", sorted({r.flags for r in records}), [0x00, 0x40, 0x80])
    check.equal("deterministic", [r.as_json() for r in generate_records(60)], [r.as_json() for r in records])
    pair = generate_records(10, duplicate_pair=True)
    check.equal("duplicate pair", (pair[4].time, pair[4].value, pair[4].flags),
                (pair[5].time, pair[5].value, pair[5].flags))
    empty = TaiDocMeter([])
    check.equal("empty count", empty.feed(_frame("51 2B 00 00 00 00 A3 1F"))[2:6], bytes([0, 0, 0xFF, 0xFF]))


def _codefree(check):
    """The SD CodeFree emulation against the public frames (docs/protocols/sd-codefree.md)."""
    import codefree_meter
    meter = codefree_meter.CodeFreeMeter(codefree_meter.generate_records(2))
    check.equal("codefree challenge", meter.unprompted(0.0), _frame("53 20 04 10 30 20 AA"))
    check.equal("codefree challenge repeated later only", meter.unprompted(0.1), b"")
    count = meter.feed(_frame("53 10 04 10 40 50 AA"))
    check.equal("codefree count", count[:6], _frame("53 20 18 30 00 02"))
    check.equal("codefree count padding", count[6:25], bytes([0xAA]) * 19)
    check.equal("codefree silent once answered", meter.unprompted(9.0), b"")
    record = meter.feed(_frame("53 10 04 10 60 70 AA"))
    check.equal("codefree record year..minute", record[5:10], bytes([24, 6, 15, 8, 30]))
    meter.feed(_frame("53 10 04 10 60 70 AA"))
    check.equal("codefree past the last", meter.feed(_frame("53 10 04 10 60 70 AA")), _frame("53 20 04 10 70 60 AA"))
    check.equal("codefree past the last is a violation", len(meter.violations), 1)
    e5 = codefree_meter.CodeFreeMeter([])
    e5.feed(_frame("53 10 04 10 99 89 AA"))
    check.equal("codefree E-5 then silence", e5.feed(_frame("53 10 04 10 40 50 AA")), b"")


def _cp2110(check):
    """The CP2110 bridge model (hid_player.py) against AN434's report layouts, without a
    testbed: bytes reach the meter only once its UART is enabled at the meter's line, replies
    come back as data reports (id = count), other feature reports are violations."""
    import hid_player

    class Endpoint:
        def __init__(self):
            self.sent, self.dropped = [], 0

        def send(self, report):
            self.sent.append(bytes(report))

        def drop_queued(self):
            self.dropped += 1

    class Meter:
        def __init__(self):
            self.fed = []

        def feed(self, data):
            self.fed.append(bytes(data))
            return bytes(range(70))

    meter, endpoint = Meter(), Endpoint()
    bridge = hid_player.CP2110Bridge(meter, baud=19200)
    wake = _frame("08 51 22 00 00 00 00 A3 16")
    bridge.output_report(endpoint, wake)
    check.equal("cp2110 nothing flows before setup", (meter.fed, bridge.lost), ([], 8))
    bridge.set_feature(endpoint, bytes([0x41, 0x01]))
    bridge.set_feature(endpoint, _frame("50 00 00 4B 00 00 00 03 00"))
    bridge.set_feature(endpoint, bytes([0x43, 0x03]))
    check.equal("cp2110 purge drops queued input", endpoint.dropped, 1)
    bridge.output_report(endpoint, wake)
    check.equal("cp2110 data report payload", meter.fed, [_frame("51 22 00 00 00 00 A3 16")])
    check.equal("cp2110 replies in data reports", [(r[0], len(r)) for r in endpoint.sent], [(63, 64), (7, 8)])
    check.equal("cp2110 reply bytes", b"".join(r[1:] for r in endpoint.sent), bytes(range(70)))
    bridge.set_feature(endpoint, bytes([0x60, 0x00]))
    check.equal("cp2110 OTP report is a violation", [v["command"] for v in bridge.violations], ["feature 60"])
    other = hid_player.CP2110Bridge(Meter(), baud=9600)
    other.set_feature(endpoint, bytes([0x41, 0x01]))
    other.set_feature(endpoint, _frame("50 00 00 4B 00 00 00 03 00"))
    check.equal("cp2110 wrong baud: nothing flows", other.uart_ready(), False)


def _omron(check):
    """The Omron HEM-790IT-class emulation against the public vectors."""
    import omron_bp_monitor
    omron_bp_monitor.self_test(check)


def _ultra_original(check):
    """The original OneTouch Ultra's lines against a public trace of a real meter."""
    import ultra2_meter
    record = ultra2_meter.Record(0, datetime(2014, 8, 9, 17, 21, 48), 91, "N", 0)
    check.equal("ultra original record line", ultra2_meter.line(record.text(original=True)),
                b'P "SAT","08/09/14","17:21:48   ","  091 ", 00 0831\r\n')
    meter = ultra2_meter.Ultra2Meter([record], serial="TKF8EA0RT", original=True)
    check.equal("ultra original dump", meter.feed(b"\x11\rDMP\r"),
                b'P 001,"TKF8EA0RT","MG/DL " 05CD\r\nP "SAT","08/09/14","17:21:48   ","  091 ", 00 0831\r\n')
    check.equal("ultra original serial", meter.feed(b"\x11\rDM@\r"), b'@ "TKF8EA0RT" 031D\r\n')
    check.equal("ultra original memory marks nothing",
                {(r.meal, r.comment) for r in ultra2_meter.generate_records(20, original=True)}, {("N", 0)})


def run():
    """Returns 0 when every check passes, 1 otherwise; prints a line per failure."""
    check = _Checks()
    for part in (_vectors, _conversation, _violations, _streaming, _generator, _codefree, _cp2110, _omron, _ultra_original):
        part(check)
    for failure in check.failures:
        print("FAIL " + failure)
    print("self-test: %d checks, %d failures" % (check.count, len(check.failures)))
    return 1 if check.failures else 0
