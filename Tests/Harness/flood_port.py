#!/usr/bin/python3
"""Flood driver: an HL7 v2 health kiosk on an FTDI bridge whose line is flooded.

    umockdev-wrapper /usr/bin/python3 Tests/Harness/flood_port.py --workdir DIR \\
        --mode garbage|valid --flood-mib N --store PATH -- command args...

It builds a umockdev testbed, starts the command (the gateway) inside it, plugs the kiosk's
bridge (0403:6001, product "HL7 Health Kiosk", /dev/ttyUSB0) and plays the kiosk on the PTY
master:
1. sync: one ORU^R01 message, sent again every second until it is acknowledged (the
   gateway has opened and configured the tty);
2. flood, as fast as the PTY takes it, `--flood-mib` MiB in all:
   - `garbage`: random bytes with near-miss MLLP blocks between them (hl7_kiosk.Junk);
   - `valid`: the `--messages` messages of the transfer, again and again;
3. the transfer: `--messages` messages, each until acknowledged;
4. waits until the store (read only) has every distinct reading delivered, settles, SIGTERMs.

Meanwhile it samples the command's VmRSS (/proc/PID/status) and the size of its stderr twice
a second (harness_runtime.Sampler), and drains the acknowledgements. DIR/result.json: bytes written and seconds, the
samples, the acknowledgement codes, the expected visits. Exit status 0 when every step ran.
"""

import argparse
import errno
import fcntl
import json
import os
import select
import signal
import sqlite3
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness_runtime import Clock, Program, Sampler, ScenarioTimeout  # noqa: E402
from hl7_kiosk import AckReader, Junk, visits  # noqa: E402
from mock_devices import Testbed, UsbSerialCable, host_controller_records  # noqa: E402


