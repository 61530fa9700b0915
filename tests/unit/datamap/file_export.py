"""A school system's export as files: students, records keyed by ``student_id``, staff and payroll.

200 pupils (canary identifiers, aged 6–12) and 100 former pupils who are adults now share ``students.csv``;
``attendance.csv`` and ``grades.jsonl`` point at both; ``legacy_visits.csv`` is named like a link but its
ids are in no file; ``payroll.csv`` points at ``staff.csv``. ``other/attendance.csv`` lies in another folder
(it must not link to ``students.csv`` of this one).
"""

from __future__ import annotations

import datetime as dt
import json

from tests.canaries import Canary, make_canaries

AS_OF = dt.date(2026, 3, 15)
PUPILS = 200
FORMER = 100
#: Rows of attendance and grades pointing at a pupil (not a former pupil).
CHILD_ATTENDANCE = 800
CHILD_GRADES = 400


def export(prefix: str = "exports/") -> tuple[dict[str, bytes], list[Canary]]:
    """The files by relative path, and the canaries in them."""
    kids = make_canaries(PUPILS)
    total = PUPILS + FORMER
    students = ["student_id,name,birth_date,resident_id,guardian_phone"]
    for i in range(1, total + 1):
        if i <= PUPILS:
            k = kids[i - 1]
            students.append(f"{1000 + i},{k.name},{k.birth.isoformat()},{k.resident_id},{k.phone}")
        else:
            students.append(f"{1000 + i},former{i},1990-0{1 + i % 9}-1{i % 9},,")
    attendance = ["attendance_id,student_id,day,status"]
    attendance += [f"{i},{1001 + i % total},2026-03-{1 + i % 28:02d},present" for i in range(1, 1201)]
    grades = [json.dumps({"grade_id": i, "student_id": 1001 + i % 250, "subject": "math", "score": i % 100})
              for i in range(1, 501)]
    staff = ["staff_id,name,phone"] + [f"{i},teacher{i},139{i:08d}" for i in range(1, 21)]
    payroll = ["payroll_id,staff_id,amount"] + [f"{i},{1 + i % 20},{5000 + i}" for i in range(1, 61)]
    legacy = ["visit_id,student_id,note"] + [f"{i},{9000 + i},seen" for i in range(1, 101)]
    other = ["attendance_id,student_id,day"] + [f"{i},{1001 + i % 50},2026-03-01" for i in range(1, 51)]
    files = {
        f"{prefix}students.csv": students, f"{prefix}attendance.csv": attendance, f"{prefix}grades.jsonl": grades,
        f"{prefix}staff.csv": staff, f"{prefix}payroll.csv": payroll, f"{prefix}legacy_visits.csv": legacy,
        "other/attendance.csv": other,
    }
    return {k: ("\n".join(v) + "\n").encode("utf-8") for k, v in files.items()}, kids


def packed(files: dict[str, bytes], prefix: str = "exports/") -> dict[str, bytes]:
    """The same export as shipped by real systems: ``students`` as an Excel workbook, ``attendance`` and
    ``grades`` gzip-compressed; the other files as they are."""
    import csv
    import gzip
    import io

    import openpyxl

    out = dict(files)
    students = out.pop(f"{prefix}students.csv").decode("utf-8")
    wb = openpyxl.Workbook()
    sheet = wb.active
    for i, row in enumerate(csv.reader(io.StringIO(students))):
        sheet.append([int(v) if i and j == 0 else v for j, v in enumerate(row)])  # ids as numbers, as Excel keeps them
    buf = io.BytesIO()
    wb.save(buf)
    out[f"{prefix}students.xlsx"] = buf.getvalue()
    for name in (f"{prefix}attendance.csv", f"{prefix}grades.jsonl"):
        out[name + ".gz"] = gzip.compress(out.pop(name))
    return out
