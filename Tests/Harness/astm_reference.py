#!/usr/bin/python3
"""ASTM E1394 results as PyPI `astm-2025` reads them: the reference pocgate's ASTM decoder is
checked against (Tests/FrameParsingTests/ASTMReferenceAgreementTests.swift).

    astm_reference.py FILE

FILE holds the bytes a device sent. The low-level layer is E1381's and nothing more:
  - ENQ starts a transfer and EOT ends it; a frame is STX, the frame number, text, ETB
    (intermediate) or ETX (last), two checksum characters, CR LF;
  - the checksum is astm-2025's (`astm.codec.make_checksum`); a frame whose checksum does not
    match is dropped (the receiver answers NAK and the sender sends it again);
  - a frame with the number of the frame accepted just before is a repeat (its ACK was lost)
    and is dropped;
  - the texts of a message's frames are joined; the message ends with its ETX frame.
Records are cut at CR and each is decoded by `astm.codec.decode_record`; a field is taken at
the position astm-2025's record layouts (`astm.records.HeaderRecord`, `PatientRecord`,
`OrderRecord`, `ResultRecord`) give its name.

Prints one JSON object per line for every result (R) record, in order:
  record      the record's text as it arrived (joined across frames)
  sender      H-5, first component
  patient     P-3, P-4 and P-5 (the practice's, the laboratory's and a third patient id), or []
              when the transfer has no P before the result
  test        the R-3 components, in order
  value       R-4 as text            unit      R-5, first component
  decimal     R-4 without a leading comparator (< or >) as {sign, digits, exponent} of
              Python's Decimal, or null when it is not a number
  comparator  "<" or ">" when R-4 starts with it, else ""
  abnormal    R-7 repeats             status   R-9 (status_as_time: R-9 read as a time, where the
              Contour dialect writes the result time)
  started     R-12                    completed R-13
  order_time  O-8 (specimen collection time) of the order the result belongs to
Times are printed as YYYY-MM-DDTHH:MM:SS when they are 12 or 14 digits, else as given.
"""
import json
import sys
from datetime import datetime

from astm import codec, records

from reference_number import decimal_parts

ENQ, STX, ETX, EOT, ETB, CR, LF = 0x05, 0x02, 0x03, 0x04, 0x17, 0x0D, 0x0A
ENCODING = "latin-1"


def messages(data):
    """The texts of the whole messages in `data`, in order."""
    out, pending, last_number = [], b"", None
    position = 0
    while position < len(data):
        byte = data[position]
        if byte in (ENQ, EOT):
            pending, last_number = b"", None
            position += 1
            continue
        if byte != STX:
            position += 1
            continue
        end = data.find(b"\r\n", position)
        if end < 0:
            break
        frame = data[position:end + 2]
        position = end + 2
        close = max(frame.rfind(bytes([ETX])), frame.rfind(bytes([ETB])))
        if close < 2 or len(frame) != close + 5:
            continue
        if codec.make_checksum(frame[1:close + 1]) != frame[close + 1:close + 3].upper():
            continue
        number = frame[1:2]
        if number == last_number:
            continue
        last_number = number
        pending += frame[2:close]
        if frame[close] == ETX:
            out.append(pending)
            pending = b""
    return out


def first(value):
    while isinstance(value, list):
        value = value[0] if value else None
    return value or ""


def components(value):
    if isinstance(value, list) and value and isinstance(value[0], list):
        value = value[0]
    if isinstance(value, list):
        return [item or "" for item in value]
    return [value or ""]


def repeats(value):
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [first(item) for item in value]
    return [first(value)] if value else []


def when(text):
    text = (text or "").strip()
    for pattern in ("%Y%m%d%H%M%S", "%Y%m%d%H%M"):
        if len(text) == len(datetime.now().strftime(pattern)) and text.isdigit():
            return datetime.strptime(text, pattern).strftime("%Y-%m-%dT%H:%M:%S")
    return text


def field(layout, name, fields):
    """The field `name` of a decoded record, at the position astm-2025's record layout gives it."""
    position = [key for key, _ in layout._fields].index(name)
    return fields[position] if position < len(fields) else None


def main(argv):
    data = open(argv[1], "rb").read()
    sender, patient, order_time = "", [], ""
    for message in messages(data):
        for raw in message.split(b"\r"):
            if not raw:
                continue
            fields = codec.decode_record(raw, ENCODING)
            kind = first(fields[0])[-1:]
            if kind == "H":
                sender, patient, order_time = first(field(records.HeaderRecord, "sender", fields)), [], ""
            elif kind == "P":
                patient = [first(field(records.PatientRecord, name, fields)).strip()
                           for name in ("practice_id", "laboratory_id", "id")]
                order_time = ""
            elif kind == "O":
                order_time = first(field(records.OrderRecord, "sampled_at", fields))
            elif kind == "R":
                def result(name):
                    return field(records.ResultRecord, name, fields)
                value = first(result("value")).strip()
                comparator = value[:1] if value[:1] in ("<", ">") else ""
                print(json.dumps({
                    "record": raw.decode(ENCODING), "sender": sender, "patient": patient,
                    "test": components(result("test")), "value": value,
                    "decimal": decimal_parts(value[len(comparator):]), "comparator": comparator,
                    "unit": first(result("units")), "abnormal": repeats(result("abnormal_flag")),
                    "status": first(result("status")), "status_as_time": when(first(result("status"))), "started": when(first(result("started_at"))),
                    "completed": when(first(result("completed_at"))), "order_time": when(order_time),
                }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv)
