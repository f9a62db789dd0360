import gzip
import io

import pytest
from django.utils import translation

from fangkong.core.areas import AreaImportError, areas_import
from fangkong.core.models import Area


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the loader's messages; the product itself speaks Chinese.
    with translation.override("en"):
        yield


FILES = {
    "provinces": ("code,name", ['37,"山东省"', '11,"北京市"']),
    "cities": ("code,name,provinceCode", ['3703,"淄博市",37', '1101,"市辖区",11']),
    "areas": (
        "code,name,cityCode,provinceCode",
        ['370305,"临淄区",3703,37', '370302,"淄川区",3703,37', '110101,"东城区",1101,11'],
    ),
    "streets": (
        "code,name,areaCode,provinceCode,cityCode",
        [
            '370305001,"闻韶街道",370305,37,3703',
            '370305003,"辛店街道",370305,37,3703',
            '370302001,"般阳路街道",370302,37,3703',
            '110101001,"东华门街道",110101,11,1101',
        ],
    ),
    "villages": (
        "code,name,streetCode,provinceCode,cityCode,areaCode",
        [
            '370305001003,"西王社区居委会",370305001,37,3703,370305',
            '370305003002,"车站社区居委会",370305003,37,3703,370305',
            '370305003003,"山王社区居委会",370305003,37,3703,370305',
            '370302001001,"西关社区居民委员会",370302001,37,3703,370302',
            '110101001001,"多福巷社区居委会",110101001,11,1101,110101',
        ],
    ),
}
DISTRICT = {
    "37",
    "3703",
    "370305",
    "370305001",
    "370305003",
    "370305001003",
    "370305003002",
    "370305003003",
}


def write(folder, files=FILES, gz=("villages", "streets")):
    folder.mkdir(parents=True, exist_ok=True)
    for stem, (header, rows) in files.items():
        text = "\n".join([header, *rows]) + "\n"
        if stem in gz:
            with gzip.open(folder / f"{stem}.csv.gz", "wt", encoding="utf-8") as fh:
                fh.write(text)
        else:
            (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


def with_rows(stem, rows):
    return {**FILES, stem: (FILES[stem][0], rows)}


def codes():
    return set(Area.objects.values_list("code", flat=True))


def test_it_keeps_the_subtree_and_its_ancestors(db, tmp_path):
    result = areas_import(write(tmp_path), under="370305")
    assert codes() == DISTRICT
    assert result.created == result.total == len(DISTRICT)
    village = Area.objects.get(code="370305003002")
    assert (village.level, village.parent_id) == (Area.Level.VILLAGE, "370305003")
    assert Area.objects.get(code="37").parent_id is None
    town = Area.objects.get(code="370305003")
    assert (town.level, town.pinyin, town.initials) == (Area.Level.TOWN, "xindianjiedao", "xdjd")


def test_it_imports_everything_without_under(db, tmp_path):
    result = areas_import(write(tmp_path))
    assert result.total == Area.objects.count() == 16
    assert result.levels == {1: 2, 2: 2, 3: 3, 4: 4, 5: 5}


def test_it_changes_nothing_on_a_second_run(db, tmp_path):
    folder = write(tmp_path)
    areas_import(folder, under="3703", batch_size=2)
    again = areas_import(folder, under="3703", batch_size=2)
    assert (again.created, again.updated, again.unchanged) == (0, 0, again.total)
    assert again.total == Area.objects.count() == 11


def test_it_updates_a_renamed_area_and_deletes_nothing(db, tmp_path):
    areas_import(write(tmp_path), under="370305")
    renamed = with_rows("villages", ['370305003002,"火车站社区居委会",370305003,37,3703,370305'])
    result = areas_import(write(tmp_path, renamed), under="370305")
    assert (result.created, result.updated) == (0, 1)
    village = Area.objects.get(code="370305003002")
    assert (village.name, village.initials) == ("火车站社区居委会", "hczsqjwh")
    assert codes() == DISTRICT


@pytest.mark.parametrize("given", ["", "package"])
def test_it_finds_the_files_in_a_dist_subfolder(db, tmp_path, given):
    write(tmp_path / "package" / "dist", gz=())
    areas_import(tmp_path / given, under="370305003")
    assert codes() == {"37", "3703", "370305", "370305003", "370305003002", "370305003003"}


def test_it_reports_progress(db, tmp_path):
    out = io.StringIO()
    areas_import(write(tmp_path), stdout=out, batch_size=2)
    lines = out.getvalue().splitlines()
    assert "villages: 4 rows" in lines
    assert lines[-1].startswith("villages: 5 ")


def test_it_refuses_a_missing_folder(db, tmp_path):
    with pytest.raises(AreaImportError, match="nowhere"):
        areas_import(tmp_path / "nowhere")


def test_it_refuses_a_folder_without_the_files(db, tmp_path):
    with pytest.raises(AreaImportError, match="provinces"):
        areas_import(tmp_path)


def test_it_names_the_missing_files(db, tmp_path):
    write(tmp_path)
    (tmp_path / "villages.csv.gz").unlink()
    with pytest.raises(AreaImportError, match=r"villages\.csv"):
        areas_import(tmp_path)


def test_it_refuses_a_bad_header_before_writing(db, tmp_path):
    files = {**FILES, "villages": ("code,title,streetCode", FILES["villages"][1])}
    with pytest.raises(AreaImportError, match="name"):
        areas_import(write(tmp_path, files))
    assert not Area.objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        '37030500300,"短码",370305003,37,3703,370305',
        '370305003009,"",370305003,37,3703,370305',
        '370305009001,"错位",370305003,37,3703,370305',
        '370305009001,"无上级",370305009,37,3703,370305',
        "370305003009",
    ],
)
def test_it_rolls_back_on_a_bad_row(db, tmp_path, row):
    files = with_rows("villages", [*FILES["villages"][1], row])
    with pytest.raises(AreaImportError, match="villages.csv.gz line 7"):
        areas_import(write(tmp_path, files), batch_size=2)
    assert not Area.objects.exists()


def test_it_refuses_an_unknown_or_malformed_under(db, tmp_path):
    folder = write(tmp_path)
    with pytest.raises(AreaImportError, match="370399"):
        areas_import(folder, under="370399")
    with pytest.raises(AreaImportError, match="3703x"):
        areas_import(folder, under="3703x")
    assert not Area.objects.exists()


def test_it_reads_the_shipped_demo_district(db):
    from fangkong.core.areas import SHIPPED_DIR

    result = areas_import(SHIPPED_DIR, under="370305")
    assert result.levels == {1: 1, 2: 1, 3: 1, 4: 12, 5: 473}
