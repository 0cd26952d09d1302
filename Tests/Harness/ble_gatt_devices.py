"""Bluetooth SIG GATT devices on a mocked BlueZ, for pocgate's `ble-gatt` tests: a glucose
meter of the Glucose Profile and a blood-pressure monitor of the Blood Pressure Profile.

Written from the Bluetooth SIG specification text (Glucose Service 1.0, Blood Pressure Service
1.1, GATT Specification Supplement: Glucose Measurement, Glucose Measurement Context, Record
Access Control Point, Blood Pressure Measurement, SFLOAT), not from pocgate's decoder.

The bus, the bluez5 template and adapter hci0 are set up as in ble_bus.py. The glucose meter
(GLUCOSE_ADDRESS) stores --records records, sequence numbers 1…N, every tenth with a context
(meal: preprandial). It answers the RACP:
  - `01 01` report all, `01 06` the last record, `01 03 01 lo hi` report sequence number >= N: the records as Glucose
    Measurement (and Context) notifications, then the indication `06 00 01 01` (success) or
    `06 00 01 06` (no records found);
  - `04 01` / `04 03 01 lo hi`: `05 00 lo hi`;
  - anything else: `06 00 <op> 02` (op code not supported) — a delete or abort is recorded and
    never carried out;
  - a write while RACP indications are off fails with ATT error 0x81 (Client Characteristic
    Configuration Descriptor improperly configured), a write while a request runs with
    org.bluez.Error.InProgress, as BlueZ reports them.
--grow K adds K new records after the first connection ends; --renumber K replaces the records
then by K new ones numbered 1…K (a factory reset: memory cleared, numbering from 1 again);
--cut-after K drops the connection after K measurements of the first transfer were notified
(and it stays reachable).

The blood-pressure monitor (BP_ADDRESS) indicates its one stored measurement (128/82 mmHg,
mean 97, pulse 66, 2024-06-20 07:45:30) once its measurement indications are enabled, then
disconnects by itself a moment later.

Prints `READY <bus address>`; on SIGTERM writes DIR/result.json: every method call per object
path, every WriteValue (path, bytes, type) and the glucose records as (sequence, mg/dL).

Usage:
  python3 Tests/Harness/ble_gatt_devices.py --workdir DIR [--records N] [--grow K] [--renumber K] [--cut-after K] [--bp]
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbusmock import mockobject  # noqa: E402
from ble_bus import CONFIG, DEVICE, GATT_CHAR, GATT_SERVICE, PROPS, plain, set_device  # noqa: E402

GLUCOSE_ADDRESS = "C0:26:DA:18:08:01"
GLUCOSE_NAME = "GLUCOSE 1808"
BP_ADDRESS = "C0:26:DA:18:10:02"
BP_NAME = "BLESMART 1810"


def sig(short):
    return "0000%04x-0000-1000-8000-00805f9b34fb" % short


def le16(v):
    return [v & 0xFF, (v >> 8) & 0xFF]


def date_time(t):
    """Date Time: year uint16, month, day, hours, minutes, seconds."""
    return le16(t.year) + [t.month, t.day, t.hour, t.minute, t.second]


def sfloat(mantissa, exponent):
    """SFLOAT: 4-bit signed exponent over a 12-bit signed mantissa."""
    return le16(((exponent & 0x0F) << 12) | (mantissa & 0x0FFF))


class GlucoseRecord:
    def __init__(self, seq, first_day=datetime(2024, 6, 1, 7, 0)):
        self.seq = seq
        self.time = first_day + timedelta(hours=5 * seq)
        self.mgdl = 70 + (seq * 37) % 180
        self.context = seq % 10 == 0

    def measurement(self):
        # Flags: time offset present, concentration + type/location present (kg/L), context follows.
        flags = 0x01 | 0x02 | (0x10 if self.context else 0)
        # mg/dL = kg/L * 100000: mantissa mg/dL, exponent -5; capillary whole blood (1) at the finger (1).
        return [flags] + le16(self.seq) + date_time(self.time) + le16(0) + sfloat(self.mgdl, -5) + [0x11]

    def context_value(self):
        # Flags: meal present; meal 1 = preprandial.
        return [0x02] + le16(self.seq) + [0x01]


class Device:
    """GATT objects for one device, added at its first connect, kept (BlueZ's Cache=always)."""

    def __init__(self, manager, device_path, services):
        self.manager = manager
        self.path = device_path
        self.services = services  # [(service uuid, [(char uuid, flags, read value)])]
        self.chars = {}  # uuid -> path
        self.notifying = set()
        self.connects = 0
        self.writes = []

    def device(self):
        return mockobject.objects[self.path]

    def set_device(self, **props):
        set_device(self.path, **props)

    def connected(self):
        return bool(self.device().props[DEVICE]["Connected"])

    def connect(self, _dev):
        if self.connected():
            raise dbus.exceptions.DBusException("Already Connected", name="org.bluez.Error.AlreadyConnected")
        self.connects += 1
        self.set_device(Connected=True)
        if not self.chars:
            self.add_gatt()
        GLib.timeout_add(50, lambda: self.set_device(ServicesResolved=True) and False)

    def disconnect(self, _dev=None):
        if self.connected():
            self.set_device(ServicesResolved=False, Connected=False)
            self.disconnected()
        # Indications stop with the link (no bond: the client subscribes again).
        for uuid in list(self.notifying):
            self.set_notifying(uuid, False)

    def disconnected(self):
        pass

    def add_gatt(self):
        handle = 0x10
        for service_uuid, chars in self.services:
            spath = "%s/service%04x" % (self.path, handle)
            handle += 1
            self.manager.AddObject(spath, GATT_SERVICE, {
                "UUID": dbus.String(service_uuid, variant_level=1),
                "Device": dbus.ObjectPath(self.path, variant_level=1),
                "Primary": dbus.Boolean(True, variant_level=1),
            }, [])
            self.announce(spath, GATT_SERVICE)
            for uuid, flags, value in chars:
                cpath = "%s/char%04x" % (spath, handle)
                handle += 2
                self.chars[uuid] = cpath
                self.manager.AddObject(cpath, GATT_CHAR, {
                    "UUID": dbus.String(uuid, variant_level=1),
                    "Service": dbus.ObjectPath(spath, variant_level=1),
                    "Value": dbus.Array([dbus.Byte(b) for b in value], signature="y", variant_level=1),
                    "Notifying": dbus.Boolean(False, variant_level=1),
                    "Flags": dbus.Array(flags, signature="s", variant_level=1),
                }, [
                    ("ReadValue", "a{sv}", "ay", lambda obj, _o: obj.props[GATT_CHAR]["Value"]),
                    ("WriteValue", "aya{sv}", "", lambda obj, v, o, u=uuid: self.write(u, bytes(int(b) for b in v), o)),
                    ("StartNotify", "", "", lambda obj, u=uuid: self.set_notifying(u, True)),
                    ("StopNotify", "", "", lambda obj, u=uuid: self.set_notifying(u, False)),
                ])
                self.announce(cpath, GATT_CHAR)

    def announce(self, path, iface):
        props = mockobject.objects[path].props[iface]
        self.manager.EmitSignal("org.freedesktop.DBus.ObjectManager", "InterfacesAdded", "oa{sa{sv}}",
                                [dbus.ObjectPath(path), {iface: props}])

    def set_notifying(self, uuid, value):
        if value:
            self.notifying.add(uuid)
        else:
            self.notifying.discard(uuid)
        obj = mockobject.objects[self.chars[uuid]]
        obj.props[GATT_CHAR]["Notifying"] = dbus.Boolean(value, variant_level=1)
        obj.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as",
                       [GATT_CHAR, {"Notifying": dbus.Boolean(value, variant_level=1)}, []])
        if value:
            self.subscribed(uuid)

    def subscribed(self, uuid):
        pass

    def send(self, uuid, value):
        """A notification or indication: only while connected and subscribed."""
        if not self.connected() or uuid not in self.notifying:
            return False
        obj = mockobject.objects[self.chars[uuid]]
        v = dbus.Array([dbus.Byte(b) for b in value], signature="y", variant_level=1)
        obj.props[GATT_CHAR]["Value"] = v
        obj.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as", [GATT_CHAR, {"Value": v}, []])
        return True

    def write(self, uuid, data, options):
        self.writes.append({"characteristic": uuid, "bytes": data.hex(), "type": str(options.get("type", ""))})
        raise dbus.exceptions.DBusException("Write not permitted", name="org.bluez.Error.NotPermitted")


