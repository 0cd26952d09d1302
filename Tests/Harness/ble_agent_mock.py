"""Pairing for the mocked BlueZ of ble_bus.py: BlueZ's side of Device1.Pair with a device that
displays a passkey (Secure Simple Pairing, passkey entry; BlueZ doc/org.bluez.Agent.rst).

python-dbusmock's bluez5 template marks a device paired without asking any agent. Here Pair()
asks the default agent (the one named in the last AgentManager1.RequestDefaultAgent, found by
the sender of that call) for RequestPasskey(device), records the answer, and pairs only when it
is the passkey the device "displays" (--pair-passkey); otherwise it fails with
org.bluez.Error.AuthenticationFailed, as bluetoothd does. A second Pair() of a paired device
fails with AlreadyExists. summary() goes into result.json as "pairing".
"""

import dbus
import dbus.lowlevel

DEVICE = "org.bluez.Device1"
AGENT = "org.bluez.Agent1"
AGENT_MANAGER = "org.bluez.AgentManager1"
PROPS = "org.freedesktop.DBus.Properties"


class AgentMock:
    def __init__(self, bus, device, displayed_passkey):
        self.bus = bus
        self.device = device
        self.displayed = int(displayed_passkey)
        self.registered = []
        self.default_agent = None
        self.answers = []
        self.errors = []
        bus.add_message_filter(self.watch)
        device.AddMethods(DEVICE, [("Pair", "", "", lambda _dev: self.pair())])

    def watch(self, _connection, message):
        """Record who registers agents: the mock's AgentManager1 methods do not see the sender."""
        if isinstance(message, dbus.lowlevel.MethodCallMessage) and message.get_interface() == AGENT_MANAGER:
            args = message.get_args_list()
            entry = {"member": message.get_member(), "sender": message.get_sender(),
                     "args": [str(a) for a in args]}
            self.registered.append(entry)
            if message.get_member() == "RequestDefaultAgent":
                self.default_agent = (message.get_sender(), str(args[0]))
            if message.get_member() == "UnregisterAgent" and self.default_agent \
                    and self.default_agent[1] == str(args[0]):
                self.default_agent = None
        return dbus.lowlevel.HANDLER_RESULT_NOT_YET_HANDLED

    def pair(self):
        props = self.device.props[DEVICE]
        if props.get("Paired"):
            raise dbus.exceptions.DBusException("Already Exists", name="org.bluez.Error.AlreadyExists")
        if self.default_agent is None:
            raise dbus.exceptions.DBusException("No agent available", name="org.bluez.Error.AuthenticationFailed")
        sender, path = self.default_agent
        agent = self.bus.get_object(sender, path, introspect=False)
        try:
            key = agent.RequestPasskey(dbus.ObjectPath(self.device.__dbus_object_path__),
                                       dbus_interface=AGENT, timeout=20)
        except dbus.exceptions.DBusException as e:
            self.errors.append(e.get_dbus_name())
            raise dbus.exceptions.DBusException("Authentication Canceled",
                                                name="org.bluez.Error.AuthenticationCanceled") from e
        self.answers.append({"method": "RequestPasskey", "type": type(key).__name__, "value": int(key)})
        if int(key) != self.displayed:
            raise dbus.exceptions.DBusException("Authentication Failed", name="org.bluez.Error.AuthenticationFailed")
        props["Paired"] = dbus.Boolean(True, variant_level=1)
        props["Bonded"] = dbus.Boolean(True, variant_level=1)
        self.device.EmitSignal(PROPS, "PropertiesChanged", "sa{sv}as",
                               [DEVICE, {"Paired": props["Paired"], "Bonded": props["Bonded"]}, []])

    def summary(self):
        return {"registered": self.registered, "answers": self.answers, "agentErrors": self.errors}
