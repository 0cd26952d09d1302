"""A USB HID device on a umockdev testbed, read by the program under test through hidraw.

    from hid_device import HidDevice, HidEndpoint, CP2110Bridge

`HidDevice` is the sysfs side: usb_device -> usb_interface (bInterfaceNumber) -> hid ->
hidraw/hidrawN with a `dev` of the hidraw major (not 188) and a /dev/hidrawN node.
`HidEndpoint` is the device side of that node: it plays input reports to the program, takes
its output reports, answers HIDIOCGFEATURE/HIDIOCSFEATURE, and records everything the program
wrote. A device model behind it (an object with `output_report(endpoint, report)` and
`set_feature(endpoint, report)` / `get_feature(endpoint, report_id, length)`) decides the
answers; `CP2110Bridge` is one: a Silicon Labs CP2110 HID-to-UART bridge in front of a
byte-stream meter (an object with `feed(bytes) -> reply bytes`, as the *_meter.py emulators).

Facts this relies on (umockdev 0.17.16, README.md beside this file):
- a device node without contents in a subsystem other than usb/block is a PTY, a byte stream:
  report boundaries do not survive it by themselves;
- with `attach_ioctl(devnode, handler)` every ioctl(), read() and write() the program makes on
  that node reaches the handler (`UMockdev.IoctlBase` signals handle-ioctl, handle-read,
  handle-write, on a testbed thread). A write handled there never reaches the PTY, so each
  output report arrives whole; a read can be run on the real PTY with `client.execute()`, so
  the handler knows when the program has taken a report and only then puts the next one into
  the PTY: each read() returns exactly one report, provided the program's buffer holds it
  (a hidraw reader sizes its buffer to the longest report; 64 bytes here);
- poll() is not intercepted: the program polls the PTY and sees POLLIN once a report is in it,
  and POLLHUP once the harness closes the master (unplug);
- a handler must stay attached while the program may still hold the node open (the preload
  library exits the program when the ioctl socket goes away), so an unplugged node keeps it.
"""

import collections
import errno
import os
import struct
import threading

from mock_devices import ROOT_HUB, _record

HIDRAW_MAJOR = 241
MAX_REPORT = 64

# _IOC(dir, type, nr, size) as in <asm-generic/ioctl.h>
_IOC_NRBITS, _IOC_TYPEBITS, _IOC_SIZEBITS = 8, 8, 14
_IOC_NRSHIFT = 0
_IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS
_IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS
HIDIOCSFEATURE_NR, HIDIOCGFEATURE_NR = 0x06, 0x07


def hex_of(data):
    return bytes(data).hex()


class HidDevice:
    """A USB HID device on a root-hub port, e.g. a CP2110 on 1-1 as /dev/hidraw0."""

    def __init__(self, port, hidraw, minor, vendor="10c4", product_id="ea80", interface=0,
                 serial=None, manufacturer="Silicon Labs", product="CP2110 HID USB-to-UART Bridge"):
        self.port, self.hidraw, self.minor = port, hidraw, minor
        self.vendor, self.product_id, self.interface = vendor, product_id, interface
        self.serial, self.manufacturer, self.product = serial, manufacturer, product
        self.usb_path = ROOT_HUB + "/" + port
        self.interface_path = self.usb_path + "/%s:1.%d" % (port, interface)
        self.hid_path = self.interface_path + "/0003:%s:%s.%04X" % (vendor.upper(), product_id.upper(), minor + 1)
        self.node_path = self.hid_path + "/hidraw/" + hidraw
        self.devnode = "/dev/" + hidraw
        # Compatibility with the tty cable's interface (Scenario, Testbed).
        self.tty = hidraw
        self.tty_path = self.node_path

    def records(self):
        devnum = str(int(self.port.split("-")[-1].split(".")[-1]) + 1)
        attributes = [("idVendor", self.vendor), ("idProduct", self.product_id),
                      ("bcdDevice", "0100"), ("busnum", "1"), ("devnum", devnum)]
        for name, value in (("serial", self.serial), ("manufacturer", self.manufacturer),
                            ("product", self.product)):
            if value is not None:
                attributes.append((name, value))
        hid_id = "0003:0000%s:0000%s" % (self.vendor.upper(), self.product_id.upper())
        return [
            _record(self.usb_path, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_device"), ("DRIVER", "usb"),
                                    ("DEVNAME", "/dev/bus/usb/001/%03d" % int(devnum))], attributes),
            _record(self.interface_path, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_interface"), ("DRIVER", "usbhid")],
                    [("bInterfaceNumber", "%02x" % self.interface), ("bInterfaceClass", "03")]),
            _record(self.hid_path, [("SUBSYSTEM", "hid"), ("DRIVER", "hid-generic"), ("HID_ID", hid_id),
                                    ("HID_NAME", "%s %s" % (self.manufacturer or "", self.product or "")),
                                    ("HID_UNIQ", self.serial or "")]),
            _record(self.node_path, [("SUBSYSTEM", "hidraw"), ("DEVNAME", self.devnode),
                                     ("MAJOR", str(HIDRAW_MAJOR)), ("MINOR", str(self.minor))],
                    [("dev", "%d:%d" % (HIDRAW_MAJOR, self.minor))], node=self.hidraw),
        ]

    def removal_order(self):
        return [self.node_path, self.hid_path, self.interface_path, self.usb_path]

    def describe(self):
        return {"usbPath": "/sys" + self.usb_path, "syspath": "/sys" + self.node_path,
                "devnode": self.devnode, "idVendor": self.vendor, "idProduct": self.product_id,
                "serial": self.serial, "interface": self.interface}