MEASUREMENT, CONTEXT, RACP = sig(0x2A18), sig(0x2A34), sig(0x2A52)


class GlucoseMeter(Device):
    def __init__(self, manager, path, records, grow, cut_after, renumber=0):
        dis = [(sig(0x2A24), ["read"], list(b"GM-1808")), (sig(0x2A25), ["read"], list(b"GLS0001808"))]
        gls = [(MEASUREMENT, ["notify"], []), (CONTEXT, ["notify"], []), (sig(0x2A51), ["read"], le16(0x0402)),
               (RACP, ["write", "indicate"], [])]
        super().__init__(manager, path, [(sig(0x180A), dis), (sig(0x1808), gls)])
        self.records = [GlucoseRecord(s) for s in range(1, records + 1)]
        self.grow = grow
        self.renumber = renumber
        self.cut_after = cut_after
        self.busy = False
        self.transfers = []

    def disconnected(self):
        self.busy = False
        if self.grow and self.connects == 1:
            last = self.records[-1].seq if self.records else 0
            self.records += [GlucoseRecord(last + i) for i in range(1, self.grow + 1)]
        if self.renumber and self.connects == 1:
            # A factory reset: the memory is cleared and the numbering starts at 1 again.
            self.records = [GlucoseRecord(i, datetime(2024, 9, 1, 7, 0)) for i in range(1, self.renumber + 1)]

    def write(self, uuid, data, options):
        self.writes.append({"characteristic": uuid, "bytes": data.hex(), "type": str(options.get("type", ""))})
        if not self.connected():
            raise dbus.exceptions.DBusException("Not connected", name="org.bluez.Error.Failed")
        if uuid != RACP:
            raise dbus.exceptions.DBusException("Write not permitted", name="org.bluez.Error.NotPermitted")
        if RACP not in self.notifying:
            raise dbus.exceptions.DBusException("Operation failed with ATT error: 0x81", name="org.bluez.Error.Failed")
        if self.busy:
            raise dbus.exceptions.DBusException("In Progress", name="org.bluez.Error.InProgress")
        self.busy = True
        GLib.idle_add(self.answer, data)

    def selected(self, operator, operand):
        if operator == 0x01 and not operand:
            return list(self.records)
        if operator == 0x06 and not operand:
            return self.records[-1:]
        if operator == 0x03 and len(operand) == 3 and operand[0] == 0x01:
            n = operand[1] | operand[2] << 8
            return [r for r in self.records if r.seq >= n]
        return None

    def answer(self, data):
        op, operator, operand = data[0], (data[1] if len(data) > 1 else None), list(data[2:])
        if op in (0x01, 0x04) and operator is not None:
            chosen = self.selected(operator, operand)
            if chosen is None:
                self.finish([0x06, 0x00, op, 0x04])
            elif op == 0x04:
                self.finish([0x05, 0x00] + le16(len(chosen)))
            else:
                self.transfers.append([r.seq for r in chosen])
                self.stream(chosen, 0)
        else:
            # Delete (02), abort (03) and anything else: refused, nothing changes.
            self.finish([0x06, 0x00, op, 0x02])
        return False

    def stream(self, chosen, i):
        if not self.connected():
            return False
        if not chosen:
            self.finish([0x06, 0x00, 0x01, 0x06])
            return False
        if i == len(chosen):
            self.finish([0x06, 0x00, 0x01, 0x01])
            return False
        if self.cut_after is not None and self.connects == 1 and i == self.cut_after:
            self.disconnect()
            return False
        r = chosen[i]
        self.send(MEASUREMENT, r.measurement())
        if r.context:
            self.send(CONTEXT, r.context_value())
        GLib.timeout_add(5, self.stream, chosen, i + 1)
        return False

    def finish(self, indication):
        self.busy = False
        self.send(RACP, indication)


