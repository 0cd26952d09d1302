"""Device models behind a hid_device.HidEndpoint, and the player umockdev_meter.py uses for
`--link cp2110` and `--link hid`:

- `CP2110Bridge`: a Silicon Labs CP2110 HID-to-UART bridge (AN434) in front of a byte-stream
  meter (an object with `feed(bytes) -> reply bytes`, as the *_meter.py emulators);
- `ReportStream`: a meter's frames carried in plain, unnumbered HID reports;
- `HidMeterPlayer`: plays one of those (or a family emulator that is its own HID model) on a
  hidraw node with the interface of harness_runtime.MeterPlayer.
"""

import struct
import threading

from hid_device import HidEndpoint, hex_of


class CP2110Bridge:
    """A Silicon Labs CP2110 (AN434) in front of a byte-stream meter: feature reports 0x41
    (UART enable), 0x50 (UART config: baud big-endian, parity, flow control, data bits, stop
    bits), 0x43 (purge FIFOs); data reports whose id is the byte count (1..63) both ways.
    Bytes reach the meter only while the UART is enabled at the meter's line settings
    (`expected_config`); any other feature report written is a violation (the real bridge
    would reset, drive GPIOs or program its one-time customisation)."""

    ENABLE, PURGE, CONFIG = 0x41, 0x43, 0x50

    def __init__(self, meter, baud=19200, parity=0, flow=0, data_bits=3, stop_bits=0, reply_delay=0.0):
        self.meter = meter
        # Seconds before a reply leaves the bridge (wire time at the meter's baud).
        self.reply_delay = reply_delay
        self.expected_config = bytes([self.CONFIG]) + struct.pack(">I", baud) + bytes([parity, flow, data_bits, stop_bits])
        self.enabled = False
        self.config = bytes([self.CONFIG]) + struct.pack(">I", 115200) + bytes([0, 0, 3, 0])
        self.violations = []
        self.lost = 0   # bytes written while the UART was off or at other settings

    def uart_ready(self):
        return self.enabled and self.config == self.expected_config

    def set_feature(self, endpoint, report):
        rid = report[0]
        if rid == self.ENABLE and len(report) >= 2:
            self.enabled = report[1] == 1
            return True
        if rid == self.CONFIG and len(report) >= 9:
            self.config = bytes(report[:9])
            return True
        if rid == self.PURGE and len(report) >= 2:
            if report[1] & 0x02:
                endpoint.drop_queued()
            return True
        self.violations.append({"frame": hex_of(report), "command": "feature %02x" % rid,
                                "reason": "feature report outside the bridge allow-list"})
        return True

    def get_feature(self, endpoint, report_id, length):
        if report_id == self.ENABLE:
            return bytes([self.ENABLE, 1 if self.enabled else 0])
        if report_id == self.CONFIG:
            return self.config
        return None

    def output_report(self, endpoint, report):
        count = report[0] if report else 0
        if not 1 <= count <= 63 or len(report) < 1 + count:
            self.violations.append({"frame": hex_of(report), "command": "output %02x" % count,
                                    "reason": "not a CP2110 data report"})
            return
        data = bytes(report[1:1 + count])
        if not self.uart_ready():
            self.lost += len(data)
            return
        reply = self.meter.feed(data)
        if not reply:
            return
        reports = [bytes([len(reply[i:i + 63])]) + reply[i:i + 63] for i in range(0, len(reply), 63)]

        def deliver():
            for report in reports:
                endpoint.send(report)
        if self.reply_delay > 0:
            timer = threading.Timer(self.reply_delay, deliver)
            timer.daemon = True
            timer.start()
        else:
            deliver()


