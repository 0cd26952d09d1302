"""Device records for the umockdev testbed: a USB host controller, USB-serial cables
(usb_device -> usb_interface -> usb-serial port -> tty), a platform UART and virtual ttys.

Facts this relies on (umockdev 0.17):
- add_from_string() with an "N: name" line on a SUBSYSTEM=tty device creates /dev/name as
  a PTY; get_dev_fd('/dev/name') returns its master. add_device() creates no node.
- adding a device sends its "add" uevent; remove_device() sends nothing and deletes the
  sysfs directory, so "remove" uevents must be sent before it.
- a removed sysfs path cannot be added again in the same testbed (the dev_t link under
  /sys/dev stays), so a replug uses another port, tty name and minor.
"""

import os

HOST_CONTROLLER = "/devices/pci0000:00/0000:00:14.0"
ROOT_HUB = HOST_CONTROLLER + "/usb1"


def _record(path, properties, attributes=(), node=None):
    lines = ["P: " + path]
    lines += ["E: %s=%s" % item for item in properties]
    lines += ["A: %s=%s" % item for item in attributes]
    if node:
        lines.append("N: " + node)
    return "\n".join(lines) + "\n"


def host_controller_records():
    """The xHCI controller and its root hub, so the tty's nearest usb_device is the cable."""
    return [
        _record(HOST_CONTROLLER, [("SUBSYSTEM", "pci"), ("DRIVER", "xhci_hcd")],
                [("vendor", "0x8086"), ("device", "0xa36d")]),
        _record(ROOT_HUB, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_device"), ("DRIVER", "usb"),
                           ("DEVNAME", "/dev/bus/usb/001/001")],
                [("idVendor", "1d6b"), ("idProduct", "0002"), ("manufacturer", "Linux xhci-hcd"),
                 ("product", "xHCI Host Controller"), ("busnum", "1"), ("devnum", "1")]),
    ]


class UsbSerialCable:
    """One USB-serial cable on a root-hub port, e.g. a PL2303 on 1-1 as /dev/ttyUSB0."""

    def __init__(self, port, tty, minor, vendor="067b", product_id="2303", serial=None,
                 manufacturer="Prolific Technology Inc.", product="USB-Serial Controller",
                 driver="pl2303"):
        self.port, self.tty, self.minor = port, tty, minor
        self.vendor, self.product_id = vendor, product_id
        self.serial, self.manufacturer, self.product = serial, manufacturer, product
        self.driver = driver
        self.usb_path = ROOT_HUB + "/" + port
        self.interface_path = self.usb_path + "/%s:1.0" % port
        self.port_path = self.interface_path + "/" + tty
        self.tty_path = self.port_path + "/tty/" + tty
        self.devnode = "/dev/" + tty

    def records(self):
        devnum = str(int(self.port.split("-")[-1].split(".")[-1]) + 1)
        attributes = [("idVendor", self.vendor), ("idProduct", self.product_id),
                      ("bcdDevice", "0300"), ("busnum", "1"), ("devnum", devnum)]
        for name, value in (("serial", self.serial), ("manufacturer", self.manufacturer),
                            ("product", self.product)):
            if value is not None:
                attributes.append((name, value))
        return [
            _record(self.usb_path, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_device"), ("DRIVER", "usb"),
                                    ("DEVNAME", "/dev/bus/usb/001/%03d" % int(devnum))], attributes),
            _record(self.interface_path, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_interface"),
                                          ("DRIVER", self.driver)],
                    [("bInterfaceNumber", "00"), ("bInterfaceClass", "ff")]),
            _record(self.port_path, [("SUBSYSTEM", "usb-serial"), ("DRIVER", self.driver)],
                    [("port_number", "0")]),
            self._tty_record(),
        ]

    def _tty_record(self):
        return _record(self.tty_path, [("SUBSYSTEM", "tty"), ("DEVNAME", self.devnode),
                                       ("MAJOR", "188"), ("MINOR", str(self.minor))],
                       [("dev", "188:%d" % self.minor)], node=self.tty)

    def removal_order(self):
        """Child first, as the kernel sends them on unplug."""
        return [self.tty_path, self.port_path, self.interface_path, self.usb_path]

    def describe(self):
        return {"usbPath": "/sys" + self.usb_path, "syspath": "/sys" + self.tty_path,
                "devnode": self.devnode, "idVendor": self.vendor, "idProduct": self.product_id,
                "serial": self.serial}


def platform_uart_records():
    """ttyS0 on the 8250 platform driver: a real device, no USB parent."""
    return [
        _record("/devices/platform/serial8250", [("SUBSYSTEM", "platform"), ("DRIVER", "serial8250")]),
        _record("/devices/platform/serial8250/tty/ttyS0",
                [("SUBSYSTEM", "tty"), ("DEVNAME", "/dev/ttyS0"), ("MAJOR", "4"), ("MINOR", "64")],
                [("dev", "4:64")], node="ttyS0"),
    ]


