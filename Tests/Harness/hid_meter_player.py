"""Plays a meter whose own USB side is HID (no bridge: Contour Next, FreeStyle HID) on an
emulated hidraw node, with the interface of harness_runtime.MeterPlayer, so the scenarios of
umockdev_meter.py run unchanged.

The meter emulator (contour_next_meter.py, freestyle_hid_meter.py) takes one output report as
the device receives it and returns its input reports; `delivered()` is called after each one
reached the host, so `records_written` follows what the host really got. The kernel strips
report id 0 from a write to a device that does not number its reports: so does the model.
Feature reports are refused (these meters have none): a program that sets one is recorded as
a violation.
"""

import threading
import time

from hid_device import HidEndpoint


class _NativeHidModel:
    def __init__(self, player):
        self.player = player

    def output_report(self, endpoint, report):
        data = bytes(report)
        if len(data) == 65 and data[0] == 0:
            data = data[1:]
        with self.player.lock:
            self.player.last_frame_at = time.monotonic()
            replies = self.player.meter.handle(data)
        self.player.deliver(endpoint, replies)

    def set_feature(self, endpoint, report):
        with self.player.lock:
            self.player.feature_violations.append({"frame": bytes(report).hex(), "command": "set feature",
                                                   "reason": "this meter has no feature reports"})
        return False

    def get_feature(self, endpoint, report_id, length):
        return None


class NativeHidMeterPlayer:
    """One emulated HID meter on one hidraw node; replies go out one report at a time,
    `reply_delay` seconds apart (wire time), and stop at an unplug."""

    def __init__(self, bed, device, meter, reply_delay=0.0):
        self.meter = meter
        self.lock = threading.Lock()
        self.last_frame_at = time.monotonic()
        self.error = None
        self.reply_delay = reply_delay
        self.feature_violations = []
        self.stopped = False
        self.endpoint = HidEndpoint(bed, device, _NativeHidModel(self))

    def plug(self, bed):
        """Plugs the meter in (its ioctl handler attached before the node appears); returns the
        node's PTY master."""
        return self.endpoint.plug(bed)

    def deliver(self, endpoint, reports):
        def one(report):
            if self.stopped:
                return
            endpoint.send(report)
            with self.lock:
                self.meter.delivered()
        if self.reply_delay <= 0:
            for report in reports:
                one(report)
            return

        def paced():
            for report in reports:
                time.sleep(self.reply_delay)
                if self.stopped:
                    return
                one(report)
        threading.Thread(target=paced, daemon=True).start()

    def start(self):
        pass

    def stop(self):
        self.stopped = True
        self.endpoint.hang_up()
        errors = self.endpoint.summary()["errors"]
        if errors and self.error is None:
            self.error = "hid endpoint: " + "; ".join(errors)

    def snapshot(self, read):
        with self.lock:
            return read(self.meter)

    def when_quiet(self, seconds, change):
        with self.lock:
            if time.monotonic() - self.last_frame_at < seconds:
                return False
            change(self.meter)
            return True

    def quiet_for(self):
        with self.lock:
            return time.monotonic() - self.last_frame_at

    def hid_summary(self):
        summary = self.endpoint.summary()
        summary["bridgeViolations"] = list(self.feature_violations)
        return summary
