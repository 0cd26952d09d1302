"""A USB HID device on a umockdev testbed, read by the program under test through hidraw.

    from hid_device import HidDevice, HidEndpoint

`HidDevice` is the sysfs side: usb_device -> usb_interface (bInterfaceNumber) -> hid ->
hidraw/hidrawN with a `dev` of the hidraw major (not 188) and a /dev/hidrawN node.
`HidEndpoint` is the device side of that node (created before the node, then `plug(bed)`):
it plays input reports to the program, takes
its output reports, answers HIDIOCGFEATURE/HIDIOCSFEATURE, and records everything the program
wrote. A device model behind it (an object with `output_report(endpoint, report)` and
`set_feature(endpoint, report)` / `get_feature(endpoint, report_id, length)`) decides the
answers; hid_player.py beside this file has the models the scenarios use (a CP2110 bridge in
front of a byte-stream meter, a meter's frames in plain reports) and the player.

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

    def __init__(self, bed, device, model):
        """Attaches the handler to the node's path before the node exists: the program may
        open the node the moment its `add` uevent arrives, and an open made before the
        attach would bypass the handler. `plug(bed)` then adds the device."""
        import gi
        gi.require_version("UMockdev", "1.0")
        from gi.repository import UMockdev
        self.device, self.master, self.model = device, None, model
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

    def plug(self, bed):
        """Adds the device (its `add` uevents go out) and takes the node's PTY master."""
        bed.add(self.device.records())
        master = bed.bed.get_dev_fd(self.device.devnode)
        if master < 0:
            raise RuntimeError("umockdev created no node for " + self.device.devnode)
        with self.lock:
            self.master = master
            self._pump()
        return master

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
        if self.master is None or self.unplugged or self.outstanding or not self.queue:
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