def virtual_tty_record(name, major, minor, node=False):
    """A tty under /sys/devices/virtual/tty: no parent device (tty0, console, ptmx, rfcomm0)."""
    return _record("/devices/virtual/tty/" + name,
                   [("SUBSYSTEM", "tty"), ("DEVNAME", "/dev/" + name),
                    ("MAJOR", str(major)), ("MINOR", str(minor))],
                   [("dev", "%d:%d" % (major, minor))], node=name if node else None)


def bluetooth_records():
    """Two RFCOMM ttys as the kernel's rfcomm driver makes them (assumptions, see
    docs/BLUETOOTH.md): rfcomm0 connected, below the HCI connection of a USB Bluetooth dongle
    (usb1/1-5 -> btusb interface -> bluetooth/hci0 -> hci0:11 -> rfcomm0); rfcomm1 bound with
    `rfcomm bind` but not connected, under /sys/devices/virtual/tty. Both carry the remote
    address (printed lower case, %pMR) and the channel as sysfs attributes, not the name."""
    dongle = ROOT_HUB + "/1-5"
    interface = dongle + "/1-5:1.0"
    hci = interface + "/bluetooth/hci0"
    link = hci + "/hci0:11"
    return [
        _record(dongle, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_device"), ("DRIVER", "usb"),
                         ("DEVNAME", "/dev/bus/usb/001/006")],
                [("idVendor", "0a12"), ("idProduct", "0001"), ("product", "CSR8510 A10"),
                 ("busnum", "1"), ("devnum", "6")]),
        _record(interface, [("SUBSYSTEM", "usb"), ("DEVTYPE", "usb_interface"), ("DRIVER", "btusb")],
                [("bInterfaceNumber", "00"), ("bInterfaceClass", "e0")]),
        _record(hci, [("SUBSYSTEM", "bluetooth"), ("DEVTYPE", "host")], [("address", "00:1b:dc:0f:aa:01")]),
        _record(link, [("SUBSYSTEM", "bluetooth"), ("DEVTYPE", "link")]),
        _record(link + "/rfcomm0", [("SUBSYSTEM", "tty"), ("DEVNAME", "/dev/rfcomm0"),
                                    ("MAJOR", "216"), ("MINOR", "0")],
                [("dev", "216:0"), ("address", "00:1a:7d:da:71:13"), ("channel", "1")], node="rfcomm0"),
        _record("/devices/virtual/tty/rfcomm1", [("SUBSYSTEM", "tty"), ("DEVNAME", "/dev/rfcomm1"),
                                                 ("MAJOR", "216"), ("MINOR", "1")],
                [("dev", "216:1"), ("address", "aa:bb:cc:dd:ee:ff"), ("channel", "3")], node="rfcomm1"),
    ]


def background_tty_records():
    """What every PC has besides the cable: a UART, virtual consoles, ptmx, and an RFCOMM
    tty bound without a live connection (which the kernel also puts under virtual/)."""
    records = platform_uart_records()
    records += [virtual_tty_record("console", 5, 1), virtual_tty_record("ptmx", 5, 2),
                virtual_tty_record("tty0", 4, 0), virtual_tty_record("tty1", 4, 1),
                virtual_tty_record("rfcomm0", 216, 0, node=True)]
    return records


class Testbed:
    """A thin layer over UMockdev.Testbed with the plug/unplug steps the scenarios use."""

    def __init__(self):
        import gi
        gi.require_version("UMockdev", "1.0")
        from gi.repository import UMockdev
        self.bed = UMockdev.Testbed.new()
        # Testbed.new() sets UMOCKDEV_DIR with setenv(); os.environ does not see that.
        os.environ["UMOCKDEV_DIR"] = self.bed.get_root_dir()
        self._devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)

    @property
    def root(self):
        return self.bed.get_root_dir()

    def add(self, records):
        for record in records:
            self.bed.add_from_string(record)

    def plug(self, cable):
        """Adds the cable (its "add" uevents go out) and returns the PTY master fd."""
        self.add(cable.records())
        master = self.bed.get_dev_fd(cable.devnode)
        if master < 0:
            raise RuntimeError("umockdev created no PTY for " + cable.devnode)
        return master

    def hang_up(self, master):
        """Closes the PTY master, so the program's open tty sees a hangup. The testbed owns
        the fd number and closes it at exit, so it is pointed at /dev/null atomically."""
        os.dup2(self._devnull, master)

    def unplug(self, cable):
        """Sends "remove" uevents child first, then deletes the sysfs tree and the /dev node
        with umockdev's bookkeeping for it (dev/.node/NAME, dev/.ptymap/_dev_pts_N): the
        kernel hands the freed PTY number to the next cable, and a stale map entry would
        make that plug abort."""
        for path in cable.removal_order():
            self.bed.uevent("/sys" + path, "remove")
        self.bed.remove_device("/sys" + cable.usb_path)
        dev = os.path.join(self.root, "dev")
        node = os.path.join(dev, cable.tty)
        stale = [node, os.path.join(dev, ".node", cable.tty)]
        if os.path.islink(node):
            stale.append(os.path.join(dev, ".ptymap", os.readlink(node).replace("/", "_")))
        for path in stale:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def retrigger(self, cable):
        """Sends a second "add" for a present tty, as `udevadm trigger` does."""
        self.bed.uevent("/sys" + cable.tty_path, "add")
