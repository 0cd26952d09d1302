"""A private D-Bus system bus with a mocked BlueZ that plays a FORA/TaiDoc meter over its BLE
serial service, for pocgate's Bluetooth LE tests.

Starts `dbus-daemon` on a unix socket in --workdir (policy: allow everything), loads
python-dbusmock's `bluez5` template on it, adds adapter hci0, the meter and (with --stranger)
a phone that no profile matches, and extends the meter with GattService1/GattCharacteristic1
objects, written from the public TaiDoc notes (one vendor service 00001523-1212-efde-1523-
785feabcd123 whose characteristic ...1524... carries the 8-byte frames both ways). A write to
it is fed to the TD-4277 emulator of taidoc_meter.py; its answer comes back as PropertiesChanged
"Value" notifications, split into pieces (a notification is any slice of the byte stream).

Prints `READY <bus address>` on stdout when the objects are in place, runs until SIGTERM, then
writes DIR/result.json: every method call per object path (with the D-Bus type of each
discovery filter value) and the meter's summary.

With --stranger-name the phone advertises that name instead (any text: a hostile name with
control characters); with --phones N, N more phones no profile matches (F0:99:B6:00:00:01…).
With --spp-records N, also a classic Bluetooth serial (SPP) blood-pressure monitor reached
through BlueZ's Profile API (bt_spp_mock.py).

Usage:
  python3 Tests/Harness/ble_bus.py --workdir DIR [--records N] [--cut-after K] [--stranger]
      [--stranger-name NAME] [--phones N]
      [--spp-records N [--spp-cut-after K] [--spp-release-first]]
"""

import argparse
import json
import os
import signal
import subprocess
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbusmock  # noqa: E402
from dbusmock import mockobject  # noqa: E402
from taidoc_meter import TaiDocMeter, generate_records  # noqa: E402
from ble_agent_mock import AgentMock  # noqa: E402
from bt_spp_mock import SPPMock  # noqa: E402

SERVICE_UUID = "00001523-1212-efde-1523-785feabcd123"
CHAR_UUID = "00001524-1212-efde-1523-785feabcd123"
METER_ADDRESS = "C0:26:DA:00:42:77"
METER_NAME = "TAIDOC TD4277"
STRANGER_ADDRESS = "F0:99:B6:11:22:33"
STRANGER_NAME = "Pixel 7"
GATT_SERVICE = "org.bluez.GattService1"
GATT_CHAR = "org.bluez.GattCharacteristic1"
DEVICE = "org.bluez.Device1"
PROPS = "org.freedesktop.DBus.Properties"

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow send_type="method_call"/>
  </policy>
