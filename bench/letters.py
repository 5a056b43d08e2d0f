"""`make bench-letters`: render + sign a letter, against a bare page + one pyHanko signature.

    .venv/bin/python -m bench.letters [--iterations 200] [--warmup 20] [--out docs/performance.md]

One process, a throwaway SQLite database (var/bench/letters/) with the seed
offices, a small synthetic register for Bone and Bone's staff. A real Bone case
(Surat Rekomendasi KIP) is walked to its sign step to get the letter's template,
layout and the head's key (RSA-2048, certified by the office root). Then, after a
warm-up, N rounds of the in-process measurements, interleaved (the order rotates
each round) so that load from other work falls on all of them alike:

  (a) baseline: a bare reportlab canvas page with one line of text, signed by
      pyHanko the documented way: `signers.SimpleSigner.load(key, cert, ca_chain)`
      (made once, outside the loop) and `signers.sign_pdf` with
      `PdfSignatureMetadata(field_name=..., subfilter=PADES)`;
  (a2) (a) with a fixed `bytes_reserved` only;
  (b) the same page and signature with the key loaded once (pyHanko's SimpleSigner
      parses and checks the RSA key on every signature) and a fixed
      `bytes_reserved` (without it pyHanko signs twice: a trial to size the room);
  (c) Layan: `letter_render` of the Bone letter's layout (a new verification code,
      hence a new QR, every round) + `pdf_sign` filling the number and date fields
      and adding the visible signature, as the sign step does. The layout is
      built once from the database (`letter_layout`) and no query runs inside the
      loop (checked).

Then (d): N cases at the sign step signed through `case_act` (Argon2 check of
the signer's password, the number taken, the revision and the letter saved, on
SQLite), timed whole, as extra information.

The section between `<!-- letters:begin -->` and `<!-- letters:end -->` of
docs/performance.md is rewritten (added at the end when missing); the rest of the
file stays as it is. Figures also go to var/bench/letters-results.json.
"""

import argparse
import dataclasses
import gc
import json
import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from io import BytesIO
from pathlib import Path
from typing import Any

from bench import sections

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

BEGIN = "<!-- letters:begin -->"
END = "<!-- letters:end -->"
TARGET_RATIO = 1.5
TARGET_MS = 100.0
X = "\N{MULTIPLICATION SIGN}"  # ratios print as "1.50" + X
BASELINE_TEXT = "Surat uji: satu baris teks pada halaman A4 kosong."
LABELS = {
    "a": "(a) baseline: reportlab page + pyHanko `sign_pdf`, documented way",
    "a2": "(a2) = (a) with a fixed `bytes_reserved` only (key still parsed per signature)",
    "b": "(b) baseline, key loaded once + fixed `bytes_reserved`",
    "c": "(c) Layan: `letter_render` + `pdf_sign` (fill number/date, visible signature)",
    "d": "(d) Layan sign step: `case_act` on SQLite (password, number, revision)",
}
PACKAGES = ("Django", "reportlab", "segno", "pyHanko", "pyhanko-certvalidator", "cryptography")


# =====================================================================================
# Measuring
# =====================================================================================


