#!/usr/bin/python3
"""Scenario driver: an emulated TaiDoc TD-4277 meter on an emulated USB-serial cable.

    umockdev-wrapper /usr/bin/python3 Tests/Harness/umockdev_meter.py \\
        --scenario replug --workdir DIR [options] -- command args...
    python3 Tests/Harness/umockdev_meter.py --self-test

It builds a umockdev testbed, starts the command inside it (stdout and stderr to
DIR/daemon.stdout and DIR/daemon.stderr), plugs and unplugs the cable, plays the meter on
the PTY, SIGTERMs the command at the end, and writes DIR/expected.json (the meter's
memory) and DIR/result.json (what the meter saw, per phase). Exit status 0 when the
scenario ran to its end, 1 when a bounded wait ran out or the command died early
(result.json says which), 2 for usage errors.

Scenarios: plug, replug, unplug-mid-dump, plug-list (README.md beside this file).
"""

import argparse
import json
import os
import signal
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness_runtime import Clock, MeterPlayer, Program, Sampler, ScenarioTimeout  # noqa: E402
from line_noise import TaiDocSpray  # noqa: E402
from hid_device import HidDevice  # noqa: E402
from hid_model_player import HidModelPlayer  # noqa: E402
from hid_player import HidMeterPlayer  # noqa: E402
from hid_meter_player import NativeHidMeterPlayer  # noqa: E402
from mock_devices import (Testbed, UsbSerialCable, background_tty_records,  # noqa: E402
                          bluetooth_records, host_controller_records, virtual_tty_record)
from taidoc_meter import DEFAULT_SERIAL, MEMORIES, TaiDocMeter, generate_records  # noqa: E402
import codefree_meter  # noqa: E402
import contour_next_meter  # noqa: E402
import freestyle_hid_meter  # noqa: E402
import freestyle_meter  # noqa: E402
import glucomen_areo_meter  # noqa: E402
import lifescan_meter  # noqa: E402
import omron_bp_monitor  # noqa: E402
import ultra2_meter  # noqa: E402

FAMILIES = ("taidoc", "ultra2", "ultramini", "verio-iq", "freestyle", "codefree", "glucomen-areo", "omron", "contour-next", "freestyle-hid")
# Meters whose own USB side is HID: always `--link hid`, (vendor, product, manufacturer, product name).
HID_METERS = {"contour-next": ("1a79", "7410", "Bayer HealthCare LLC", "Contour Next USB"),
              "freestyle-hid": ("1a61", "3850", "Abbott Diabetes Care", "FreeStyle Precision Neo")}

SCENARIOS = ("plug", "replug", "unplug-mid-dump", "plug-list", "bluetooth-list", "plug-reload",
             "reload-mid-dump")


def meter_clock(args):
    """The meter's clock at plug time: `--meter-clock` (`now`: the real current wall time in
    `--meter-zone`, or an ISO local time) plus `--meter-clock-offset-s`; None = the emulator's
    default (30 minutes after the newest record)."""
    if args.meter_clock is None:
        return None
    from datetime import datetime, timedelta
    if args.meter_clock == "now":
        from zoneinfo import ZoneInfo
        moment = datetime.now(ZoneInfo(args.meter_zone)).replace(tzinfo=None, microsecond=0)
    else:
        moment = datetime.fromisoformat(args.meter_clock)
    return moment + timedelta(seconds=args.meter_clock_offset_s)