class BPMonitor(Device):
    def __init__(self, manager, path):
        dis = [(sig(0x2A24), ["read"], list(b"BP-1810")), (sig(0x2A25), ["read"], list(b"BPS0001810"))]
        bps = [(sig(0x2A35), ["indicate"], []), (sig(0x2A49), ["read"], le16(0x0000))]
        super().__init__(manager, path, [(sig(0x180A), dis), (sig(0x1810), bps)])
        self.indicated = 0

    def subscribed(self, uuid):
        if uuid == sig(0x2A35) and self.indicated == 0:
            GLib.timeout_add(100, self.indicate)

    def indicate(self):
        # Flags: mmHg, time stamp present, pulse rate present.
        value = [0x06] + sfloat(128, 0) + sfloat(82, 0) + sfloat(97, 0) + date_time(datetime(2024, 6, 20, 7, 45, 30)) + sfloat(66, 0)
        if self.send(sig(0x2A35), value):
            self.indicated += 1
            GLib.timeout_add(1500, lambda: self.disconnect() or False)
        return False


def main():
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--grow", type=int, default=0)
    parser.add_argument("--cut-after", type=int, default=None)
    parser.add_argument("--renumber", type=int, default=0)
    parser.add_argument("--bp", action="store_true", help="the blood-pressure monitor instead of the glucose meter")
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
    bus_name = dbus.service.BusName("org.bluez", bus, allow_replacement=True, replace_existing=True, do_not_queue=True)
    manager = mockobject.DBusMockObject(bus_name, "/", "org.freedesktop.DBus.ObjectManager", {},
                                        os.path.join(args.workdir, "mock.log"), True)
    mockobject.objects["/"] = manager
    manager.AddTemplate("bluez5", {})
    manager.AddAdapter("hci0", "pocgate-test")
    if args.bp:
        path = manager.AddDevice("hci0", BP_ADDRESS, BP_NAME)
        device = BPMonitor(manager, path)
        advertised = [sig(0x1810)]
    else:
        path = manager.AddDevice("hci0", GLUCOSE_ADDRESS, GLUCOSE_NAME)
        device = GlucoseMeter(manager, path, args.records, args.grow, args.cut_after, args.renumber)
        advertised = [sig(0x1808)]
    dev = mockobject.objects[path]
    dev.props[DEVICE]["UUIDs"] = dbus.Array(advertised, signature="s", variant_level=1)
    dev.props[DEVICE]["RSSI"] = dbus.Int16(-61, variant_level=1)
    dev.AddMethods(DEVICE, [("Connect", "", "", lambda d: device.connect(d)),
                            ("Disconnect", "", "", lambda d: device.disconnect(d))])

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY " + address, flush=True)
    loop.run()

    calls = {}
    for p, obj in sorted(mockobject.objects.items()):
        if obj.call_log:
            calls[p] = [{"method": m, "args": plain(a)} for _, m, a in obj.call_log]
    result = {"devicePath": path, "characteristics": device.chars, "calls": calls, "connects": device.connects,
              "writes": device.writes, "transfers": getattr(device, "transfers", []),
              "records": [{"seq": r.seq, "mgdl": r.mgdl} for r in getattr(device, "records", [])],
              "indicated": getattr(device, "indicated", 0)}
    with open(os.path.join(args.workdir, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    daemon.terminate()
    daemon.wait()


if __name__ == "__main__":
    main()