class Line(threading.Thread):
    """The kiosk's side of the PTY: drains and reads what the gateway writes."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master = master
        self.acks = AckReader()
        self.lock = threading.Lock()
        self.error = None
        self._halt = threading.Event()

    def run(self):
        try:
            while not self._halt.is_set():
                readable, _, _ = select.select([self.master], [], [], 0.1)
                if not readable:
                    continue
                try:
                    data = os.read(self.master, 65536)
                except OSError as error:
                    if error.errno not in (errno.EIO, errno.EAGAIN):
                        raise
                    self._halt.wait(0.02)
                    continue
                with self.lock:
                    self.acks.feed(data)
        except OSError as error:
            self.error = "kiosk line: %s" % error

    def codes_for(self, control_id):
        with self.lock:
            return list(self.acks.by_id.get(control_id, []))

    def stop(self):
        self._halt.set()
        self.join(timeout=2)


class Flood:
    def __init__(self, args, command):
        self.args, self.command = args, command
        self.clock = Clock(args.timeout)
        self.transfer = visits(args.messages, "HKT")
        self.sync = visits(1, "HKS")[0]
        # The sync visit an hour before the transfer's newest: a reading of its own.
        from datetime import timedelta
        self.sync.moment -= timedelta(hours=1)
        self.errors, self.figures = [], {}
        self.bed = self.program = self.line = self.sampler = None
        self.master = None

    def write_all(self, data, limit):
        """Writes `data` whole, waiting for the PTY to take it; False when `limit` passed."""
        view = memoryview(data)
        while view:
            if time.monotonic() > limit or not self.program.running():
                return False
            _, writable, _ = select.select([], [self.master], [], 0.2)
            if not writable:
                continue
            try:
                view = view[os.write(self.master, view[:65536]):]
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EIO):
                    raise
                time.sleep(0.01)
        return True

    def send_until_acknowledged(self, visit, resend_every):
        limit = min(time.monotonic() + self.args.phase_timeout, self.clock.deadline)
        while time.monotonic() < limit:
            if not self.write_all(visit.message(), limit):
                break
            wait_until = time.monotonic() + resend_every
            while time.monotonic() < min(wait_until, limit):
                if self.line.codes_for(visit.control_id):
                    return
                if not self.program.running():
                    raise ScenarioTimeout("the gateway exited while %s was sent" % visit.control_id)
                time.sleep(0.01)
        raise ScenarioTimeout("no acknowledgement for %s" % visit.control_id)

    def flood(self):
        target = self.args.flood_mib << 20
        limit = min(time.monotonic() + self.args.flood_seconds_limit, self.clock.deadline)
        junk = Junk(seed=18)
        transfer = b"".join(v.message() for v in self.transfer)
        written, pieces = 0, {"random": 0, "nearMiss": 0, "transfers": 0}
        started = time.monotonic()
        self.figures["floodStartedAt"] = round(self.clock.elapsed(), 2)
        while written < target:
            if self.args.mode == "garbage":
                chunks = [junk.random_bytes(1 << 18)]
                pieces["random"] += 1
                chunks += junk.near_misses()
                pieces["nearMiss"] += len(chunks) - 1
            else:
                chunks = [transfer]
                pieces["transfers"] += 1
            for chunk in chunks:
                if not self.write_all(chunk, limit):
                    raise ScenarioTimeout("the flood stopped after %d bytes (limit %.0f s, gateway running: %s)"
                                          % (written, self.args.flood_seconds_limit, self.program.running()))
                written += len(chunk)
        seconds = time.monotonic() - started
        self.figures.update({"floodBytes": written, "floodSeconds": round(seconds, 2),
                             "floodEndedAt": round(self.clock.elapsed(), 2), "pieces": pieces})
        self.clock.log("flooded %d bytes in %.1f s (%.1f MiB/s)" % (written, seconds, written / seconds / (1 << 20)))

    def delivered(self):
        try:
            with sqlite3.connect("file:%s?mode=ro" % self.args.store, uri=True, timeout=1) as db:
                return db.execute("SELECT COUNT(*) FROM readings WHERE delivered_at_ms IS NOT NULL").fetchone()[0]
        except sqlite3.Error:
            return -1

    def run(self):
        self.bed = Testbed()
        self.bed.add(host_controller_records())
        with open(os.path.join(self.args.workdir, "expected.json"), "w") as out:
            json.dump({"sync": self.sync.as_json(), "transfer": [v.as_json() for v in self.transfer]}, out, indent=1)
        self.program = Program(self.command, self.args.workdir, self.clock)
        self.program.start()
        self.sampler = Sampler(self.program, self.clock)
        self.sampler.start()
        self.program.wait_for_line("<6>running", (0, 0), self.args.phase_timeout)
        cable = UsbSerialCable("1-1", "ttyUSB0", 0, vendor="0403", product_id="6001", serial="FLOOD01",
                               manufacturer="FTDI", product="HL7 Health Kiosk", driver="ftdi_sio")
        self.master = self.bed.plug(cable)
        fcntl.fcntl(self.master, fcntl.F_SETFL, fcntl.fcntl(self.master, fcntl.F_GETFL) | os.O_NONBLOCK)
        self.line = Line(self.master)
        self.line.start()
        self.send_until_acknowledged(self.sync, resend_every=1.0)
        self.clock.log("sync message acknowledged")
        self.flood()
        for visit in self.transfer:
            self.send_until_acknowledged(visit, resend_every=5.0)
        self.clock.log("transfer acknowledged")
        wanted = len(self.transfer) + 1
        self.clock.wait_until(lambda: self.delivered() >= wanted or not self.program.running(),
                              self.args.phase_timeout, "%d readings delivered" % wanted, interval=0.2)
        time.sleep(self.args.settle)
        self.figures["endedAt"] = round(self.clock.elapsed(), 2)

    def finish(self):
        if self.sampler:
            self.sampler.stop()
        if self.line:
            self.line.stop()
            if self.line.error:
                self.errors.append(self.line.error)
        if self.program:
            self.program.stop(self.args.term_timeout)

    def result(self):
        line = self.line
        return {"ok": not self.errors, "errors": self.errors, "mode": self.args.mode,
                "durationSeconds": round(self.clock.elapsed(), 2), **self.figures,
                "samples": self.sampler.snapshot() if self.sampler else [],
                "ackCodes": line.acks.codes if line else {},
                "acksByControlID": {k: v for k, v in line.acks.by_id.items() if k.startswith("HK")} if line else {},
                "ackBytes": line.acks.bytes if line else 0,
                "daemon": self.program.summary() if self.program else None}


def parse(argv):
    if "--" not in argv:
        raise SystemExit("usage: flood_port.py [options] -- command args...")
    split = argv.index("--")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--store", required=True, help="the gateway's SQLite store, read only")
    parser.add_argument("--mode", choices=("garbage", "valid"), required=True)
    parser.add_argument("--flood-mib", type=int, default=64)
    parser.add_argument("--flood-seconds-limit", type=float, default=60)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--phase-timeout", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--term-timeout", type=float, default=10)
    return parser.parse_args(argv[:split]), argv[split + 1:]


def main(argv):
    args, command = parse(argv)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    flood = Flood(args, command)

    def stop_on_sigterm(signum, frame):
        raise ScenarioTimeout("the harness received SIGTERM")
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    try:
        flood.run()
    except ScenarioTimeout as error:
        flood.errors.append(str(error))
    except Exception as error:  # the result file must be written whatever happened
        flood.errors.append("harness error: %r" % error)
    finally:
        flood.finish()
        with open(os.path.join(args.workdir, "result.json"), "w") as out:
            json.dump(flood.result(), out, indent=1)
    for error in flood.errors:
        flood.clock.log("ERROR " + error)
    return 0 if not flood.errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