class Scenario:
    def __init__(self, args, command):
        self.args, self.command = args, command
        self.clock = Clock(args.timeout)
        if args.family == "ultra2":
            self.memory = ultra2_meter.generate_records(args.records, original=args.ultra_original)
        elif args.family == "ultramini":
            self.memory = lifescan_meter.generate_records(args.records)
        elif args.family == "verio-iq":
            self.memory = lifescan_meter.generate_verio_iq_records(args.records, control_at=args.control_record)
        elif args.family == "freestyle":
            self.memory = freestyle_meter.generate_records(args.records)
        elif args.family == "glucomen-areo":
            self.memory = glucomen_areo_meter.generate_records(args.records)
        elif args.family == "codefree":
            self.memory = codefree_meter.generate_records(args.records)
        elif args.family == "omron":
            self.banks = omron_bp_monitor.generate_memory(omron_bp_monitor.split(args.records))
            self.memory = omron_bp_monitor.flatten(self.banks)
        elif args.family == "contour-next":
            self.memory = contour_next_meter.generate_records(args.records)
        elif args.family == "freestyle-hid":
            self.memory = freestyle_hid_meter.generate_records(args.records)
        else:
            self.memory = generate_records(args.records, duplicate_pair=args.duplicate_pair, memory=args.memory)
        self.phases, self.errors = [], []
        self.bed = self.program = self.active = None
        self.grower = self.sampler = self.spray = None

    # Steps ---------------------------------------------------------------------------
    def cable(self, port, tty, minor):
        if self.args.link == "hid" and self.args.family == "omron":
            # A monitor with its own USB HID interface (Omron 0590:0028, interface 0; the
            # strings are the emulator's, no public capture gives them).
            return HidDevice(port, "hidraw%d" % minor, minor, vendor="0590", product_id="0028", interface=0,
                             serial=self.args.usb_serial, manufacturer="OMRON HEALTHCARE", product="HEM-790IT")
        if self.args.link == "hid" and self.args.family in HID_METERS:
            vendor, product_id, manufacturer, product = HID_METERS[self.args.family]
            return HidDevice(port, "hidraw%d" % minor, minor, vendor=vendor, product_id=product_id, interface=0,
                             serial=self.args.usb_serial, manufacturer=manufacturer, product=product)
        if self.args.link == "cp2110":
            # A meter with an on-board Silicon Labs CP2110 HID-to-UART bridge (public id 10c4:ea80).
            return HidDevice(port, "hidraw%d" % minor, minor, serial=self.args.usb_serial)
        if self.args.link == "hid":
            vendor, product = self.args.hid_id.split(":")
            return HidDevice(port, "hidraw%d" % minor, minor, vendor=vendor, product_id=product,
                             interface=self.args.hid_interface, serial=self.args.usb_serial,
                             manufacturer="pocgate test", product="HID meter")
        if self.args.family == "freestyle":
            # Abbott's strip-port cable: a TUSB3410 with Abbott's own ids (public).
            return UsbSerialCable(port, tty, minor, vendor="1a61", product_id="3410", serial=self.args.usb_serial,
                                  manufacturer="Abbott", product="FreeStyle cable", driver="ti_usb_3410_5052")
        if self.args.family == "verio-iq":
            # The Verio IQ's own USB port: an on-board CP210x with LifeScan's product id (public).
            return UsbSerialCable(port, tty, minor, vendor="10c4", product_id="85a7", serial=self.args.usb_serial,
                                  manufacturer="LifeScan", product="OneTouch Verio IQ", driver="cp210x")
        if self.args.family in ("glucomen-areo", "codefree"):
            # A generic SiLabs CP210x cable (public id 10c4:ea60).
            return UsbSerialCable(port, tty, minor, vendor="10c4", product_id="ea60", serial=self.args.usb_serial,
                                  manufacturer="Silicon Labs", product="CP2102 USB to UART Bridge Controller", driver="cp210x")
        return UsbSerialCable(port, tty, minor, serial=self.args.usb_serial)

    def plug(self, name, cable):
        """Plugs the cable, starts playing the meter; returns the log mark before the plug."""
        mark = self.program.log_mark() if self.program else (0, 0)
        if self.args.link == "hid" and self.args.family == "omron":
            # A device that is its own HID model (it answers in whole reports and feature reports).
            player = HidModelPlayer(self.bed, cable, self.make_meter(),
                                    reply_delay=self.args.reply_delay_ms / 1000.0)
            master = player.plug(self.bed)
        elif self.args.link == "hid" and self.args.family in HID_METERS:
            # A meter whose own USB side is HID (Contour Next, FreeStyle HID).
            player = NativeHidMeterPlayer(self.bed, cable, self.make_meter(),
                                    reply_delay=self.args.reply_delay_ms / 1000.0)
            master = player.plug(self.bed)
        elif self.args.link in ("cp2110", "hid"):
            player = HidMeterPlayer(self.bed, cable, self.make_meter(), baud=self.args.cp2110_baud,
                                    reply_delay=self.args.reply_delay_ms / 1000.0, link=self.args.link,
                                    report_size=self.args.hid_report_size)
            master = player.plug(self.bed)
        else:
            master = self.bed.plug(cable)
            if self.args.spray_kib_per_reply > 0 and self.spray is None:
                self.spray = TaiDocSpray(seed=18, kib=self.args.spray_kib_per_reply)
            player = MeterPlayer(master, self.make_meter(), self.clock,
                                 reply_delay=self.args.reply_delay_ms / 1000.0, spray=self.spray)
        player.start()
        phase = {"name": name, "port": cable.describe(), "pluggedAt": round(self.clock.elapsed(), 3)}
        self.phases.append(phase)
        self.active = (cable, master, player, phase)
        self.clock.log("plugged %s on %s as %s" % (name, cable.port, cable.devnode))
        if self.args.new_record_every > 0 and self.args.max_new_records > 0:
            self.grower = MeterGrowth(player, self.args.new_record_every, self.args.max_new_records)
            self.grower.start()
        return mark

    def serial(self):
        if self.args.family == "ultra2":
            return self.args.meter_serial or ultra2_meter.DEFAULT_SERIAL
        if self.args.family == "ultramini":
            return self.args.meter_serial or lifescan_meter.DEFAULT_SERIAL
        if self.args.family == "verio-iq":
            return self.args.meter_serial or lifescan_meter.VERIO_IQ_SERIAL
        if self.args.family == "freestyle":
            return self.args.meter_serial or freestyle_meter.DEFAULT_SERIAL
        if self.args.family == "glucomen-areo":
            return self.args.meter_serial or glucomen_areo_meter.DEFAULT_SERIAL
        if self.args.family == "contour-next":
            return self.args.meter_serial or contour_next_meter.DEFAULT_SERIAL
        if self.args.family == "freestyle-hid":
            return self.args.meter_serial or freestyle_hid_meter.DEFAULT_SERIAL
        if self.args.family in ("codefree", "omron"):
            # The meter reports none: the gateway names it by its cable's USB serial.
            return "usb:" + self.args.usb_serial
        return (self.args.meter_serial or DEFAULT_SERIAL).upper()

    def make_meter(self):
        if self.args.family == "ultra2":
            return ultra2_meter.Ultra2Meter(self.memory, serial=self.serial(), clock=meter_clock(self.args),
                                            original=self.args.ultra_original)
        if self.args.family == "ultramini":
            return lifescan_meter.UltraEasyMeter(self.memory, serial=self.serial(), clock=meter_clock(self.args))
        if self.args.family == "verio-iq":
            return lifescan_meter.VerioIQMeter(self.memory, serial=self.serial(), clock=meter_clock(self.args))
        if self.args.family == "freestyle":
            return freestyle_meter.OptiumMeter(self.memory, serial=self.serial(), clock=meter_clock(self.args))
        if self.args.family == "glucomen-areo":
            return glucomen_areo_meter.AreoMeter(self.memory, serial=self.serial(), clock=meter_clock(self.args))
        if self.args.family == "codefree":
            return codefree_meter.CodeFreeMeter(self.memory)
        if self.args.family == "omron":
            return omron_bp_monitor.OmronMonitor(self.banks)
        if self.args.family == "contour-next":
            return contour_next_meter.ContourNextMeter(self.memory, serial=self.serial(), ignore_first_eot=False,
                                                       clock=meter_clock(self.args) or contour_next_meter.DEFAULT_CLOCK)
        if self.args.family == "freestyle-hid":
            return freestyle_hid_meter.FreeStyleHIDMeter(self.memory, serial=self.serial(), ignore_first=False,
                                                         clock=meter_clock(self.args) or freestyle_hid_meter.DEFAULT_CLOCK)
        return TaiDocMeter(self.memory, serial=self.serial(), clock=meter_clock(self.args), model=self.args.meter_model)

    def unplug(self):
        """Hangs up the tty, sends the remove uevents, deletes the device; waits for the
        program to notice (--removed-line) or pauses (--pause)."""
        cable, master, player, phase = self.active
        mark = self.program.log_mark()
        player.stop()
        self.bed.hang_up(master)
        self.bed.unplug(cable)
        self.finish_phase()
        phase["unpluggedAt"] = round(self.clock.elapsed(), 3)
        self.clock.log("unplugged %s" % cable.devnode)
        if self.args.removed_line:
            self.program.wait_for_line(self.args.removed_line, mark, self.args.phase_timeout)
        else:
            self.sleep(self.args.pause)

    def finish_phase(self):
        if self.active is None:
            return
        if self.grower:
            self.grower.stop()
        _, _, player, phase = self.active
        player.stop()
        phase.update(player.snapshot(lambda meter: meter.summary()))
        if hasattr(player, "hid_summary"):
            hid = player.hid_summary()
            phase["hid"] = hid
            phase.setdefault("violations", []).extend(hid["bridgeViolations"])
        if player.error:
            self.errors.append(player.error)
        self.active = None

    def served(self, read):
        return self.active[2].snapshot(read)

    def wait(self, predicate, what):
        def done_or_dead():
            return predicate() or not self.program.running()
        self.clock.wait_until(done_or_dead, self.args.phase_timeout, what)
        if not predicate():
            raise ScenarioTimeout("the program exited while waiting for " + what)

    def wait_dump(self, mark, full):
        """`full`: every record must be requested in this phase. Otherwise the phase ends
        on --until-log-line, or on the last record or a power-off when no line is given."""
        last = len(self.memory) - 1
        if full and self.memory:
            self.wait(lambda: self.served(lambda m: last in m.values_served), "a request for record %d" % last)
        if self.args.until_log_line:
            self.program.wait_for_line(self.args.until_log_line, mark, self.args.phase_timeout)
        elif not full and self.memory:
            self.wait(lambda: self.served(lambda m: last in m.values_served or m.powered_off),
                      "record %d or a power-off" % last)
        self.settle()

    def settle(self):
        """Waits until the meter has been quiet for --settle seconds (at once when the
        program has ended: nothing will talk any more)."""
        if self.active:
            player = self.active[2]
            self.clock.wait_until(lambda: player.quiet_for() >= self.args.settle or not self.program.running(),
                                  self.args.phase_timeout, "a quiet line")
        else:
            self.sleep(self.args.settle)

    def sleep(self, seconds):
        time.sleep(max(0.0, min(seconds, self.clock.deadline - time.monotonic())))

    def start_program(self):
        self.program = Program(self.command, self.args.workdir, self.clock)
        self.program.start()
        self.sampler = Sampler(self.program, self.clock)
        self.sampler.start()
        if self.args.ready_line:
            self.program.wait_for_line(self.args.ready_line, (0, 0), self.args.phase_timeout)
        else:
            self.sleep(self.args.settle)

    # Scenarios -----------------------------------------------------------------------
    def run(self):
        self.bed = Testbed()
        self.bed.add(host_controller_records())
        if self.args.extra_ttys or self.args.scenario == "plug-list":
            self.bed.add(background_tty_records())
        self.write_expected()
        if self.args.scenario == "plug-list":
            return self.plug_list()
        if self.args.scenario == "bluetooth-list":
            return self.bluetooth_list()
        if self.args.scenario == "plug-reload":
            return self.plug_reload()
        if self.args.scenario == "reload-mid-dump":
            return self.reload_mid_dump()
        port_a = self.cable("1-1", "ttyUSB0", 0)
        mark = self.plug("port-A", port_a) if self.args.preplug else None
        self.start_program()
        if self.args.extra_ttys:
            self.bed.add([virtual_tty_record("ttyprintk", 5, 3)])
            self.clock.log("hotplugged virtual tty ttyprintk")
        if mark is None:
            mark = self.plug("port-A", port_a)
        if self.args.scenario == "unplug-mid-dump":
            cut = self.args.cut_after
            self.wait(lambda: self.served(records_out) >= cut, "%d records read" % cut)
            self.unplug()
        else:
            self.wait_dump(mark, full=True)
            if self.args.retrigger:
                self.bed.retrigger(port_a)
                self.clock.log("re-sent add for %s" % port_a.devnode)
                self.settle()
            if self.args.scenario == "plug":
                return self.end()
            self.unplug()
        mark = self.plug("port-B", self.cable("1-2", "ttyUSB1", 1))
        self.wait_dump(mark, full=False)
        self.end()

    def plug_list(self):
        self.plug("port-A", self.cable("1-1", "ttyUSB0", 0))
        self.bed.plug(UsbSerialCable("1-3", "ttyUSB2", 2, vendor="1a86", product_id="7523", serial=None,
                                     manufacturer=None, product="USB Serial", driver="ch341"))
        self.bed.plug(UsbSerialCable("1-4", "ttyUSB3", 3, vendor="zz9x", product_id="2303", serial="X"))
        if self.args.link == "cp2110":
            # Beside the meter's bridge: a keyboard's HID interface, which no profile claims.
            self.bed.plug(HidDevice("1-6", "hidraw5", 5, vendor="046d", product_id="c31c", interface=0,
                                    manufacturer="Logitech", product="USB Keyboard"))
        self.start_program()
        if self.args.until_log_line:
            self.program.wait_for_line(self.args.until_log_line, (0, 0), self.args.phase_timeout)
            self.settle()
        else:
            self.clock.wait_until(lambda: not self.program.running(), self.args.phase_timeout,
                                  "the program to exit")
        self.end()

    def bluetooth_list(self):
        """Before start: a connected RFCOMM tty on a USB dongle and a bound one; wait for exit."""
        self.bed.add(bluetooth_records())
        self.start_program()
        self.clock.wait_until(lambda: not self.program.running(), self.args.phase_timeout, "the program to exit")
        self.end()

    def plug_reload(self):
        """Plug while the program has no profile for the cable; wait for --unclaimed-line; copy
        --reload-copy SRC to DST (a profile directory), SIGHUP the program, wait for the dump."""
        self.start_program()
        mark = self.plug("port-A", self.cable("1-1", "ttyUSB0", 0))
        self.program.wait_for_line(self.args.unclaimed_line, mark, self.args.phase_timeout)
        self.settle()
        source, target = self.args.reload_copy
        import shutil
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
        self.clock.log("copied %s to %s" % (source, target))
        if not self.args.no_sighup:
            self.program.process.send_signal(signal.SIGHUP)
            self.clock.log("sent SIGHUP")
        self.wait_dump(mark, full=True)
        self.end()

    def reload_mid_dump(self):
        """Plug; after --cut-after K record values were read, copy --reload-copy SRC DST (a new
        version of the profile in use) and SIGHUP the program; wait until --until-log-line has
        been printed twice since the plug (the dump in progress, then the next session)."""
        self.start_program()
        mark = self.plug("port-A", self.cable("1-1", "ttyUSB0", 0))
        cut = self.args.cut_after
        self.wait(lambda: len(set(self.served(lambda m: m.values_served))) >= cut, "%d records read" % cut)
        source, target = self.args.reload_copy
        import shutil
        shutil.copyfile(source, target)
        self.program.process.send_signal(signal.SIGHUP)
        self.clock.log("copied %s to %s and sent SIGHUP" % (source, target))
        import re
        regex = re.compile(self.args.until_log_line)

        def twice():
            with open(self.program.stderr_path, "rb") as log:
                log.seek(mark[1])
                text = log.read().decode("utf-8", "replace")
            return sum(1 for line in text[:text.rfind("\n") + 1].splitlines() if regex.search(line)) >= 2
        self.clock.wait_until(lambda: twice() or not self.program.running(), self.args.phase_timeout,
                              "two lines matching /%s/" % self.args.until_log_line)
        if not twice():
            raise ScenarioTimeout("the program exited before two sessions ended")
        self.settle()
        self.end()

    def end(self):
        self.settle()
        self.finish_phase()
        self.program.stop(self.args.term_timeout)
        if self.grower:
            # The meter's memory grew: expected.json lists what it holds at the end.
            self.memory = self.grower.memory()
            self.write_expected()

    # Files ---------------------------------------------------------------------------
    def write_expected(self):
        model = {"ultra2": "OneTouch Ultra 2", "ultramini": "OneTouch UltraEasy", "verio-iq": "OneTouch Verio IQ", "freestyle": "FreeStyle Optium",
                 "codefree": "SD CodeFree", "glucomen-areo": "GlucoMen areo",
                 "omron": "HEM-790IT", "contour-next": "Bayer7410", "freestyle-hid": "FreeStyle Precision Neo"}.get(self.args.family, self.args.meter_model)
        expected = {"model": model, "serial": self.serial(),
                    "usbSerial": self.args.usb_serial, "records": [r.as_json(i) if self.args.family == "omron" else r.as_json()
                                for i, r in enumerate(self.memory)]}
        write_json(os.path.join(self.args.workdir, "expected.json"), expected)

    def result(self):
        violations = [dict(v, phase=p["name"]) for p in self.phases for v in p.get("violations", [])]
        return {"scenario": self.args.scenario, "ok": not self.errors, "errors": self.errors,
                "durationSeconds": round(self.clock.elapsed(), 3),
                "meter": {"serial": self.serial(), "records": len(self.memory)},
                "phases": self.phases, "violations": violations,
                "daemon": self.program.summary() if self.program else None,
                "samples": self.sampler.snapshot() if self.sampler else [],
                "spray": self.spray.summary() if self.spray else None,
                "testbed": self.bed.root if self.bed else None}


