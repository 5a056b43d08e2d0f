"""Indonesian phone numbers, kept in one form: +62 followed by the national number.

People write the same number many ways: 0812-3456-7890, 62 812 3456 7890,
+62 812.3456.7890, (0370) 623037. The country code and the trunk 0 are
dropped, the separators too, and what is left must look like an Indonesian
number: a mobile number (8…, 9 to 12 digits) or a fixed line (an area code
2…7 or 9…, 8 to 11 digits with it). The number is not dialled; only its shape
is checked. Reasons are in Bahasa Indonesia because officers read them.
"""

import re

__all__ = ["PhoneError", "phone_normalized", "phone_problem"]

# Spaces, dashes, dots, slashes and the brackets round an area code.
_SEPARATORS = re.compile(r"[\s\-./()]")
_HINT = "tulis 08…, 628… atau +62 8… (mis. 0812-3456-7890)"


class PhoneError(ValueError):
    """A phone number that is not an Indonesian number; `reason` is for officers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _national(value: str) -> str | None:
    """The national significant number (without 62 or the trunk 0), or None if unknown."""
    digits = _SEPARATORS.sub("", value)
    digits = digits.removeprefix("+")
    if not digits.isascii() or not digits.isdigit():
        return None
    if digits.startswith("62"):
        digits = digits[2:]
        # "+62 (0)812…": the trunk 0 written after the country code.
        return digits[1:] if digits.startswith("0") else digits
    if digits.startswith("0"):
        return digits[1:]
    return None


def phone_problem(value: str) -> str | None:
    """None when `value` is an Indonesian phone number (or empty), else why not."""
    shown = value.strip()
    if not shown:
        return None
    compact = _SEPARATORS.sub("", shown)
    if compact.startswith("+") and not compact.startswith("+62"):
        return f"Nomor telepon '{shown}' bukan nomor Indonesia (+62): {_HINT}."
    national = _national(shown) or ""
    if national.startswith("8"):
        if not 9 <= len(national) <= 12:
            return (
                f"Nomor HP '{shown}' harus 10 sampai 13 digit bila diawali 0 "
                f"(terisi {len(national) + 1}): {_HINT}."
            )
        return None
    if national[:1] in tuple("2345679"):
        if not 8 <= len(national) <= 11:
            return (
                f"Nomor telepon '{shown}' harus 9 sampai 12 digit bila diawali 0 dan kode "
                f"wilayah (terisi {len(national) + 1}): {_HINT}."
            )
        return None
    return f"Nomor telepon '{shown}' tidak dikenali: {_HINT}."


def phone_normalized(value: str) -> str:
    """`value` as +62…, digits only ('' stays ''); PhoneError when it is not Indonesian."""
    problem = phone_problem(value)
    if problem is not None:
        raise PhoneError(problem)
    national = _national(value.strip())
    return f"+62{national}" if national else ""