class HidEndpoint:
    """The device end of one hidraw node: input reports out one per read, output and feature
    reports in, everything the program wrote recorded (`summary()`)."""

    def __init__(self, bed, device, master, model):
        import gi
        gi.require_version("UMockdev", "1.0")
        from gi.repository import UMockdev
        self.device, self.master, self.model = device, master, model
        self.lock = threading.RLock()
        self.queue = collections.deque()
        self.outstanding = 0          # bytes put into the PTY and not read yet
        self.unplugged = False
        self.output_reports, self.features_set, self.features_got = [], [], []
        self.reads = self.opens = 0
        self.errors = []
        self.handler = UMockdev.IoctlBase()
        self.handler.connect("handle-ioctl", self._on_ioctl)
        self.handler.connect("handle-read", self._on_read)
        self.handler.connect("handle-write", self._on_write)
        self.handler.connect("client-connected", self._on_open)
        bed.bed.attach_ioctl(device.devnode, self.handler)

    # What the model calls ------------------------------------------------------------
    def send(self, report):
        """Queues one input report (byte 0 the report id for a numbered device); nothing once
        the device is unplugged."""
        if len(report) > MAX_REPORT:
            raise ValueError("a %d-byte report is longer than a hidraw read (%d)" % (len(report), MAX_REPORT))
        with self.lock:
            if self.unplugged:
                return
            self.queue.append(bytes(report))
            self._pump()

    def pending(self):
        with self.lock:
            return len(self.queue) + (1 if self.outstanding else 0)

    def drop_queued(self):
        """Forgets reports not yet delivered (a bridge's FIFO purge)."""
        with self.lock:
            self.queue.clear()

    def hang_up(self):
        with self.lock:
            self.unplugged = True
            self.queue.clear()

    def _pump(self):
        if self.unplugged or self.outstanding or not self.queue:
            return
        report = self.queue.popleft()
        self.outstanding = len(report)
        try:
            os.write(self.master, report)
        except OSError as error:
            self.errors.append("writing an input report: %s" % error)

    # umockdev handlers (testbed thread) -----------------------------------------------
    def _on_open(self, handler, client):
        # hidraw queues reports for open readers only; what the PTY held is gone with the
        # last close, so nothing is outstanding for a new reader.
        with self.lock:
            self.opens += 1
            self.outstanding = 0
            self._pump()

    def _on_read(self, handler, client):
        result, error = client.execute()
        with self.lock:
            self.reads += 1
            if result > 0:
                self.outstanding = max(0, self.outstanding - result)
                self._pump()
        client.complete(result, error)
        return True

    def _on_write(self, handler, client):
        report = bytes(client.get_arg().retrieve())
        with self.lock:
            if self.unplugged:
                client.complete(-1, errno.ENODEV)
                return True
            self.output_reports.append(hex_of(report))
        try:
            self.model.output_report(self, report)
        except Exception as error:  # the model's fault must not kill the program's write
            self.errors.append("model output_report: %r" % error)
        client.complete(len(report), 0)
        return True

    def _on_ioctl(self, handler, client):
        request = client.get_request()
        kind = (request >> _IOC_TYPESHIFT) & 0xFF
        number = (request >> _IOC_NRSHIFT) & 0xFF
        size = (request >> _IOC_SIZESHIFT) & ((1 << _IOC_SIZEBITS) - 1)
        if kind != ord("H") or number not in (HIDIOCSFEATURE_NR, HIDIOCGFEATURE_NR) or size == 0:
            return False
        if self.unplugged:
            client.complete(-1, errno.ENODEV)
            return True
        data = client.get_arg().resolve(0, size)
        buffer = bytes(data.retrieve())
        if number == HIDIOCSFEATURE_NR:
            with self.lock:
                self.features_set.append(hex_of(buffer))
            accepted = self.model.set_feature(self, buffer)
            client.complete(size if accepted else -1, 0 if accepted else errno.EPIPE)
            return True
        with self.lock:
            self.features_got.append("%02x" % buffer[0])
        answer = self.model.get_feature(self, buffer[0], size)
        if answer is None:
            client.complete(-1, errno.EPIPE)
            return True
        answer = bytes(answer[:size])
        data.update(0, answer)
        client.complete(len(answer), 0)
        return True

    def summary(self):
        with self.lock:
            return {"outputReports": list(self.output_reports), "featuresSet": list(self.features_set),
                    "featuresGot": list(self.features_got), "reads": self.reads, "opens": self.opens,
                    "errors": list(self.errors)}


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


class HidMeterPlayer:
    """Plays a byte-stream meter behind a CP2110 on a hidraw node, with the interface of
    harness_runtime.MeterPlayer (start, stop, snapshot, when_quiet, quiet_for, error), so the
    scenarios of umockdev_meter.py run unchanged over HID. Driven by the program's own reads
    and writes (umockdev's handler thread): no thread of its own."""

    def __init__(self, bed, device, master, meter, baud=19200, reply_delay=0.0):
        import time
        self.meter = meter
        self.lock = threading.Lock()
        self.last_frame_at = time.monotonic()
        self.error = None
        self.bridge = CP2110Bridge(_LockedMeter(self), baud=baud, reply_delay=reply_delay)
        self.endpoint = HidEndpoint(bed, device, master, self.bridge)

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