def records_out(meter):
    """Records the meter has given out: record lines written by the player for a meter that
    dumps text (`records_written`), else record values served on request."""
    if hasattr(meter, "records_written"):
        return meter.records_written
    return len(set(meter.values_served))


class MeterGrowth(threading.Thread):
    """Takes a new measurement on the playing meter every `every` seconds, at most `limit`
    times (values from a deterministic sequence of 40..400 mg/dL), but only while no host is
    talking to it (the line quiet for `QUIET` seconds): a TD-42xx in PC-link mode does not
    measure, and a record prepended in the middle of a dump would shift the indexes the host
    is walking through. After a measurement it waits until a host has talked to the meter
    again, so each pause between two sessions gets at most one."""

    QUIET = 0.3

    def __init__(self, player, every, limit):
        super().__init__(daemon=True)
        self.player, self.every, self.limit = player, every, limit
        self.added = 0
        self._halt = threading.Event()

    def run(self):
        heard = -1
        while self.added < self.limit and not self._halt.wait(self.every):
            value = 40 + (self.added * 7919) % 361
            flags = (0x00, 0x40, 0x80)[self.added % 3]
            frames = self.player.snapshot(lambda meter: len(meter.frames_received))
            if frames == heard:
                continue
            if self.player.when_quiet(self.QUIET, lambda meter: meter.take_measurement(value, flags)):
                self.added += 1
                heard = frames

    def stop(self):
        self._halt.set()
        self.join(timeout=2)

    def memory(self):
        return self.player.snapshot(lambda meter: list(meter.records))