class Timer:
    """Wall-clock and CPU time of each call, in milliseconds, with its named parts."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.parts: dict[str, list[float]] = {}
        self.sizes: list[int] = []
        self._part_start = time.perf_counter_ns()
        self._pending: dict[str, float] = {}

    def run(self, work: Callable[["Timer"], bytes | None], *, keep: bool) -> None:
        wall, cpu = time.perf_counter_ns(), time.process_time_ns()
        self._part_start = wall
        self._pending = {}
        out = work(self)
        cpu, wall = time.process_time_ns() - cpu, time.perf_counter_ns() - wall
        if keep:
            self.wall.append(wall / 1e6)
            self.cpu.append(cpu / 1e6)
            for name, value in self._pending.items():
                self.parts.setdefault(name, []).append(value)
            if out is not None:
                self.sizes.append(len(out))

    def mark(self, name: str) -> None:
        """End the part `name` (it started at the previous mark or at the call's start)."""
        now = time.perf_counter_ns()
        self._pending[name] = (now - self._part_start) / 1e6
        self._part_start = now


def figures(values: list[float]) -> dict:
    """Median, p95 (nearest rank), mean, min and max of a list of milliseconds."""
    ordered = sorted(values)
    rank = max(0, -(-95 * len(ordered) // 100) - 1)
    return {
        "n": len(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[rank],
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
        "max": ordered[-1],
    }


def summary(timer: Timer) -> dict:
    return {
        "wall": figures(timer.wall),
        "cpu": figures(timer.cpu),
        "parts": {name: figures(values) for name, values in timer.parts.items()},
        "bytes": int(statistics.median(timer.sizes)) if timer.sizes else None,
    }


# =====================================================================================
# The in-process measurements: (a), (a2), (b), (c)
# =====================================================================================


def bare_page() -> bytes:
    """One A4 page with one line of text, as reportlab's canvas makes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont("Times-Roman", 12)
    canvas.drawString(72, 770, BASELINE_TEXT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def key_files(key_row, folder: Path) -> tuple[Path, Path, Path]:
    """The signer's key, certificate and the office root as PEM files (what pyHanko loads)."""
    from cryptography.hazmat.primitives import serialization

    from layan.letters.keys import signer_private_key

    folder.mkdir(parents=True, exist_ok=True)
    key = signer_private_key(key_row).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )  # fmt: skip
    paths = (folder / "signer-key.pem", folder / "signer-cert.pem", folder / "root-cert.pem")
    paths[0].write_bytes(key)
    paths[1].write_text(key_row.certificate)
    paths[2].write_text(key_row.office.authority.certificate)
    return paths


def baseline_signers(paths: tuple[Path, Path, Path]):
    """(a)'s signer as pyHanko documents it, and (b)'s with the key parsed once."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    key_path, cert_path, root_path = paths
    documented = signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=(str(root_path),)
    )
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), None)
    if not isinstance(loaded, rsa.RSAPrivateKey):  # signed with PKCS#1 v1.5 below
        raise SystemExit(f"{key_path}: an RSA key is needed")
    private_key: rsa.RSAPrivateKey = loaded

    class KeyLoadedOnce(signers.SimpleSigner):
        # SimpleSigner.sign_raw turns its asn1crypto key into a cryptography key (with
        # RSA's consistency checks) on every call; this one keeps the parsed key.
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            algorithm = get_pyca_cryptography_hash(digest_algorithm)
            return private_key.sign(data, padding.PKCS1v15(), algorithm)

    prepared = KeyLoadedOnce(
        signing_cert=documented.signing_cert,
        signing_key=documented.signing_key,
        cert_registry=documented.cert_registry,
    )
    return documented, prepared


def baseline(signer, bytes_reserved: int | None) -> Callable[[Timer], bytes]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    def work(timer: Timer) -> bytes:
        page = bare_page()
        timer.mark("page")
        meta = signers.PdfSignatureMetadata(
            field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES
        )
        writer = IncrementalPdfFileWriter(BytesIO(page))
        out = signers.sign_pdf(writer, meta, signer=signer, bytes_reserved=bytes_reserved)
        timer.mark("signature")
        return out.getvalue()

    return work


def layan_letter(layout, key_row, office, template) -> Callable[[Timer], bytes]:
    """(c): render the layout with a fresh verification code, then sign as letter_sign does."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from layan.letters.content import verify_url
    from layan.letters.models import verify_code_new
    from layan.letters.numbering import number_format
    from layan.letters.pdf import letter_render
    from layan.letters.pdf.appearance import signature_drawer
    from layan.letters.services import date_text
    from layan.letters.signing import SignRequest, pdf_sign

    local = timezone.localtime(timezone.now(), ZoneInfo(office.time_zone))
    number = number_format(template.numbering, 123, local.date())
    look = signature_drawer(key_row.user.full_name, key_row.user.nip, date_text(local))
    old_url = layout.verify_url

    def work(timer: Timer) -> bytes:
        url = verify_url(verify_code_new())  # a new QR each time, as every letter has
        fresh = dataclasses.replace(
            layout, verify_url=url, footer=layout.footer.replace(old_url, url)
        )
        rendered = letter_render(fresh)
        timer.mark("render")
        request = SignRequest(
            field_name="ttd", box=rendered.signature_box,
            reason=f"Penandatanganan surat {number}", location=office.name, look=look,
            fill={"nomor": number, "tanggal": date_text(local)},
        )  # fmt: skip
        out = pdf_sign(rendered.pdf, key=key_row, request=request)
        timer.mark("signature")
        return out

    return work


def interleaved(works: dict[str, Callable], warmup: int, rounds: int) -> dict[str, Timer]:
    """Each work once per round, the order rotating; the warm-up rounds are not kept."""
    timers = {key: Timer() for key in works}
    keys = list(works)
    for index in range(warmup + rounds):
        shift = index % len(keys)
        for key in keys[shift:] + keys[:shift]:
            timers[key].run(works[key], keep=index >= warmup)
    return timers


# =====================================================================================
# The case, and the sign step through case_act
# =====================================================================================


def bone_setup(work: Path) -> dict:
    """Bone's seed, staff and register; one case walked to the sign step."""
    from bench.letter_samples import register_load, seed_load, staff_create
    from layan.offices.models import Office

    seed_load()
    office = Office.objects.get(slug="bone")
    staff = staff_create(office)
    register = register_load(office, work)
    head, child = register.family()
    return {"office": office, "staff": staff, "head": head, "child": child}


def case_at_sign(setup: dict):
    from bench.letter_samples import LETTER_SERVICES, SCHOOLS, case_new, walk
    from layan.catalogue.schema import StepKind

    office = setup["office"]
    case = case_new(office, LETTER_SERVICES["bone"], setup["staff"], setup["head"],
                    setup["child"], SCHOOLS["bone"])  # fmt: skip
    return walk(case, setup["staff"], until=lambda step: step.kind == StepKind.SIGN)


def sign_step(setup: dict, warmup: int, rounds: int) -> dict:
    """N+warm-up cases walked to the sign step (not timed), then each signed, timed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.letter_samples import PASSWORD
    from layan.cases.services import case_act
    from layan.letters.models import Letter

    kadin = setup["staff"]["kadin"]
    started = time.perf_counter()
    cases = [case_at_sign(setup) for _ in range(warmup + rounds)]
    prepare_s = time.perf_counter() - started
    timer, queries = Timer(), []
    for index, case in enumerate(cases):

        def work(timer: Timer, case=case) -> None:
            case_act(case_id=case.pk, user=kadin, step=case.current_step, outcome="setuju",
                     data={"password": PASSWORD})  # fmt: skip

        with CaptureQueriesContext(connection) as captured:
            timer.run(work, keep=index >= warmup)
        queries.append(len(captured))
    password = Timer()
    for index in range(warmup + max(1, rounds // 4)):
        password.run(lambda _: kadin.check_password(PASSWORD) and None, keep=index >= warmup)
    issued = Letter.objects.filter(state="terbit").order_by("seq")
    seqs = list(issued.values_list("seq", flat=True))
    last = issued.last()
    return {
        **summary(timer),
        "prepare_seconds": prepare_s,
        "queries": int(statistics.median(queries)),
        "argon2": figures(password.wall),
        "issued": len(seqs),
        "gap_free": seqs == list(range(1, len(seqs) + 1)),
        "last_number": last.number if last else "",
    }


# =====================================================================================
# Run, report
# =====================================================================================


def _versions() -> dict:
    return {name: metadata.version(name) for name in PACKAGES}


def _git() -> dict:
    def run(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout

    # Porcelain lines are "XY path": the status takes the first three characters.
    status = run("status", "--porcelain", "--", "layan/letters").splitlines()
    return {"commit": run("rev-parse", "--short", "HEAD").strip(), "dirty": [x[3:] for x in status]}


def busy_others() -> list[str]:
    """Other processes using a CPU right now (one `top` sample), as 'command (NN% CPU)'."""
    done = subprocess.run(["top", "-b", "-c", "-n", "2", "-d", "0.5", "-w", "400"],
                          capture_output=True, text=True)  # fmt: skip
    # The second sample is over the last half second; the first is since each process began.
    table = done.stdout.split("PID USER")[-1].splitlines()[1:]
    busy = []
    for line in table:
        fields = line.split(None, 11)
        if len(fields) < 12 or int(fields[0]) == os.getpid() or float(fields[8]) < 20:
            continue
        # "/work/main/.venv/bin/python .venv/bin/pytest layan/registry -q" as
        # "pytest layan/registry -q": the program and its first arguments.
        words = [Path(word).name if "/" in word else word for word in fields[11].split()]
        words = words[1:] if words[0].startswith("python") and len(words) > 1 else words
        busy.append(f"`{' '.join(words)[:40]}` ({float(fields[8]):.0f}% CPU)")
    return busy[:4]


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[-1])


def _signatures_ok(pdf: bytes, roots) -> bool:
    from layan.letters.signing import pdf_signatures_check

    checks = pdf_signatures_check(pdf, roots)
    return bool(checks) and all(check.ok for check in checks)


def measure(opts: argparse.Namespace, results: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.registry import step
    from layan.letters.content import letter_layout
    from layan.letters.keys import certificates_pem, signer_key_for
    from layan.letters.selectors import letter_of_case
    from layan.letters.services import template_of

    work = opts.work
    with step("Bone: seed, staff, register, one case walked to the sign step"):
        setup = bone_setup(work)
        case = case_at_sign(setup)
        letter = letter_of_case(case)
        assert letter is not None, "the case at its sign step has a letter"
        from layan.cases.services import case_doc

        doc = case_doc(case)
        template = template_of(doc, letter.template)
        layout = letter_layout(template=template, doc=doc, cases=[case], code=letter.verify_code)
        key_row = signer_key_for(setup["office"], setup["staff"]["kadin"])
        key_row.office.authority  # noqa: B018 (read once here, not inside the timed loop)
        paths = key_files(key_row, work / "keys")
        documented, prepared = baseline_signers(paths)
    from layan.letters.signing import SIGNATURE_BYTES

    works = {
        "a": baseline(documented, None),
        "a2": baseline(documented, SIGNATURE_BYTES),
        "b": baseline(prepared, SIGNATURE_BYTES),
        "c": layan_letter(layout, key_row, setup["office"], template),
    }
    roots = [certificates_pem(key_row.office.authority.certificate)[0]]
    samples = {key: works[key](Timer()) for key in works}
    results["valid"] = {key: _signatures_ok(pdf, roots) for key, pdf in samples.items()}
    rounds = f"{opts.warmup} warm-up + {opts.iterations} rounds"
    with step(f"(a), (a2), (b), (c) interleaved: {rounds}"):
        results["busy"] = busy_others()
        load_start = os.getloadavg()
        with CaptureQueriesContext(connection) as captured:
            timers = interleaved(works, opts.warmup, opts.iterations)
        results["load_inprocess"] = [load_start, os.getloadavg()]
    results["queries_in_loop"] = len(captured)
    for key, timer in timers.items():
        results["runs"][key] = summary(timer)
    with step(f"(d) sign step through case_act: {opts.warmup} warm-up + {opts.iterations} cases"):
        load_start = os.getloadavg()
        results["runs"]["d"] = sign_step(setup, opts.warmup, opts.iterations)
        results["load_sign_step"] = [load_start, os.getloadavg()]
        results["busy_d"] = busy_others()
    results["letter"] = {
        "service": doc.name,
        "template": template.code,
        "paper": layout.paper,
        "pages": _pages(samples["c"]),
    }


def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _loads(values) -> str:
    return ", ".join(f"{x:.2f}" for x in values) if values else "-"


def _busy(found: list[str]) -> str:
    return "; ".join(found) if found else "not caught by the `top` samples"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def render(results: dict) -> str:
    runs, machine = results["runs"], results["machine"]
    a, a2, b, c, d = (runs[key] for key in ("a", "a2", "b", "c", "d"))
    ratio = c["wall"]["median"] / a["wall"]["median"]
    ratio_p95 = c["wall"]["p95"] / a["wall"]["p95"]
    ratio_mean = c["wall"]["mean"] / a["wall"]["mean"]
    ratio_b = c["wall"]["median"] / b["wall"]["median"]
    ratio_cpu = c["cpu"]["median"] / a["cpu"]["median"]
    against_b = "would be met" if ratio_b <= TARGET_RATIO else "would **not** be met"
    git = results["git"]
    dirty = (
        f" with uncommitted changes in {', '.join(f'`{p}`' for p in git['dirty'])}"
        if git["dirty"]
        else ""
    )
    versions = ", ".join(f"{name} {version}" for name, version in results["versions"].items())
    lines = [
        BEGIN,
        "## Letters",
        "",
        "Written by `make bench-letters` (`bench/letters.py`), which rewrites only this "
        "section. Figures, not assertions: no test times anything.",
        "",
        f"- Date: {results['date']} (whole run {results['total_seconds'] / 60:.1f} min); "
        f"code: commit `{git['commit']}`{dirty}",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gib']} GiB RAM; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}; {versions}",
        f"- Load average (1, 5, 15 min) at start / end: {_loads(machine['load_start'])} / "
        f"{_loads(machine['load_end'])}; during (a)-(c): "
        f"{_loads(results['load_inprocess'][0])} → {_loads(results['load_inprocess'][1])}; "
        f"during (d): {_loads(results['load_sign_step'][0])} → "
        f"{_loads(results['load_sign_step'][1])}",
        f"- {results['iterations']} timed iterations of each after {results['warmup']} of "
        "warm-up, in one process; (a), (a2), (b) and (c) interleaved round by round (the "
        "order rotating), so that other work on the machine falls on all of them alike. "
        "Wall-clock times (`perf_counter`); the CPU column is the process's CPU time "
        "(`process_time`), less sensitive to other work on the machine.",
        f"- The letter: {results['letter']['service']} of Bone (template "
        f"`{results['letter']['template']}`, {results['letter']['paper']}, "
        f"{results['letter']['pages']} page: kop, "
        "title, number field, five fields, body, QR, one paraf box, signature block, "
        "footer), the case walked through its steps by `case_act` on the throwaway "
        "database. Each round of (c) renders it with a new verification code (a new QR, "
        "as every letter has) and signs it as `letter_sign` does: number and date fields "
        "filled, a visible signature in the signature box, the signer's certificate and "
        "the office root embedded. Key: the head's RSA-2048 key issued by the office root "
        "on first use; the baselines load the same key and certificates from PEM files. "
        f"SQL queries inside the (a)-(c) loop: {results['queries_in_loop']}.",
    ]
    cpus = machine["cpus"] or 0
    peak_ac = max(load[0] for load in results["load_inprocess"])
    peak_d = max(load[0] for load in results["load_sign_step"])
    if cpus and peak_ac > cpus:
        lines += [
            "",
            f"> **Provisional:** the 1-minute load average reached {peak_ac:.1f} on {cpus} "
            f"CPUs during (a)-(c): other work competed for the CPUs ({_busy(results['busy'])}),"
            " so wall-clock times are longer and noisier than on an idle machine. The "
            "ratios are less affected, since (a)-(c) were interleaved; compare the CPU "
            "column too.",
        ]
    if cpus and peak_d > cpus:
        lines += [
            "",
            f"> **(d) ran on a loaded machine:** the 1-minute load average reached "
            f"{peak_d:.1f} on {cpus} CPUs while the sign step was timed (other work: "
            f"{_busy(results.get('busy_d', []))}), so its times are longer than on an idle "
            "machine. (a)-(c) are not affected by this"
            + (f" (their load stayed at or under {peak_ac:.1f})." if peak_ac <= cpus else "."),
        ]
    lines += [
        "",
        "### Targets",
        "",
        f"- Render + sign (c) at most {TARGET_RATIO}{X} the baseline (a), medians: "
        f"{_ms(c['wall']['median'])} / {_ms(a['wall']['median'])} ms = **{ratio:.2f}{X}** — "
        f"{_met(ratio <= TARGET_RATIO)} (p95: {ratio_p95:.2f}{X}, mean: {ratio_mean:.2f}{X}, "
        f"CPU median: {ratio_cpu:.2f}{X}).",
        f"- Under {TARGET_MS:.0f} ms per letter: (c) median {_ms(c['wall']['median'])} ms, "
        f"p95 {_ms(c['wall']['p95'])} ms — {_met(c['wall']['p95'] < TARGET_MS)} (judged "
        "on p95).",
        f"- For comparison, against the lean baseline (b): **{ratio_b:.2f}{X}** (medians "
        f"{_ms(c['wall']['median'])} / {_ms(b['wall']['median'])} ms): the "
        f"{TARGET_RATIO}{X} target {against_b} against (b). Against (a2): "
        f"{c['wall']['median'] / a2['wall']['median']:.2f}{X}.",
        "",
        "The target ratio is taken against (a), the issue's baseline: a bare reportlab "
        "page signed by pyHanko the way its documentation shows (`SimpleSigner.load`, "
        "`sign_pdf` with `PdfSignatureMetadata(field_name=..., subfilter=PADES)`), which is "
        "what a project that just uses pyHanko gets, and what the issue names. (a2) and "
        "(b) show where pyHanko's own time goes: without `bytes_reserved` it makes a "
        "trial signature to size the room it reserves (a2 removes that), and its "
        "`SimpleSigner` turns the stored key into a cryptography key, with RSA's "
        "consistency checks, on every signature (b removes that too, parsing the key "
        "once). Layan's signer does both (key parsed once per process, 16 KiB reserved), "
        "so most of its lead over (a) is not rendering or signing faster but skipping "
        "that repeated work; the ratio against (b) is what a real letter (kop, QR, "
        "fields, visible signature) costs over a bare page and a bare signature made "
        "the lean way.",
        "",
        "### Figures",
        "",
        f"| measurement | median ms | p95 ms | mean ms | CPU median ms | {X} (a) median "
        f"| {X} (b) median | PDF bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key in ("a", "a2", "b", "c", "d"):
        run = runs[key]
        wall = run["wall"]
        lines.append(
            f"| {LABELS[key]} | {_ms(wall['median'])} | {_ms(wall['p95'])} | "
            f"{_ms(wall['mean'])} | {_ms(run['cpu']['median'])} | "
            f"{wall['median'] / a['wall']['median']:.2f}{X} | "
            f"{wall['median'] / b['wall']['median']:.2f}{X} | "
            f"{run['bytes'] if run['bytes'] else '-'} |"
        )
    lines += [
        "",
        "Where the time goes (medians, ms):",
        "",
        "| measurement | page / render | signature |",
        "|---|---|---|",
    ]
    for key, first in (("a", "page"), ("a2", "page"), ("b", "page"), ("c", "render")):
        parts = runs[key]["parts"]
        lines.append(
            f"| {LABELS[key].split(':')[0].split(' = ')[0]} | {_ms(parts[first]['median'])} | "
            f"{_ms(parts['signature']['median'])} |"
        )
    lines += [
        "",
        f"(d), the whole sign step through `case_act` on SQLite, is extra information, "
        "not the target: it includes the Argon2 check of the signer's password "
        f"(alone: median {_ms(d['argon2']['median'])} ms, Argon2 is slow on purpose), "
        "the number taken from its sequence, the signature revision and the letter "
        f"saved, the step record written: {d['queries']} SQL queries (median). It signs "
        "the stored draft with its paraf revision, so it does not render. "
        f"{d['issued']} letters issued in the run, numbers "
        f"{'consecutive without gaps' if d['gap_free'] else 'WITH GAPS'} (last "
        f"`{d['last_number']}`); walking the {d['issued']} cases to the sign step took "
        f"{d['prepare_seconds']:.0f} s (not timed).",
        "",
        "Signatures checked once with pyHanko's validator against the office root: "
        + ", ".join(f"({k}) {'valid' if ok else 'NOT VALID'}" for k, ok in results["valid"].items())
        + ".",
        "",
        "Reproduce: `make bench-letters` (or `.venv/bin/python -m bench.letters "
        "--iterations 200 --warmup 20`); raw figures in `var/bench/letters-results.json`.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--keep-work", action="store_true", help="keep the SQLite database")
    parser.add_argument(
        "--from-json", type=Path, help="no measuring: write the section from a saved results file"
    )
    opts = parser.parse_args(argv)
    opts.work = ROOT / "var" / "bench" / "letters"
    if opts.from_json:
        section = render(json.loads(opts.from_json.read_text()))
        sections.section_write(opts.out, section)
        print(section)
        return

    from bench.letter_samples import django_throwaway
    from bench.registry import machine_info

    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "iterations": opts.iterations,
        "warmup": opts.warmup,
        "machine": machine_info(None),
        "git": _git(),
        "versions": _versions(),
        "runs": {},
    }
    started = time.perf_counter()
    django_throwaway(opts.work)
    gc.collect()
    try:
        measure(opts, results)
    finally:
        if not opts.keep_work:
            shutil.rmtree(opts.work, ignore_errors=True)
    results["machine"]["load_end"] = os.getloadavg()
    results["total_seconds"] = time.perf_counter() - started
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / "letters-results.json").write_text(json.dumps(results, indent=2))
    section = render(results)
    sections.section_write(opts.out, section)
    print(section)


if __name__ == "__main__":
    main()
