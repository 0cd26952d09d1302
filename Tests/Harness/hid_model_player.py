"""Plays a HID device model (an emulator that speaks in whole reports) on a hidraw node of a
umockdev testbed, with the interface of harness_runtime.MeterPlayer (start, stop, snapshot,
when_quiet, quiet_for, error) so the scenarios of umockdev_meter.py run unchanged.

The model is an object with `output(report) -> [input reports]`, `feature(report)`,
`violations` and `summary()` (as omron_bp_monitor.OmronMonitor). Its answers are queued on the
node one report per read, after `reply_delay` seconds (wire and device time)."""

import threading
import time

from hid_device import HidEndpoint


class _Adapter:
    """The endpoint's model interface over the emulator, under the player's lock."""

    def __init__(self, player):
        self.player = player

    def output_report(self, endpoint, report):
        with self.player.lock:
            self.player.last_frame_at = time.monotonic()
            answers = self.player.model.output(report)
        self.player.deliver(endpoint, answers)

    def set_feature(self, endpoint, report):
        with self.player.lock:
            self.player.last_frame_at = time.monotonic()
            self.player.model.feature(report)
        return True

    def get_feature(self, endpoint, report_id, length):
        with self.player.lock:
            self.player.model.violations.append({"frame": "%02x" % report_id, "command": "get feature",
                                                 "reason": "the protocol reads no feature report"})
        return None


class HidModelPlayer:
    def __init__(self, bed, device, model, reply_delay=0.0):
        self.model = model
        self.reply_delay = reply_delay
        self.lock = threading.Lock()
        self.last_frame_at = time.monotonic()
        self.error = None
        self.endpoint = HidEndpoint(bed, device, _Adapter(self))

    def plug(self, bed):
        """Plugs the device in (its ioctl handler attached first); returns the node's PTY master."""
        return self.endpoint.plug(bed)

    def deliver(self, endpoint, reports):
        if not reports:
            return

        def send():
            for report in reports:
                endpoint.send(report)
        if self.reply_delay > 0:
            timer = threading.Timer(self.reply_delay, send)
            timer.daemon = True
            timer.start()
        else:
            send()

    def start(self):
        pass

    def stop(self):
        self.endpoint.hang_up()
        errors = self.endpoint.summary()["errors"]
        if errors and self.error is None:
            self.error = "hid endpoint: " + "; ".join(errors)

    def snapshot(self, read):
        with self.lock:
            return read(self.model)

    def when_quiet(self, seconds, change):
        with self.lock:
            if time.monotonic() - self.last_frame_at < seconds:
                return False
            change(self.model)
            return True

    def quiet_for(self):
        with self.lock:
            return time.monotonic() - self.last_frame_at

    def hid_summary(self):
        summary = self.endpoint.summary()
        summary["bridgeViolations"] = []
        summary["bytesLostUartOff"] = 0
        return summary