def write_json(path, value):
    with open(path + ".tmp", "w") as out:
        json.dump(value, out, indent=1)
    os.replace(path + ".tmp", path)


def parse(argv):
    command = []
    if "--" in argv:
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="check the meter emulation and exit")
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--workdir")
    parser.add_argument("--records", type=int, default=60, help="records in the meter (0..65535)")
    parser.add_argument("--family", choices=FAMILIES, default="taidoc", help="the meter played on the cable")
    parser.add_argument("--link", choices=("tty", "cp2110", "hid"), default="tty",
                        help="the meter's USB side: a USB-serial tty, an on-board CP2110 HID-to-UART bridge (hidraw), "
                             "or its frames in plain HID reports (hidraw, --hid-id), or the device's own HID interface (--family omron; implied by contour-next and freestyle-hid)")
    parser.add_argument("--hid-id", default="16c0:05df", help="hid: the device's USB vendor:product (4 hex digits each)")
    parser.add_argument("--hid-interface", type=int, default=0, help="hid: the HID interface's bInterfaceNumber")
    parser.add_argument("--hid-report-size", type=int, default=8, help="hid: the longest input report the device sends")
    parser.add_argument("--cp2110-baud", type=int, default=19200,
                        help="cp2110: the baud the meter's UART runs at; bytes flow only at that setting")
    parser.add_argument("--meter-serial", default=None, help="TaiDoc: 16 hex digits (default %s); Ultra 2: any" % DEFAULT_SERIAL)
    parser.add_argument("--meter-model", default="4277", help="4 digits the model reply (0x24) gives")
    parser.add_argument("--memory", choices=MEMORIES, default="glucose",
                        help="record kinds: glucose, two-in-one (blood pressure and glucose), thermometer")
    parser.add_argument("--usb-serial", default="A1B2C3D4", help="the cable's USB serial attribute")
    parser.add_argument("--control-record", type=int, default=-1,
                        help="verio-iq: the index of a control-solution record (-1: none)")
    parser.add_argument("--duplicate-pair", action="store_true", help="records 4 and 5 identical")
    parser.add_argument("--ultra-original", action="store_true",
                        help="ultra2: play the original OneTouch Ultra (record lines without meal and comment)")
    parser.add_argument("--cut-after", type=int, default=10, help="unplug-mid-dump: records read first")
    parser.add_argument("--preplug", action="store_true", help="port A present before the command starts")
    parser.add_argument("--extra-ttys", action="store_true",
                        help="add ttyS0, virtual consoles, rfcomm0; hotplug ttyprintk after start")
    parser.add_argument("--retrigger", action="store_true", help="re-send add for port A after its dump")
    parser.add_argument("--new-record-every", type=float, default=0.0,
                        help="seconds between checks for a new measurement while plugged (0: none); one per "
                             "pause of the host")
    parser.add_argument("--max-new-records", type=int, default=0, help="at most this many new measurements per plug")
    parser.add_argument("--spray-kib-per-reply", type=int, default=0,
                        help="taidoc on a tty: KiB of garbage (random bytes, near-miss frames) the meter writes "
                             "before each reply (0: none)")
    parser.add_argument("--reply-delay-ms", type=float, default=0.0,
                        help="milliseconds the meter waits before each reply (wire time; 0: at once)")
    parser.add_argument("--meter-clock",
                        help="the meter's clock at each plug: 'now' (real time in --meter-zone) or an ISO "
                             "local time; default 30 minutes after the newest record")
    parser.add_argument("--meter-zone", default="Asia/Shanghai", help="IANA zone of --meter-clock now")
    parser.add_argument("--meter-clock-offset-s", type=int, default=0,
                        help="seconds added to --meter-clock (negative: a slow meter)")
    parser.add_argument("--ready-line", help="regex the command prints once it listens for uevents")
    parser.add_argument("--until-log-line", help="regex that ends a phase, searched after each plug")
    parser.add_argument("--removed-line", help="regex the command prints after an unplug")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds after an unplug")
    parser.add_argument("--settle", type=float, default=0.5, help="quiet seconds that end a phase")
    parser.add_argument("--phase-timeout", type=float, default=30.0, help="bound of each wait")
    parser.add_argument("--timeout", type=float, default=120.0, help="bound of the whole scenario")
    parser.add_argument("--unclaimed-line", default="port not claimed",
                        help="plug-reload: regex the program prints when no profile claims the port")
    parser.add_argument("--reload-copy", nargs=2, metavar=("SRC", "DST"),
                        help="plug-reload: the profile file to copy into the program's profile directory")
    parser.add_argument("--no-sighup", action="store_true",
                        help="plug-reload: only copy the profile (the program must notice the change itself)")
    parser.add_argument("--term-timeout", type=float, default=10.0, help="SIGTERM to SIGKILL")
    args = parser.parse_args(argv)
    if args.family in HID_METERS:
        args.link = "hid"
    if not args.self_test:
        if not args.scenario or not args.workdir or not command:
            parser.error("--scenario, --workdir and a command after -- are required")
        if not 0 <= args.records <= 0xFFFF:
            parser.error("--records must be 0..65535")
        os.makedirs(args.workdir, exist_ok=True)
        args.workdir = os.path.abspath(args.workdir)
    return args, command


def main(argv):
    args, command = parse(argv)
    if args.self_test:
        import meter_selftest
        return meter_selftest.run()
    # A parent that spawned us from a thread with signals blocked (libdispatch workers do)
    # passes the mask on; the program under test must be able to receive SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    scenario = Scenario(args, command)

    def stop_on_sigterm(signum, frame):
        raise ScenarioTimeout("the harness received SIGTERM")
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        scenario.run()
    except ScenarioTimeout as error:
        scenario.errors.append(str(error))
    except Exception as error:  # the result file must be written whatever happened
        scenario.errors.append("harness error: %r" % error)
    finally:
        scenario.finish_phase()
        if scenario.program:
            scenario.program.stop(args.term_timeout)
        if scenario.sampler:
            scenario.sampler.stop()
        write_json(os.path.join(args.workdir, "result.json"), scenario.result())
    for error in scenario.errors:
        scenario.clock.log("ERROR " + error)
    return 0 if not scenario.errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
