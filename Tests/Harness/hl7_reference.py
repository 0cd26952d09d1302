#!/usr/bin/python3
"""HL7 v2 results as python-hl7 (PyPI `hl7`) reads them: the reference pocgate's HL7 decoder
is checked against (Tests/FrameParsingTests/HL7ReferenceAgreementTests.swift).

    hl7_reference.py FILE

FILE holds the bytes a device sent: MLLP blocks (0x0B payload 0x1C 0x0D, the MLLP framing of
HL7 v2 appendix C) with anything between them. The framing here is the standard's and nothing
more: a block is what lies between a start byte and the next 0x1C 0x0D, and a start byte that
comes again before the end abandons the earlier one (a block cut short). A block of a single
ACK or NAK byte (MLLP release 2 commit acknowledgement) is not a message. Everything else is
python-hl7's: each block is parsed by `hl7.parse`, fields are read through its containers,
times by `hl7.parse_datetime`.

Prints one JSON object per line, for every OBX of every message, in order:
  message     1-based index of the block among the messages
  patients    the first component of each PID-3 repetition
  set_id      OBX-1            type       OBX-2
  code        OBX-3.1          system     OBX-3.3
  sub_id      OBX-4            value      OBX-5 as text
  decimal     OBX-5 (NM, or an ST that reads as a number), or the number of an SN, as
              {sign, digits, exponent} of Python's Decimal, or null when it is not a number
  comparator  an SN's comparator, else ""
  unit        OBX-6.1, escapes resolved by python-hl7's Message.unescape
  unit_system OBX-6.3
  abnormal    OBX-8            status     OBX-11
  obr_set_id  OBR-1 of the order the OBX belongs to
  time        OBX-14, else that order's OBR-7, as the wall time written (YYYY-MM-DDTHH:MM:SS),
              or null when absent or unreadable
  offset_s    the UTC offset written with that time, in seconds, or null
  segment     the OBX segment as python-hl7 renders it
"""
import json
import sys

import hl7

from reference_number import decimal_parts

START, END = 0x0B, b"\x1c\x0d"


def blocks(data):
    """The payloads of the whole MLLP blocks in `data`, in order."""
    out = []
    position = 0
    while True:
        start = data.find(bytes([START]), position)
        if start < 0:
            return out
        end = data.find(END, start + 1)
        if end < 0:
            return out
        restart = data.rfind(bytes([START]), start + 1, end)
        if restart >= 0:
            start = restart
        payload = data[start + 1:end]
        if payload not in (b"\x06", b"\x15"):
            out.append(payload)
        position = end + len(END)


def text(value):
    return "" if value is None else str(value)


def component(field, index):
    """Component `index` (1-based) of a field's first repetition, as text."""
    if not isinstance(field, hl7.Field) or len(field) == 0:
        return ""
    first = field[0]
    if isinstance(first, hl7.Repetition):
        return text(first[index - 1]) if len(first) >= index else ""
    return text(first) if index == 1 else ""


def field(segment, number):
    return segment[number] if len(segment) > number else None


def when(textual):
    textual = textual.strip()
    if not textual:
        return None, None
    try:
        moment = hl7.parse_datetime(textual)
    except (ValueError, TypeError):
        return None, None
    if moment is None:
        return None, None
    offset = moment.utcoffset()
    return moment.strftime("%Y-%m-%dT%H:%M:%S"), None if offset is None else int(offset.total_seconds())


def results(payload, index):
    message = hl7.parse(payload.decode("utf-8", "replace"))
    patients = []
    order_time, order_set_id = "", ""
    rows = []
    for segment in message:
        name = text(segment[0])
        if name == "PID":
            patients = []
            ids = field(segment, 3)
            for repetition in (ids if isinstance(ids, hl7.Field) else []):
                first = repetition[0] if isinstance(repetition, hl7.Repetition) else repetition
                if text(first):
                    patients.append(text(first))
        elif name == "OBR":
            order_set_id = text(field(segment, 1))
            order_time = component(field(segment, 7), 1)
        elif name == "OBX":
            kind = text(field(segment, 2))
            value_field = field(segment, 5)
            comparator, number = "", None
            if kind == "SN":
                comparator = component(value_field, 1)
                number = decimal_parts(component(value_field, 2)) if not component(value_field, 3) else None
            elif kind in ("NM", "ST"):
                number = decimal_parts(text(value_field))
            time_text = component(field(segment, 14), 1) or order_time
            wall, offset = when(time_text)
            rows.append({
                "message": index, "patients": patients, "set_id": text(field(segment, 1)), "type": kind,
                "code": component(field(segment, 3), 1), "system": component(field(segment, 3), 3),
                "sub_id": text(field(segment, 4)), "value": text(value_field), "decimal": number,
                "comparator": comparator, "unit": message.unescape(component(field(segment, 6), 1)),
                "unit_system": component(field(segment, 6), 3), "abnormal": text(field(segment, 8)),
                "status": text(field(segment, 11)), "obr_set_id": order_set_id,
                "time": wall, "offset_s": offset, "segment": str(segment),
            })
    return rows


def main(argv):
    data = open(argv[1], "rb").read()
    for index, payload in enumerate(blocks(data), start=1):
        for row in results(payload, index):
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv)
