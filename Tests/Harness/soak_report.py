#!/usr/bin/python3
"""Compares what a FHIR receiver got with what the emulated meter held, after a kill loop.

    soak_report.py --workdir HARNESS_DIR --observations observations.jsonl --requests requests.jsonl

Reads HARNESS_DIR/expected.json (the meter's final memory) and the kill loop's summary line
from HARNESS_DIR/daemon.stdout. Prints one line per figure and exits 0 when nothing was lost
and nothing was created twice.
"""
import argparse
import collections
import json
import os
import sys


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--observations", required=True)
    parser.add_argument("--requests", required=True)
    args = parser.parse_args()

    with open(os.path.join(args.workdir, "expected.json")) as f:
        expected = json.load(f)
    summary = {}
    with open(os.path.join(args.workdir, "daemon.stdout"), encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("kill-loop finished "):
                summary = json.loads(line[len("kill-loop finished "):])
    observations = lines(args.observations)
    requests = lines(args.requests)

    want = collections.Counter("%s|%d" % (r["time"], r["value"]) for r in expected["records"])
    created = [o for o in observations if o.get("_status") == "201"]
    got = collections.Counter("%s|%s" % (o["effectiveDateTime"][:19], o["_value_text"]) for o in created)
    identifiers = collections.Counter(o["identifier"][0]["value"] for o in created)
    lost = sum((want - got).values())
    extra = sum((got - want).values())
    twice = sum(n - 1 for n in identifiers.values() if n > 1)
    resent_entries = sum(1 for o in observations if o.get("_status") == "200")
    sequences = [r.get("headers", {}).get("x-pocgate-sequence") for r in requests]
    resent_batches = sum(1 for a, b in zip(sequences, sequences[1:]) if a is not None and a == b)

    print("meter records: %d" % sum(want.values()))
    print("kills: %s (during dump %s, during upload %s, idle %s)" % (
        summary.get("kills"), summary.get("killsDuringDump"), summary.get("killsDuringUpload"), summary.get("killsIdle")))
    print("observations created: %d, lost: %d, duplicates created: %d" % (len(created), lost, extra + twice))
    print("entries re-sent (answered 200 'already exists'): %d; batches re-sent: %d of %d requests" % (
        resent_entries, resent_batches, len(requests)))
    ok = lost == 0 and extra == 0 and twice == 0 and summary.get("ok") is True
    print("soak: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
