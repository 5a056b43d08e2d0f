"""Structure check for the NIP (Nomor Induk Pegawai) of a civil servant.

The NIP is 18 digits, laid out by BKN (Peraturan Kepala BKN 22/2007):

    YYYYMMDD  YYYYMM  S  NNN
    |         |       |  +-- serial among those alike, never 000
    |         |       +----- sex: 1 man, 2 woman
    |         +------------- TMT CPNS: year and month of appointment
    +----------------------- birth date

Only the structure is checked, as for the NIK (layan/core/nik.py): the dates must
be real and the appointment must come after the birth. People write a NIP in
groups ("19850312 201001 1 004"); spaces are not part of it.
"""

from datetime import date

NIP_LENGTH = 18


def nip_clean(value: str) -> str:
    """The NIP as stored: the digits as written, without the spaces between groups."""
    return "".join(value.split())


def nip_problem(nip: str) -> str | None:
    """None when `nip` (already cleaned) is a structurally valid NIP, else why not."""
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        return f"NIP harus 18 digit angka (terisi {len(nip)} karakter)"
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return f"tanggal lahir pada NIP '{nip[0:8]}' (tahun, bulan, tanggal) bukan tanggal yang sah"
    if born.year < 1900:
        return f"tahun lahir pada NIP '{nip[0:4]}' tidak masuk akal"
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        return f"bulan TMT pada NIP '{nip[8:14]}' (tahun, bulan) bukan bulan yang sah"
    if (tmt_year, tmt_month) <= (born.year, born.month):
        return f"TMT pada NIP ({nip[8:14]}) harus sesudah tanggal lahir ({nip[0:8]})"
    if nip[14] not in "12":
        return f"digit jenis kelamin pada NIP harus 1 atau 2 (tertulis {nip[14]})"
    if nip[15:] == "000":
        return "nomor urut NIP 000 tidak sah"
    return None
