"""Classic Bluetooth serial (SPP) for the mocked BlueZ of ble_bus.py: BlueZ's Profile API
(BlueZ doc/org.bluez.ProfileManager.rst, org.bluez.Profile.rst, org.bluez.Device.rst) and a
FORA/TaiDoc blood-pressure monitor behind it.

The monitor is a classic device (no LE advertisement): paired, its Device1.UUIDs holding the
Serial Port service class 00001101-0000-1000-8000-00805f9b34fb. Its protocol is the TaiDoc
8-byte frame protocol (taidoc_meter.py, written from docs/protocols/taidoc.md), model 3128
(TD-32xx / FORA P-series), every record blood pressure ("Blood-pressure and other record
layouts": systolic, mean, diastolic, pulse).

- ProfileManager1.RegisterProfile / UnregisterProfile on /org/bluez record the caller (sender,
  object path, UUID, options).
- Device1.ConnectProfile(uuid) on the monitor: refused unless a profile for that UUID is
  registered and the device is paired; otherwise a socketpair is made, a thread plays the
  monitor on one end, and the registered profile's NewConnection(device, fd, {}) gets the other
  end (a Unix fd over D-Bus); ConnectProfile answers after NewConnection was answered, as
  bluetoothd does. A ConnectProfile while connected fails with AlreadyConnected.
- Device1.DisconnectProfile(uuid): RequestDisconnection on the profile, then the monitor's end
  is closed.
- --spp-cut-after K: during the first connection, the monitor drops the link right after
  serving K record values (out of range mid-transfer); later connections run whole.
- --spp-unsolicited PATH: right after the first RegisterProfile, BlueZ hands the profile a
  connection of the device at PATH that nobody asked for (a device connecting by itself); the
  answer's error name is kept in "unsolicited", and written at once to WORKDIR/unsolicited so a
  test can wait for it before it stops the daemon.
- --spp-release-first: the first ConnectProfile calls the profile's Release and forgets the
  registration (bluetoothd restarting), then fails; the profile must be registered again.
summary() goes into result.json as "spp".
"""

import os
import socket
import threading
from datetime import datetime, timedelta

import dbus
import dbus.lowlevel
from gi.repository import GLib

from taidoc_meter import Record, TaiDocMeter

DEVICE = "org.bluez.Device1"
PROFILE = "org.bluez.Profile1"
PROFILE_MANAGER = "org.bluez.ProfileManager1"
SPP_UUID = "00001101-0000-1000-8000-00805f9b34fb"
MONITOR_ADDRESS = "00:12:A1:32:28:01"
MONITOR_NAME = "FORA P30 PLUS"


def bp_records(count):
    """`count` blood-pressure records, newest first, one every 7 hours."""
    base = datetime(2024, 6, 15, 8, 30)
    records = []
    for i in range(count):
        systolic, diastolic = 118 + (i * 7) % 40, 72 + (i * 5) % 20
        mean = diastolic + (systolic - diastolic) // 3
        records.append(Record(i, base - timedelta(hours=7 * i), systolic, 0, kind="blood-pressure",
                              mean=mean, diastolic=diastolic, pulse=60 + (i * 3) % 30, irregular=False))
    return records


