#!/usr/bin/python3
"""Kill loop: runs a daemon, SIGKILLs it at a random instant, restarts it on the same store,
many times; then lets one last run finish and reports.

    kill_loop.py --cycles N --store DB --records N [options] -- pocgate run --config CFG

Meant as the program under test of umockdev_meter.py (so every run sees the same mocked
meter through libudev). Each cycle starts the daemon, waits a random delay (uniform between
--min-delay and --max-delay seconds), sends SIGKILL, and notes what the store held at that
instant (read-only SQLite): dumping (a session was left without an end) and/or uploading
(readings undelivered or a batch in flight). The final run goes on until the store holds --records
readings, none pending and no batch in flight (or --final-timeout), then gets SIGTERM.

The final run must complete one dump session of its own. The last line printed is
"kill-loop finished " + a JSON summary: kills, killsDuringDump, killsDuringUpload (a kill can
be both), killsIdle, final counts, ok. Exit status 0 when ok.
"""

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time


def counts(store):
    """(readings, pending, dead letters, batches in flight, newest complete session id, sessions
    not ended) or None when unreadable yet."""
    if not os.path.exists(store):
        return None
    try:
        db = sqlite3.connect("file:%s?mode=ro" % store, uri=True, timeout=5)
        try:
            row = db.execute("SELECT (SELECT COUNT(*) FROM readings), (SELECT COUNT(*) FROM outbox), "
                             "(SELECT COUNT(*) FROM dead_letters), "
                             "(SELECT COUNT(*) FROM batches WHERE state = 'pending'), "
                             "(SELECT COALESCE(MAX(id), 0) FROM sessions WHERE outcome = 'complete'), "
                             "(SELECT COUNT(*) FROM sessions WHERE ended_at_ms IS NULL)").fetchone()
            return tuple(row)
        finally:
            db.close()
    except sqlite3.Error:
        return None


def main(argv):
    if "--" not in argv:
        print("kill_loop: give the daemon's command after --", file=sys.stderr)
        return 2
    split = argv.index("--")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--records", type=int, required=True, help="readings the meter holds")
    parser.add_argument("--min-delay", type=float, default=0.05)
    parser.add_argument("--max-delay", type=float, default=1.5)
    parser.add_argument("--final-timeout", type=float, default=120.0)
    parser.add_argument("--restart-gap", type=float, default=0.0,
                        help="seconds between a kill and the restart (a meter that measures only while no host "
                             "talks to it gets a chance to take a new measurement)")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    rng = random.Random(args.seed)
    summary = {"kills": 0, "killsDuringDump": 0, "killsDuringUpload": 0, "killsIdle": 0, "delays": []}

    for cycle in range(args.cycles):
        daemon = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        delay = rng.uniform(args.min_delay, args.max_delay)
        time.sleep(delay)
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        state = counts(args.store)
        summary["kills"] += 1
        summary["delays"].append(round(delay, 3))
        # A session without an end was cut short by the kill: it was reading the meter.
        dumping = state is None or state[5] > summary.get("_unended", 0)
        summary["_unended"] = state[5] if state else 0
        uploading = state is not None and (state[1] > 0 or state[3] > 0)
        summary["killsDuringDump"] += dumping
        summary["killsDuringUpload"] += uploading
        summary["killsIdle"] += not (dumping or uploading)
        phase = "+".join(p for p, on in (("dump", dumping), ("upload", uploading)) if on) or "idle"
        print("kill-loop: cycle %d killed after %.3f s during %s (store: %s)" % (cycle + 1, delay, phase, state), flush=True)
        time.sleep(args.restart_gap)

    before = counts(args.store)
    last_session = before[4] if before else 0
    daemon = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + args.final_timeout
    final = None
    while time.monotonic() < deadline and daemon.poll() is None:
        final = counts(args.store)
        # Done when this run dumped the whole meter once and everything is delivered.
        if final and final[4] > last_session and final[0] >= args.records and final[1] == final[3] == 0:
            break
        time.sleep(0.1)
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=15)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
    final = counts(args.store)
    summary["final"] = {"readings": final[0], "pending": final[1], "deadLetters": final[2], "batchesInFlight": final[3]} \
        if final else None
    summary["daemonExit"] = daemon.returncode
    summary.pop("_unended", None)
    summary["ok"] = bool(final and final[0] == args.records and final[1] == 0 and final[2] == 0 and final[3] == 0
                         and daemon.returncode == 0)
    print("kill-loop finished " + json.dumps(summary), flush=True)
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
