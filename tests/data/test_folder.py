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


def test_bad_angle_value_names_line(tmp_path):
    make_folder(tmp_path)
    (tmp_path / "attributes.csv").write_text("file,hue:deg\nimg0.png,10\nimg1.png,red\n")
    with pytest.raises(LatentkitError, match=r"attributes.csv:3: 'red' is not a number"):
        load_folder(tmp_path, resolution=8)


def test_the_layout_researchers_keep(tmp_path, latentkit_log):
    """Images in a subfolder, a column of words, an angle in degrees, a grey image among colour
    ones, a row naming an absent file."""
    (tmp_path / "img").mkdir()
    make_folder(tmp_path / "img", n=3, size=(16, 16))
    Image.new("L", (16, 16), 90).save(tmp_path / "img" / "grey.png")
    (tmp_path / "attributes.csv").write_text(
        "file,shape,hue:deg,size\nimg/img0.png,square,90,1\nimg/img1.png,heart,180,2\n"
        "img/img2.png,square,0,3\nimg/grey.png,ellipse,270,4\nimg/gone.png,heart,0,5\n"
    )
    data = load_folder(tmp_path, resolution=16)
    assert data.files == ["img/img0.png", "img/img1.png", "img/img2.png", "img/grey.png"]
    assert data.attribute_names == ["shape", "hue", "size"]
    assert data.class_attribute == "shape" and data.angle_attributes == ("hue",)
    assert data.class_labels() == ["ellipse", "heart", "square"]
    assert data.labels(np.arange(4)).tolist() == [2, 1, 2, 0]
    assert np.allclose(data.attributes(np.arange(4))[:, 1], np.radians([90, 180, 0, 270]))
    assert data.channels == 3
    assert "1 rows name absent files, left out (img/gone.png)" in latentkit_log.text
    assert "1 images converted to RGB (img/grey.png)" in latentkit_log.text
    expected = r"1 rows name absent files, left out \(img/gone.png\); without strict"
    with pytest.raises(LatentkitError, match=expected) as caught:
        load_folder(tmp_path, resolution=16, strict=True)
    assert caught.value.arguments == ("strict",)


def test_celeba_as_shipped(tmp_path, latentkit_log):
    (tmp_path / "Anno").mkdir()
    (tmp_path / "img_align_celeba").mkdir()
    for i in range(3):
        Image.new("RGB", (178, 218), (40 * i, 0, 0)).save(
            tmp_path / "img_align_celeba" / f"{i}.jpg"
        )
    (tmp_path / "Anno" / "list_attr_celeba.txt").write_text(
        "3\nSmiling Male\n0.jpg 1 -1\n1.jpg -1 1\n2.jpg 1 1\n"
    )
    data = load_folder(tmp_path, resolution=32)
    assert len(data) == 3 and data.attribute_names == ["Smiling", "Male"]
    assert "3 images not square, centre-cropped (0.jpg" not in latentkit_log.text
    assert "3 images not square, centre-cropped (img_align_celeba/0.jpg" in latentkit_log.text


def test_two_columns_of_words_are_refused(tmp_path):
    make_folder(tmp_path, n=2)
    (tmp_path / "attributes.csv").write_text("file,shape,colour\nimg0.png,a,b\nimg1.png,c,d\n")
    with pytest.raises(LatentkitError, match="'shape' and 'colour' both hold words"):
        load_folder(tmp_path, resolution=8)


def test_empty_folder(tmp_path):
    with pytest.raises(LatentkitError, match="no images"):
        load_folder(tmp_path)
