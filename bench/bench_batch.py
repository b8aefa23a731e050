"""Budget check (DESIGN.md "Budgets"): an upload batch of 10,000 certificates built and signed in <= 5 s,
verified in <= 2 s.

    .venv/bin/python bench/bench_batch.py [--certificates 10000] [--keep FILE.zip] [--profile default]

Makes the certificate records in memory (valid ID numbers and certificate numbers, names with a rare
character now and then), then times ``build_batch`` (data files of the profile, hashes, manifest, signature,
ZIP, atomic write) and ``verify_batch`` (signature, every file's SHA-256, schema). Prints the figures and
the peak memory of the process; exits 1 when a budget is exceeded or the batch does not verify.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jlexam.domain.certno import CertificateNumberParts, build_certificate_number
from jlexam.domain.credit_code import build_credit_code
from jlexam.domain.idcard import Sex, build_id_number
from jlexam.domain.workdays import WorkingDayCalendar
from jlexam.exchange.batch import CertificateRecord, build_batch, load_profile, verify_batch
from jlexam.security.signing import generate_signing_key

BUILD_BUDGET_S = 5.0
VERIFY_BUDGET_S = 2.0
MEMORY_BUDGET_MB = 600
ISSUE = date(2025, 6, 3)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "秀英", "𠇔明", "静", "强", "磊", "丽", "军", "洋", "勇", "艳", "杰", "娟", "涛")
OCCUPATIONS = (("6-31-01-03", "电工", ""), ("4-10-01-06", "保育师", ""), ("6-18-02-04", "焊工", "电焊工"))


def make_records(n: int) -> list[CertificateRecord]:
    parts = CertificateNumberParts("S", "0000", "22", "000123")
    records = []
    for i in range(n):
        level = (5, 4, 3, 2, 1)[i % 5]
        code, occupation, work_type = OCCUPATIONS[i % len(OCCUPATIONS)]
        birth = date(1970 + i % 35, 1 + i % 12, 1 + i % 28)
        records.append(
            CertificateRecord(
                name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)],
                id_type="居民身份证",
                id_number=build_id_number("220102", birth, i % 1000),
                sex=Sex.MALE if i % 2 else Sex.FEMALE,
                education=("高中", "中专", "大专", "本科")[i % 4],
                occupation_code=code,
                occupation_name=occupation,
                work_type=work_type,
                level=level,
                theory_score=Decimal(60 + i % 40),
                practical_score=Decimal(f"{60 + i % 39}.5"),
                review_score=Decimal(70 + i % 30) if level <= 2 else None,
                result="合格",
                certificate_number=build_certificate_number(parts, ISSUE.year, level, i + 1),
                issue_date=ISSUE,
                institution="长春市测试职业技能培训学校",
            )
        )
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--keep", type=Path, help="also keep the batch ZIP at this path")
    args = parser.parse_args()

    t0 = time.perf_counter()
    records = make_records(args.certificates)
    key = generate_signing_key()
    deadline = WorkingDayCalendar().deadline_after(ISSUE, 30)  # 002 §28
    profile = load_profile(args.profile)
    prepared = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "batch.zip"
        t0 = time.perf_counter()
        info = build_batch(
            records,
            profile=profile,
            institution_name="长春市测试职业技能培训学校",
            credit_code=build_credit_code("52220101MJ0000000"),
            issue_dates=[ISSUE],
            deadline=deadline.date,
            deadline_provisional=deadline.provisional,
            private_key=key,
            out=out,
            batch_id="S2025-0603-01",
            created_at=datetime(2025, 6, 3, 10, 30),
        )
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = verify_batch(out)
        verify_s = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"certificates            {info.count:>10,}")
    print(f"records prepared in     {prepared:>10.2f} s (not budgeted)")
    print(f"batch built and signed  {build_s:>10.2f} s   (budget {BUILD_BUDGET_S:.1f} s)")
    print(f"batch verified          {verify_s:>10.2f} s   (budget {VERIFY_BUDGET_S:.1f} s)")
    print(f"ZIP size                {info.size / 1024:>10.0f} KB")
    for f in info.files:
        print(f"  {f.name:<22}{f.size / 1024:>10.0f} KB  {f.rows} rows")
    print(f"peak memory (process)   {peak_mb:>10.0f} MB   (budget {MEMORY_BUDGET_MB} MB)")
    print(f"upload deadline         {deadline.date}{' (provisional)' if deadline.provisional else ''}")
    failed = []
    if not report.ok:
        failed.append("the batch does not verify: " + "; ".join(report.problems))
    if build_s > BUILD_BUDGET_S:
        failed.append(f"build {build_s:.2f} s > {BUILD_BUDGET_S} s")
    if verify_s > VERIFY_BUDGET_S:
        failed.append(f"verify {verify_s:.2f} s > {VERIFY_BUDGET_S} s")
    if peak_mb > MEMORY_BUDGET_MB:
        failed.append(f"memory {peak_mb:.0f} MB > {MEMORY_BUDGET_MB} MB")
    for line in failed:
        print("OVER BUDGET: " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
