"""Budget check (DESIGN.md "Budgets"): 10,000 admission tickets with photos, signed QR codes and an embedded
CJK font in <= 15 s on a 2-core PC (issue 5 allows 20 s).

    .venv/bin/python bench/bench_tickets.py [--tickets 10000] [--bare 2000] [--per-page 2] [--keep OUT.pdf]

Builds demo candidates (jlexam.demo.people) with distinct demo photos and tokens signed by a generated key,
then prints:

- the time for the whole tickets PDF through ``render_tickets`` (parts on all cores, joined);
- a bare reportlab loop drawing the same elements (frame, labels, fields, sessions, rules, photo, a QR path)
  one ticket after another on one core with plain canvas calls and no QR encoding (the path of one code
  drawn again), so the overhead of jlexam's renderer over reportlab itself is seen;
- the cost per code of each QR encoder compared, and of turning the modules into one PDF path;
- peak memory of this process and of the largest worker process;
- a check that a sampled page's QR code decodes at 300 dpi and verifies with the public key.

Exits 1 when the time or the 600 MB memory budget is exceeded or the sampled code does not verify.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from jlexam.demo.people import make_people
from jlexam.demo.photos import make_photo
from jlexam.documents import drawing as D
from jlexam.documents import tickets as T
from jlexam.documents.fonts import BODY, HEADING, register_pdf_fonts
from jlexam.domain.masking import mask_id_number
from jlexam.domain.tickets import make_ticket_number, ticket_payload
from jlexam.exchange.catalogue import occupations_by_code
from jlexam.security.signing import generate_signing_key, key_id
from jlexam.security.tokens import TICKET, decode_token, encode_token

BUDGET_S = 15.0
MEMORY_BUDGET_MB = 600
SEED = 20250614
ROOM_SIZE = 30


def build(n: int, key) -> tuple[list[T.TicketData], float]:
    occupations = occupations_by_code()
    codes = list(occupations)[:8]
    people = make_people(n, SEED, [(c, occupations[c].levels) for c in codes], date(2025, 5, 1))
    tickets, signing = [], 0.0
    for i, p in enumerate(people):
        room, seat = i // ROOM_SIZE + 1, i % ROOM_SIZE + 1
        number = make_ticket_number(2503, room % 99 + 1, seat + (room // 99) * ROOM_SIZE)
        masked = mask_id_number(p.id_number)
        start = time.perf_counter()
        token = encode_token(
            key,
            TICKET,
            ticket_payload(
                number, p.name, masked, p.occupation_code, p.level, "JL2025-03",
                [(datetime(2025, 6, 14, 9), f"{room:02d}", seat), (datetime(2025, 6, 14, 14), "60", seat)],
            ),
        )  # fmt: skip
        signing += time.perf_counter() - start
        sessions = [
            T.TicketSession(
                "理论知识考试",
                date(2025, 6, 14),
                "09:00-10:30",
                f"第{room:02d}考场（教学楼{room:03d}）",
                seat,
            ),
            T.TicketSession("操作技能考核", date(2025, 6, 14), "14:00-15:30", "第60考场（实训楼201）", seat),
        ]
        tickets.append(
            T.TicketData(
                "吉林省长春职业技术学院职业技能等级认定中心", "2025年第三批职业技能等级认定", "JL2025-03",
                number, p.name, p.sex.label, masked, make_photo(SEED + i, p.sex),
                occupations[p.occupation_code].name, p.occupation_code, "--", p.level.written, sessions, token,
            )
        )  # fmt: skip
    return tickets, signing


def bare_loop(tickets: list[T.TicketData], path: Path) -> float:
    """The same elements with plain reportlab calls, one core, no QR encoding (one code's path reused)."""
    register_pdf_fonts()
    full, quiet, modules = D.qr_matrix(tickets[0].qr_token)
    path_ops = D.qr_path_ops(full, quiet, modules)
    size = full - 2 * quiet
    start = time.perf_counter()
    c = Canvas(str(path), pagesize=A4)
    for i, t in enumerate(tickets):
        if i and i % 2 == 0:
            c.showPage()
        top = 287 if i % 2 == 0 else 138.5
        c.saveState()
        c.translate(15 * mm, (top - 130) * mm)
        c.rect(0, 0, 180 * mm, 130 * mm)
        c.rect(1.3 * mm, 1.3 * mm, 177.4 * mm, 127.4 * mm)
        c.setFont(BODY, 11)
        c.drawCentredString(90 * mm, 120.5 * mm, t.institution)
        c.setFont(HEADING, 19)
        c.drawCentredString(90 * mm, 110.5 * mm, "职业技能等级认定准考证")
        c.setFont(BODY, 9.5)
        c.drawCentredString(90 * mm, 103.5 * mm, f"认定批次：{t.sitting_name}（{t.sitting_code}）")
        for row in range(6):
            c.line(6 * mm, (97 - row * 7.6) * mm, 136 * mm, (97 - row * 7.6) * mm)
        for label, value, row in (("准考证号", t.ticket_number, 0), ("姓名", t.name, 1), ("证件号码", t.masked_id, 2),
                                  ("职业", t.occupation_name, 3), ("工种", t.work_type, 4)):  # fmt: skip
            c.setFont(HEADING, 9.5)
            c.drawString(8 * mm, (92 - row * 7.6) * mm, label)
            c.setFont(BODY, 10.5)
            c.drawString(31 * mm, (92 - row * 7.6) * mm, value)
        c.drawString(100 * mm, 84.4 * mm, t.sex)
        c.drawString(100 * mm, 61.6 * mm, t.level)
        for j, s in enumerate(t.sessions):
            y = (46 - j * 6) * mm
            c.line(6 * mm, y, 136 * mm, y)
            for k, value in enumerate((s.part, s.date.isoformat(), s.time, s.room, str(s.seat))):
                c.setFont(BODY, 8.5)
                c.drawCentredString((21 + k * 26) * mm, y + 2 * mm, value)
        c.setFont(BODY, 8)
        for j, rule in enumerate(t.rules):
            c.drawString(6 * mm, (22 - j * 3.9) * mm, f"{j + 1}. {rule}")
        c.drawImage(ImageReader(io.BytesIO(t.photo)), 145.5 * mm, 61.5 * mm, 25 * mm, 35 * mm)
        unit = 32 * mm / (size + 8)
        c._code.append(
            f"q {unit:.4f} 0 0 {unit:.4f} {142 * mm + 4 * unit:.3f} {27 * mm + 4 * unit:.3f} cm\n{path_ops}\nf Q"
        )
        c.restoreState()
    c.showPage()
    c.save()
    return time.perf_counter() - start


def qr_costs(tokens: list[str]) -> dict[str, float]:
    import qrcode
    import zxingcpp

    def per_code(fn, items) -> float:
        start = time.perf_counter()
        for item in items:
            fn(item)
        return (time.perf_counter() - start) / len(items) * 1000

    fmt = zxingcpp.BarcodeFormat.QRCode
    version = zxingcpp.create_barcode(tokens[0], fmt, ec_level="M").to_image(add_quiet_zones=False).shape[0]
    version = (version - 17) // 4

    def qr_auto(token: str) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(token)
        code.make(fit=True)

    def qr_fixed(token: str) -> None:
        code = qrcode.QRCode(
            version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2
        )
        code.add_data(token)
        code.make(fit=False)

    matrices = [D.qr_matrix(t) for t in tokens[:200]]
    return {
        "qrcode, all 8 masks tried (auto version)": per_code(qr_auto, tokens[:30]),
        f"qrcode, fixed version {version} and mask": per_code(qr_fixed, tokens[:60]),
        "zxing-cpp encoder (auto version, its mask choice)": per_code(
            lambda t: zxingcpp.create_barcode(t, fmt, ec_level="M").to_image(add_quiet_zones=True),
            tokens[:500],
        ),
        f"zxing-cpp encoder, fixed version {version}": per_code(
            lambda t: zxingcpp.create_barcode(t, fmt, ec_level="M", version=version).to_image(), tokens[:500]
        ),
        "modules -> one PDF path (jlexam)": per_code(lambda m: D.qr_path_ops(*m), matrices),
    }


def check_sample(path: Path, key) -> str:
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(str(path))
    try:
        page_count = len(doc)
        image = doc[page_count // 2].render(scale=300 / 72).to_pil()
    finally:
        doc.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    keys = {key_id(key.public_key()): key.public_key()}
    numbers = [decode_token(b.text, keys, TICKET)["no"] for b in found]
    return f"page {page_count // 2 + 1} of {page_count}: {len(found)} codes decoded at 300 dpi, verified: {numbers}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--bare", type=int, default=2_000, help="tickets drawn by the bare reportlab loop")
    parser.add_argument("--per-page", type=int, default=2, choices=(1, 2))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the tickets PDF here")
    args = parser.parse_args()

    key = generate_signing_key()
    start = time.perf_counter()
    tickets, signing = build(args.tickets, key)
    print(f"demo data: {len(tickets)} tickets with distinct photos built in {time.perf_counter() - start:.1f} s "
          f"(signing the tokens: {signing:.2f} s, {signing / len(tickets) * 1000:.3f} ms each)")  # fmt: skip
    print(f"CPU cores: {os.cpu_count()}")

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "tickets.pdf"
        joining = {"s": 0.0}
        join = T._join

        def timed_join(parts, target) -> None:
            begin = time.perf_counter()
            join(parts, target)
            joining["s"] = time.perf_counter() - begin

        T._join = timed_join
        start = time.perf_counter()
        T.render_tickets(tickets, out, per_page=args.per_page, workers=args.workers)
        total = time.perf_counter() - start
        T._join = join
        size_mb = out.stat().st_size / 1e6
        print(f"tickets PDF: {len(tickets)} tickets in {total:.2f} s ({total / len(tickets) * 1000:.2f} ms a "
              f"ticket, {size_mb:.0f} MB; joining the parts {joining['s']:.2f} s), budget {BUDGET_S:.0f} s")  # fmt: skip

        one = tickets[: args.bare]
        start = time.perf_counter()
        T._render_part(one, str(Path(tmp) / "one-core.pdf"), args.per_page, "准考证")
        one_s = time.perf_counter() - start
        print(f"jlexam renderer on one core (this process, QR encoding included): {len(one)} tickets in "
              f"{one_s:.2f} s ({one_s / len(one) * 1000:.2f} ms a ticket)")  # fmt: skip

        bare = tickets[: args.bare]
        bare_s = bare_loop(bare, Path(tmp) / "bare.pdf")
        print(f"bare reportlab loop, one core, no QR encoding: {len(bare)} tickets in {bare_s:.2f} s "
              f"({bare_s / len(bare) * 1000:.2f} ms a ticket; x{len(tickets) / len(bare):.0f} = "
              f"{bare_s / len(bare) * len(tickets):.1f} s for {len(tickets)} on one core)")  # fmt: skip

        print("QR encoding, per code:")
        for label, ms in qr_costs([t.qr_token for t in tickets[:500]]).items():
            print(f"  {label:<52} {ms:7.3f} ms")
        sample = check_sample(out, key)
        print(f"sample: {sample}")

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MB (demo data included), largest worker {children:.0f} MB; "
          f"budget {MEMORY_BUDGET_MB} MB")  # fmt: skip
    ok = total <= BUDGET_S and max(own, children) <= MEMORY_BUDGET_MB and "verified: []" not in sample
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