</busconfig>
"""


def set_device(path, **props):
    """Sets Device1 boolean properties of the mocked device at `path` and signals the change,
    as BlueZ does (Connected, ServicesResolved, Paired, ...)."""
    dev = mockobject.objects[path]
    changed = {}
    for name, value in props.items():
        dev.props[DEVICE][name] = dbus.Boolean(value, variant_level=1)
        changed[name] = dbus.Boolean(value, variant_level=1)
    dev.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as", [DEVICE, changed, []])


def plain(value):
    """D-Bus values as JSON: [type name, value] for numbers so strict types can be checked."""
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Int16, dbus.UInt16, dbus.Int32, dbus.UInt32, dbus.Int64, dbus.UInt64, dbus.Byte)):
        return [type(value).__name__, int(value)]
    if isinstance(value, dbus.Dictionary) or isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dbus.Array, list, tuple)):
        if isinstance(value, dbus.Array) and value.signature == "y":
            return bytes(int(b) for b in value).hex()
        return [plain(v) for v in value]
    if isinstance(value, (dbus.String, dbus.ObjectPath, str)):
        return str(value)
    return repr(value)


class Meter:
    """The meter's GATT side: objects appear at connect, writes go to the TD-4277 emulator."""

    def __init__(self, manager, device_path, records, cut_after):
        self.manager = manager
        self.device_path = device_path
        self.service_path = device_path + "/service000a"
        self.char_path = self.service_path + "/char000b"
        self.meter = TaiDocMeter(generate_records(records))
        self.cut_after = cut_after
        self.cut = False
        self.writes = []

    def device(self):
        return mockobject.objects[self.device_path]

    def set_device(self, **props):
        set_device(self.device_path, **props)

    def connect(self, dev):
        if self.cut:
            raise dbus.exceptions.DBusException("Page Timeout", name="org.bluez.Error.Failed")
        if dev.props[DEVICE]["Connected"]:
            raise dbus.exceptions.DBusException("Already Connected", name="org.bluez.Error.AlreadyConnected")
        self.set_device(Connected=True)
        if self.char_path not in mockobject.objects:
            self.add_gatt()
        # BlueZ resolves the services after Connect() has returned.
        GLib.timeout_add(50, lambda: self.set_device(ServicesResolved=True) and False)

    def disconnect(self, _dev):
        self.set_device(ServicesResolved=False, Connected=False)

    def add_gatt(self):
        self.manager.AddObject(self.service_path, GATT_SERVICE, {
            "UUID": dbus.String(SERVICE_UUID, variant_level=1),
            "Device": dbus.ObjectPath(self.device_path, variant_level=1),
            "Primary": dbus.Boolean(True, variant_level=1),
        }, [])
        self.manager.AddObject(self.char_path, GATT_CHAR, {
            "UUID": dbus.String(CHAR_UUID, variant_level=1),
            "Service": dbus.ObjectPath(self.service_path, variant_level=1),
            "Value": dbus.Array([], signature="y", variant_level=1),
            "Notifying": dbus.Boolean(False, variant_level=1),
            "Flags": dbus.Array(["read", "write", "notify"], signature="s", variant_level=1),
        }, [
            ("ReadValue", "a{sv}", "ay", lambda obj, _opts: obj.props[GATT_CHAR]["Value"]),
            ("WriteValue", "aya{sv}", "", lambda obj, value, options: self.write_value(obj, value, options)),
            ("StartNotify", "", "", lambda obj: self.set_notifying(obj, True)),
            ("StopNotify", "", "", lambda obj: self.set_notifying(obj, False)),
        ])
        for path, iface in ((self.service_path, GATT_SERVICE), (self.char_path, GATT_CHAR)):
            props = mockobject.objects[path].props[iface]
            self.manager.EmitSignal("org.freedesktop.DBus.ObjectManager", "InterfacesAdded", "oa{sa{sv}}",
                                    [dbus.ObjectPath(path), {iface: props}])

    def set_notifying(self, obj, value):
        obj.props[GATT_CHAR]["Notifying"] = dbus.Boolean(value, variant_level=1)
        obj.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as",
                       [GATT_CHAR, {"Notifying": dbus.Boolean(value, variant_level=1)}, []])

    def write_value(self, obj, value, options):
        if not self.device().props[DEVICE]["Connected"]:
            raise dbus.exceptions.DBusException("Not connected", name="org.bluez.Error.Failed")
        data = bytes(int(b) for b in value)
        self.writes.append({"bytes": data.hex(), "type": str(options.get("type", ""))})
        answer = self.meter.feed(data)
        if self.cut_after is not None and len(self.meter.values_served) >= self.cut_after:
            self.cut = True
            GLib.idle_add(lambda: self.disconnect(None) or False)
            return
        if answer and obj.props[GATT_CHAR]["Notifying"]:
            # Two notifications per answer, split inside the frame.
            for piece in (answer[:5], answer[5:]):
                GLib.idle_add(self.notify, obj, piece)

    def notify(self, obj, piece):
        if not self.device().props[DEVICE]["Connected"]:
            return False
        v = dbus.Array([dbus.Byte(b) for b in piece], signature="y", variant_level=1)
        obj.props[GATT_CHAR]["Value"] = v
        obj.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as", [GATT_CHAR, {"Value": v}, []])
        return False