class SPPMock:
    def __init__(self, bus, manager, adapter_path, records, cut_after, release_first=False, unsolicited=None,
                 workdir=None):
        self.workdir = workdir
        self.bus = bus
        self.registered = []       # [{"sender", "path", "uuid", "options"}]
        self.unregistered = []
        self.connections = 0
        self.refused = []
        self.cut_after = cut_after
        self.meter = TaiDocMeter(bp_records(records), model="3128")
        self.lock = threading.Lock()
        self.end = None            # the monitor's socket while connected
        self.new_connection_errors = []
        self.release_first = release_first
        self.registrations = 0
        self.unsolicited_path = unsolicited
        self.unsolicited = []
        self.releases = 0
        bus.add_message_filter(self.watch)
        self.path = manager.AddDevice(adapter_path.rsplit("/", 1)[-1], MONITOR_ADDRESS, MONITOR_NAME)
        from dbusmock import mockobject
        self.device = mockobject.objects[self.path]
        props = self.device.props[DEVICE]
        props["UUIDs"] = dbus.Array([SPP_UUID], signature="s", variant_level=1)
        props["Paired"] = dbus.Boolean(True, variant_level=1)
        props["Trusted"] = dbus.Boolean(True, variant_level=1)
        props["Class"] = dbus.UInt32(0x000900, variant_level=1)  # health device
        self.device.AddMethods(DEVICE, [
            ("ConnectProfile", "s", "", lambda _d, uuid: self.connect_profile(str(uuid))),
            ("DisconnectProfile", "s", "", lambda _d, uuid: self.disconnect_profile(str(uuid))),
        ])
        bluez = mockobject.objects["/org/bluez"]
        bluez.AddMethods(PROFILE_MANAGER, [
            ("RegisterProfile", "osa{sv}", "", lambda _o, path, uuid, options: None),
            ("UnregisterProfile", "o", "", lambda _o, path: None),
        ])

    def watch(self, _connection, message):
        """Who registers profiles: the mock's methods do not see the sender."""
        if isinstance(message, dbus.lowlevel.MethodCallMessage) and message.get_interface() == PROFILE_MANAGER:
            args = message.get_args_list()
            if message.get_member() == "RegisterProfile":
                self.registrations += 1
                if self.unsolicited_path and self.registrations == 1:
                    GLib.timeout_add(50, self.offer_unsolicited)
                self.registered.append({"sender": message.get_sender(), "path": str(args[0]), "uuid": str(args[1]).lower(),
                                        "options": {str(k): (bool(v) if isinstance(v, dbus.Boolean) else str(v))
                                                    for k, v in args[2].items()}})
            elif message.get_member() == "UnregisterProfile":
                self.unregistered.append(str(args[0]))
                self.registered = [r for r in self.registered if r["path"] != str(args[0])]
        return dbus.lowlevel.HANDLER_RESULT_NOT_YET_HANDLED

    def profile_for(self, uuid):
        for r in reversed(self.registered):
            if r["uuid"] == uuid.lower():
                return r
        return None

    def connect_profile(self, uuid):
        registered = self.profile_for(uuid)
        if registered is None or uuid.lower() != SPP_UUID:
            self.refused.append("no profile registered for " + uuid)
            raise dbus.exceptions.DBusException("Protocol not available", name="org.bluez.Error.NotAvailable")
        if self.release_first and self.releases == 0:
            self.releases += 1
            profile = self.bus.get_object(registered["sender"], registered["path"], introspect=False)
            profile.Release(dbus_interface=PROFILE, timeout=5)
            self.registered = [r for r in self.registered if r is not registered]
            raise dbus.exceptions.DBusException("bluetoothd restarting", name="org.bluez.Error.Failed")
        with self.lock:
            if self.end is not None:
                raise dbus.exceptions.DBusException("Already Connected", name="org.bluez.Error.AlreadyConnected")
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            self.end = ours
            self.connections += 1
            cut = self.cut_after if self.connections == 1 else None
        threading.Thread(target=self.play, args=(ours, cut), daemon=True).start()
        profile = self.bus.get_object(registered["sender"], registered["path"], introspect=False)
        try:
            profile.NewConnection(dbus.ObjectPath(self.path), dbus.types.UnixFd(theirs.fileno()), dbus.Dictionary({}, signature="sv"),
                                  dbus_interface=PROFILE, timeout=10)
        except dbus.exceptions.DBusException as e:
            self.new_connection_errors.append(e.get_dbus_name())
            self.close_end(ours)
            raise dbus.exceptions.DBusException("Connection refused", name="org.bluez.Error.Failed") from e
        finally:
            theirs.close()   # BlueZ's copy; the profile holds its own duplicate

    def offer_unsolicited(self):
        registered = self.profile_for(SPP_UUID)
        if registered is None:
            return False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        profile = self.bus.get_object(registered["sender"], registered["path"], introspect=False)
        try:
            profile.NewConnection(dbus.ObjectPath(self.unsolicited_path), dbus.types.UnixFd(theirs.fileno()),
                                  dbus.Dictionary({}, signature="sv"), dbus_interface=PROFILE, timeout=5)
            self.unsolicited.append("accepted")
        except dbus.exceptions.DBusException as e:
            self.unsolicited.append(e.get_dbus_name())
        if self.workdir:
            with open(os.path.join(self.workdir, "unsolicited"), "w") as f:
                f.write(self.unsolicited[-1])
        theirs.close()
        ours.close()
        return False

    def disconnect_profile(self, uuid):
        with self.lock:
            end = self.end
        if end is None:
            raise dbus.exceptions.DBusException("Not Connected", name="org.bluez.Error.NotConnected")
        registered = self.profile_for(uuid)
        if registered is not None:
            profile = self.bus.get_object(registered["sender"], registered["path"], introspect=False)
            try:
                profile.RequestDisconnection(dbus.ObjectPath(self.path), dbus_interface=PROFILE, timeout=5)
            except dbus.exceptions.DBusException as e:
                self.new_connection_errors.append(e.get_dbus_name())
        self.close_end(end)

    def close_end(self, end):
        with self.lock:
            if self.end is end:
                self.end = None
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        end.close()

    def play(self, end, cut):
        """The monitor: answers each host frame; with `cut`, drops the link after K values."""
        try:
            while True:
                data = end.recv(256)
                if not data:
                    break
                with self.lock:
                    answer = self.meter.feed(data)
                    served = len(self.meter.values_served)
                if cut is not None and served >= cut:
                    break
                if answer:
                    # In two pieces, split inside the frame: a stream splits anywhere.
                    end.sendall(answer[:3])
                    end.sendall(answer[3:])
        except OSError:
            pass
        self.close_end(end)

    def summary(self):
        with self.lock:
            meter = self.meter.summary()
        return {"devicePath": self.path, "registered": self.registered, "unregistered": self.unregistered,
                "connections": self.connections, "refused": self.refused,
                "registrations": self.registrations, "releases": self.releases, "unsolicited": self.unsolicited, "profileErrors": self.new_connection_errors,
                "meter": meter, "records": [r.as_json() for r in self.meter.records]}
