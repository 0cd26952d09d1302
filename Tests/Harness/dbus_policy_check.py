"""What pocgate's D-Bus policy (systemd/pocgate-dbus.conf) lets its user call, on a real
dbus-daemon: a private system bus whose default policy is Debian's (every user may call a
service that allows it; method calls otherwise denied), with pocgate's policy applied to the
user running this script in place of `pocgate`.

Two services own names on it: `org.bluez` and `org.example.Open` (a service that, like
logind, allows every user). A second connection, as the user under the policy, calls a
method of each, the bus's own `GetId` and `UpdateActivationEnvironment`, and tries to own a
name. Prints one JSON object: each attempt and the D-Bus error name it got (null = allowed).

Usage: /usr/bin/python3 Tests/Harness/dbus_policy_check.py POLICY_FILE WORKDIR
"""

import getpass
import json
import os
import signal
import subprocess
import sys
import threading

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"
          send_member="UpdateActivationEnvironment"/>
    <allow send_destination="org.bluez"/>
    <allow send_destination="org.example.Open"/>
  </policy>
  <policy context="mandatory">
    <allow own="org.bluez"/>
    <allow own="org.example.Open"/>
  </policy>
  <include>{policy}</include>
</busconfig>
"""


class Echo(dbus.service.Object):
    @dbus.service.method("org.example.Echo", in_signature="", out_signature="s")
    def Ping(self):
        return "pong"


def serve(address, names, ready):
    """One connection per name: a policy's send_destination matches every name the receiving
    connection owns, so two names on one connection would share their verdicts."""
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    keep = []
    for name in names:
        bus = dbus.bus.BusConnection(address)
        keep += [bus, dbus.service.BusName(name, bus), Echo(bus, "/echo")]
    ready.set()
    GLib.MainLoop().run()


def attempt(call):
    try:
        call()
        return None
    except dbus.exceptions.DBusException as error:
        return error.get_dbus_name()


def main():
    # The test runner blocks SIGTERM; the bus daemon would inherit that and outlive the check.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    policy_file, workdir = sys.argv[1], sys.argv[2]
    user = getpass.getuser()
    with open(policy_file) as f:
        policy = f.read().replace('user="pocgate"', 'user="%s"' % user)
    policy_path = os.path.join(workdir, "pocgate.conf")
    with open(policy_path, "w") as f:
        f.write(policy)
    socket = os.path.join(workdir, "system_bus_socket")
    config = os.path.join(workdir, "bus.conf")
    with open(config, "w") as f:
        f.write(BUS_CONFIG.format(socket=socket, policy=policy_path))
    daemon = subprocess.Popen(["dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = daemon.stdout.readline().strip()
        ready = threading.Event()
        threading.Thread(target=serve, args=(address, ["org.bluez", "org.example.Open"], ready), daemon=True).start()
        ready.wait(10)
        bus = dbus.bus.BusConnection(address)

        def ping(name):
            return lambda: bus.call_blocking(name, "/echo", "org.example.Echo", "Ping", "", [], timeout=5)

        result = {
            "user": user,
            "bluez": attempt(ping("org.bluez")),
            "open": attempt(ping("org.example.Open")),
            "getId": attempt(lambda: bus.call_blocking("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                       "org.freedesktop.DBus", "GetId", "", [], timeout=5)),
            "updateActivationEnvironment": attempt(lambda: bus.call_blocking(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "UpdateActivationEnvironment", "a{ss}", [{"X": "1"}], timeout=5)),
            "own": attempt(lambda: bus.request_name("org.example.Mine", dbus.bus.NAME_FLAG_DO_NOT_QUEUE)),
        }
        print(json.dumps(result), flush=True)
    finally:
        daemon.kill()
        daemon.wait(5)


if __name__ == "__main__":
    main()
