import numpy as np
import pytest
from PIL import Image

from latentkit.data.folder import load_folder
from latentkit.errors import LatentkitError


def make_folder(path, n=4, mode="RGB", size=(40, 30)):
    for i in range(n):
        colour = (i * 60, 0, 255 - i * 60) if mode == "RGB" else i * 60
        Image.new(mode, size, colour).save(path / f"img{i}.png")


def test_images_are_cropped_resized_and_ordered(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "notes.txt").write_text("not an image")
    data = load_folder(tmp_path, resolution=16)
    assert len(data) == 4 and data.channels == 3
    images = data.images(np.arange(4))
    assert images.shape == (4, 3, 16, 16)
    assert images[1, 0].mean() == pytest.approx(60 / 127.5 - 1, abs=0.01)
    assert data.files == ["img0.png", "img1.png", "img2.png", "img3.png"]


def test_grayscale_folder_has_one_channel(tmp_path):
    make_folder(tmp_path, mode="L")
    assert load_folder(tmp_path, resolution=8).channels == 1


def test_csv_attributes(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "attributes.csv").write_text("file,smile,age\nimg0.png,1,20\nimg2.png,-1,40\n")
    data = load_folder(tmp_path, resolution=8)
    assert data.attribute_names == ["smile", "age"] and len(data) == 2
    assert data.attributes(np.arange(2)).tolist() == [[1, 20], [-1, 40]]


def test_celeba_attributes(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "list_attr_celeba.txt").write_text(
        "4\nSmiling Male\nimg0.png 1 -1\nimg1.png -1 1\nimg2.png 1 1\nimg3.png -1 -1\n"
    )
    data = load_folder(tmp_path, resolution=8)
    assert data.attribute_names == ["Smiling", "Male"]
    assert data.attributes(np.arange(4))[:, 1].tolist() == [-1, 1, 1, -1]


def test_attribute_entries_outside_the_folder_are_refused(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "attributes.csv").write_text("file,a\n../secret.png,1\n")
    with pytest.raises(LatentkitError, match="outside the image folder"):
        load_folder(tmp_path, resolution=8)


def test_a_found_attributes_file_linking_outside_is_refused(tmp_path):
    folder = tmp_path / "images"
    folder.mkdir()
    make_folder(folder)
    (tmp_path / "elsewhere.csv").write_text("file,a\n")
    (folder / "attributes.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(LatentkitError, match="outside the folder"):
        load_folder(folder, resolution=8)


def test_non_images_are_skipped_and_counted(tmp_path, latentkit_log):
    make_folder(tmp_path)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "data.bin").write_bytes(b"x")
    data = load_folder(tmp_path, resolution=8)
    assert "skipped 2 files that are not images" in latentkit_log.text and len(data) == 4


def test_undecodable_image_is_named(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG garbage")
    with pytest.raises(LatentkitError, match=r"broken\.png: cannot decode"):
        load_folder(tmp_path, resolution=8)


def test_bad_attribute_value_names_line(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "attributes.csv").write_text("file,a\nimg0.png,yes\n")
    with pytest.raises(LatentkitError, match=r"attributes.csv:2: 'yes' is not a number"):
        load_folder(tmp_path, resolution=8)


def test_empty_folder(tmp_path):
    with pytest.raises(LatentkitError, match="no images"):
        load_folder(tmp_path)