def main():
    # A test runner may start us with its signals blocked: SIGTERM must reach the main loop.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--records", type=int, default=5)
    parser.add_argument("--cut-after", type=int, default=None,
                        help="drop the connection after the meter served K record values")
    parser.add_argument("--stranger", action="store_true", help="also a phone that no profile matches")
    parser.add_argument("--stranger-name", default=STRANGER_NAME, help="the name the phone advertises")
    parser.add_argument("--phones", type=int, default=0, help="this many more phones no profile matches")
    parser.add_argument("--pair-passkey", default=None,
                        help="the meter pairs by passkey entry and displays this passkey (ble_agent_mock.py)")
    parser.add_argument("--spp-records", type=int, default=None,
                        help="also a classic SPP blood-pressure monitor with N records, behind BlueZ's Profile API (bt_spp_mock.py)")
    parser.add_argument("--spp-cut-after", type=int, default=None,
                        help="the SPP monitor drops its first connection after serving K record values")
    parser.add_argument("--spp-unsolicited", default=None,
                        help="hand pocgate's profile a connection of this device path that it did not ask for")
    parser.add_argument("--spp-release-first", action="store_true",
                        help="the first ConnectProfile releases pocgate's profile (bluetoothd restarting) and fails")
    args = parser.parse_args()

    socket = os.path.join(args.workdir, "system_bus_socket")
    config = os.path.join(args.workdir, "bus.conf")
    with open(config, "w") as f:
        f.write(CONFIG.format(socket=socket))
    daemon = subprocess.Popen(["dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    address = daemon.stdout.readline().strip()

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(address)
    bus_name = dbus.service.BusName("org.bluez", bus, allow_replacement=True, replace_existing=True,
                                    do_not_queue=True)
    manager = mockobject.DBusMockObject(bus_name, "/", "org.freedesktop.DBus.ObjectManager", {},
                                          os.path.join(args.workdir, "mock.log"), True)
    mockobject.objects["/"] = manager
    manager.AddTemplate("bluez5", {})
    manager.AddAdapter("hci0", "pocgate-test")
    meter_path = manager.AddDevice("hci0", METER_ADDRESS, METER_NAME)
    meter = Meter(manager, meter_path, args.records, args.cut_after)
    dev = mockobject.objects[meter_path]
    dev.props[DEVICE]["UUIDs"] = dbus.Array([SERVICE_UUID], signature="s", variant_level=1)
    dev.props[DEVICE]["RSSI"] = dbus.Int16(-58, variant_level=1)
    dev.AddMethods(DEVICE, [("Connect", "", "", lambda d: meter.connect(d)),
                            ("Disconnect", "", "", lambda d: meter.disconnect(d))])
    if args.stranger:
        manager.AddDevice("hci0", STRANGER_ADDRESS, args.stranger_name)
    for n in range(1, args.phones + 1):
        manager.AddDevice("hci0", "F0:99:B6:00:%02X:%02X" % (n // 256, n % 256), "Phone %d" % n)
    pairing = AgentMock(bus, dev, args.pair_passkey) if args.pair_passkey is not None else None
    spp = SPPMock(bus, manager, "/org/bluez/hci0", args.spp_records, args.spp_cut_after,
                  args.spp_release_first, args.spp_unsolicited, args.workdir) \
        if args.spp_records is not None else None

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY " + address, flush=True)
    loop.run()

    calls = {}
    for path, obj in sorted(mockobject.objects.items()):
        if obj.call_log:
            calls[path] = [{"method": m, "args": plain(a)} for _, m, a in obj.call_log]
    result = {"meterPath": meter_path, "characteristic": meter.char_path, "calls": calls,
              "writes": meter.writes, "meter": meter.meter.summary(),
              "records": [r.as_json() for r in meter.meter.records],
              "pairing": pairing.summary() if pairing else None,
              "spp": spp.summary() if spp else None}
    with open(os.path.join(args.workdir, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    daemon.terminate()
    daemon.wait()


if __name__ == "__main__":
    main()