class ReportStream:
    """A model for a HID device that carries a byte-stream protocol in plain reports: each
    output report the program writes is fed whole to the meter (`feed(bytes) -> reply`), and
    the reply goes back in input reports of at most `report_size` bytes, unnumbered (no report
    id byte), as a device without report ids sends them. It has no feature reports: any
    feature report written is a violation."""

    def __init__(self, meter, report_size=8):
        self.meter, self.report_size = meter, report_size
        self.violations = []
        self.lost = 0

    def output_report(self, endpoint, report):
        reply = self.meter.feed(bytes(report))
        for start in range(0, len(reply or b""), self.report_size):
            endpoint.send(reply[start:start + self.report_size])

    def set_feature(self, endpoint, report):
        self.violations.append({"frame": hex_of(report), "command": "feature %02x" % report[0],
                                "reason": "this device has no feature reports"})
        return False

    def get_feature(self, endpoint, report_id, length):
        return None


class _LockedMeter:
    """The meter as the bridge sees it: fed under the player's lock, noting when the host
    last talked to it."""

    def __init__(self, player):
        self.player = player

    def feed(self, data):
        import time
        with self.player.lock:
            self.player.last_frame_at = time.monotonic()
            return self.player.meter.feed(data)


class _LockedModel:
    """A meter that is its own HID model (it has `output_report`, `set_feature`,
    `get_feature`: a family whose protocol is HID reports), called under the player's lock."""

    def __init__(self, player, meter):
        self.player, self.meter = player, meter

    @property
    def violations(self):
        return list(getattr(self.meter, "hid_violations", []))

    @property
    def lost(self):
        return 0

    def _locked(self, name, *args):
        import time
        with self.player.lock:
            self.player.last_frame_at = time.monotonic()
            return getattr(self.meter, name)(*args)

    def output_report(self, endpoint, report):
        return self._locked("output_report", endpoint, report)

    def set_feature(self, endpoint, report):
        return self._locked("set_feature", endpoint, report)

    def get_feature(self, endpoint, report_id, length):
        return self._locked("get_feature", endpoint, report_id, length)


class HidMeterPlayer:
    """Plays a meter on a hidraw node: a byte-stream meter behind a CP2110 (`link="cp2110"`)
    or in plain reports (`link="hid"`, `ReportStream`), or with `link="hid"` a meter that is
    its own HID model (its `output_report`/`set_feature`/`get_feature` answer the program, its
    `hid_violations` list is reported), with the interface of
    harness_runtime.MeterPlayer (start, stop, snapshot, when_quiet, quiet_for, error), so the
    scenarios of umockdev_meter.py run unchanged over HID. Driven by the program's own reads
    and writes (umockdev's handler thread): no thread of its own."""

    def __init__(self, bed, device, meter, baud=19200, reply_delay=0.0, link="cp2110", report_size=8):
        import time
        self.meter = meter
        self.lock = threading.Lock()
        self.last_frame_at = time.monotonic()
        self.error = None
        if link == "cp2110":
            self.bridge = CP2110Bridge(_LockedMeter(self), baud=baud, reply_delay=reply_delay)
        elif hasattr(meter, "output_report"):
            self.bridge = _LockedModel(self, meter)
        else:
            self.bridge = ReportStream(_LockedMeter(self), report_size=report_size)
        self.endpoint = HidEndpoint(bed, device, self.bridge)

    def plug(self, bed):
        """Plugs the device in; returns the node's PTY master."""
        return self.endpoint.plug(bed)

    def start(self):
        pass

    def stop(self):
        """The device stops answering (it is about to be unplugged, or the phase ended)."""
        self.endpoint.hang_up()
        errors = self.endpoint.summary()["errors"]
        if errors and self.error is None:
            self.error = "hid endpoint: " + "; ".join(errors)

    def snapshot(self, read):
        with self.lock:
            return read(self.meter)

    def when_quiet(self, seconds, change):
        import time
        with self.lock:
            if time.monotonic() - self.last_frame_at < seconds:
                return False
            change(self.meter)
            return True

    def quiet_for(self):
        import time
        with self.lock:
            return time.monotonic() - self.last_frame_at

    def hid_summary(self):
        summary = self.endpoint.summary()
        summary["bridgeViolations"] = list(self.bridge.violations)
        summary["bytesLostUartOff"] = self.bridge.lost
        return summary
