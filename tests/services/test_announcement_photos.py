"""The announcement PDF (002 §15) and candidates' photos (issue 4)."""

import io
import zipfile

import pypdfium2
import pytest
from PIL import Image

from jlexam.demo.photos import make_photo
from jlexam.domain.idcard import Sex
from jlexam.security.roles import Role
from jlexam.services import registration
from jlexam.services.announcement import write_announcement
from jlexam.services.photos import applications_without_photo, import_photos
from tests.services.helpers import open_sitting, person


@pytest.fixture
def office(actor_for):
    return actor_for(Role.EXAM_OFFICE)


def _text(pdf_path) -> str:
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    return "".join(page.get_textpage().get_text_range() for page in pdf)


def test_announcement_states_time_levels_conditions_and_fees(db, admin, office, tmp_path):
    open_sitting(admin, office, fee_cents=35000)
    out = write_announcement(office, "S2026-12", tmp_path / "公告.pdf")
    text = _text(out)
    for expected in (
        "2026年12月电工认定公告",
        "电工（6-31-01-03）",
        "四级/中级工",
        "350.00 元",
        "累计从事本职业",
        "2026年11月1日至2026年11月30日",
        "理论知识考试",
        "2026-12-12 09:00",
    ):
        assert expected in text, expected
    page = pypdfium2.PdfDocument(str(out))[0].render(scale=1).to_pil().convert("L")
    assert (
        page.histogram()[:128] and sum(page.histogram()[:128]) > 5000
    )  # real glyphs were drawn, not empty boxes


def _jpeg(size=(295, 413)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(out, "JPEG")
    return out.getvalue()


def test_photos_from_a_zip_named_by_id_number(db, admin, office, tmp_path):
    open_sitting(admin, office)
    first, second = person(1), person(2)
    registration.register_application(office, "S2026-12", first)
    registration.register_application(office, "S2026-12", second)
    assert len(applications_without_photo(office, "S2026-12")) == 2
    archive = tmp_path / "照片.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"photos/{first.candidate.id_number.lower()}.jpg", make_photo(1, Sex.MALE))
        z.writestr(f"{second.candidate.id_number}.png", b"not an image at all")
        z.writestr("22010219990101999X.jpg", _jpeg())
        z.writestr("notes.txt", b"ignored")
    report = import_photos(office, "S2026-12", archive)
    assert report.imported == 1
    reasons = dict(report.problems)
    assert "无法识别为图片" in reasons[f"{second.candidate.id_number}.png"]
    assert "不是本批次考生" in reasons["22010219990101999X.jpg"]
    missing = applications_without_photo(office, "S2026-12")
    assert [m.name for m in missing] == [second.candidate.name]


def test_photo_with_wrong_shape_is_refused(db, admin, office, tmp_path):
    open_sitting(admin, office)
    item = person(1)
    registration.register_application(office, "S2026-12", item)
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / f"{item.candidate.id_number}.jpg").write_bytes(_jpeg((600, 400)))
    report = import_photos(office, "S2026-12", folder)
    assert report.imported == 0 and "宽高比" in report.problems[0][1]


def test_corrupt_zip_is_a_clear_error(db, admin, office, tmp_path):
    from jlexam.errors import ValidationError

    open_sitting(admin, office)
    bad = tmp_path / "photos.zip"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ValidationError, match="不是有效的 ZIP"):
        import_photos(office, "S2026-12", bad)
