"""Layan's register field names: what every import layout maps onto.

These names are the keys of a mapping file (README, "Register import") and of
the synthetic generator's rows.
"""

# (name, required, description)
REGISTER_FIELDS: list[tuple[str, bool, str]] = [
    ("nik", True, "NIK, 16 digit"),
    ("no_kk", True, "Nomor Kartu Keluarga, 16 digit"),
    ("name", True, "nama lengkap"),
    ("sex", True, "jenis kelamin (L/P)"),
    ("birth_place", False, "tempat lahir"),
    ("birth_date", True, "tanggal lahir"),
    ("relationship", False, "hubungan dalam keluarga"),
    ("address", False, "alamat"),
    ("rt", False, "RT"),
    ("rw", False, "RW"),
    ("province_code", False, "kode provinsi (2 digit)"),
    ("regency_code", True, "kode kabupaten/kota (4 digit)"),
    ("district_code", False, "kode kecamatan (6 digit)"),
    ("district_name", False, "nama kecamatan"),
    ("village_code", False, "kode desa/kelurahan (10 digit)"),
    ("village_name", False, "nama desa/kelurahan"),
    ("desil", False, "desil kesejahteraan 1-10"),
    ("presence", False, "status keberadaan"),
    ("pkh", False, "penerima PKH"),
    ("bpnt", False, "penerima BPNT/Sembako"),
    ("pbi", False, "penerima PBI-JK"),
]
FIELD_NAMES = [name for name, _, _ in REGISTER_FIELDS]
# How a message names a field to people: its description up to the comma ("NIK", "tanggal lahir").
FIELD_LABELS = {name: description.split(",")[0] for name, _, description in REGISTER_FIELDS}
REQUIRED_FIELDS = [name for name, required, _ in REGISTER_FIELDS if required]
FLAG_FIELDS = ["pkh", "bpnt", "pbi"]
