"""A number as the reference scripts print it: Python's Decimal as {sign, digits, exponent},
which pocgate's tests compare with their exact decimals digit for digit."""
from decimal import Decimal, InvalidOperation


def decimal_parts(text):
    """`text` (spaces around it allowed) as {sign, digits, exponent}, or None when it is not a
    finite decimal number."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    sign, digits, exponent = value.as_tuple()
    return {"sign": sign, "digits": "".join(map(str, digits)), "exponent": exponent}
