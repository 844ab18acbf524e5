"""Imaging steps on synthetic pages with known rotation, skew and borders, and on real scans."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from archml.document import Page, PageSource
from archml.imaging import (
    ImagingConfig,
    ImagingStage,
    binarize,
    crop_borders,
    denoise,
    detect_orientation,
    estimate_skew,
    flatten_background,
    ink_gray,
    noise_level,
    rotate_bound,
    rotate_quadrant,
    text_geometry,
)
from archml.synth import degrade, degrade_preset, render_text_page

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture(scope="module")
def clean() -> np.ndarray:
    return render_text_page(seed=7, dpi=150).image


def page_of(image: np.ndarray, dpi: int = 150) -> Page:
    return Page(index=0, width=image.shape[1], height=image.shape[0], image=image,
                source=PageSource(page_index=0, dpi=dpi))


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_orientation_undoes_a_quarter_turn(clean: np.ndarray, turn: int) -> None:
    turned = degrade_preset(clean, "light", seed=turn, rotate90=turn)
    assert detect_orientation(ink_gray(turned)) == (360 - turn) % 360


def test_orientation_leaves_a_blank_page_alone() -> None:
    blank = np.full((1600, 1200, 3), 250, np.uint8)
    assert detect_orientation(ink_gray(blank)) == 0


@pytest.mark.parametrize("skew", [-9.0, -2.5, 3.0, 12.0])
def test_skew_estimate_matches_the_applied_skew(clean: np.ndarray, skew: float) -> None:
    skewed = degrade(clean, seed=1, skew=skew)
    assert estimate_skew(ink_gray(skewed)) == pytest.approx(skew, abs=0.3)


def test_rotations_are_lossless_and_bound_keeps_every_pixel(clean: np.ndarray) -> None:
    assert np.array_equal(rotate_quadrant(rotate_quadrant(clean, 90), 270), clean)
    grown = rotate_bound(clean, 10.0)
    h, w = clean.shape[:2]
    assert grown.shape[0] > h and grown.shape[1] > w
    assert (ink_gray(grown) < 128).sum() == pytest.approx((ink_gray(clean) < 128).sum(), rel=0.1)


def test_border_crop_removes_a_dark_scanner_bed(clean: np.ndarray) -> None:
    bordered = np.full((clean.shape[0] + 160, clean.shape[1] + 120, 3), 25, np.uint8)
    bordered[100:100 + clean.shape[0], 40:40 + clean.shape[1]] = clean
    cropped, box = crop_borders(bordered)
    # the cut lands on the page edge or a little inside it, never in the bed or deep in the page
    h, w = clean.shape[:2]
    assert 40 <= box.x0 <= 56 and 100 <= box.y0 <= 116
    assert 40 + w - 16 <= box.x1 <= 40 + w and 100 + h - 16 <= box.y1 <= 100 + h
    edge = np.concatenate([cropped[:5].ravel(), cropped[-5:].ravel()])
    assert edge.mean() > 200  # no dark band left along the edges


def test_border_crop_keeps_a_clean_page_whole(clean: np.ndarray) -> None:
    cropped, box = crop_borders(clean)
    assert cropped.shape == clean.shape and tuple(box) == (0, 0, clean.shape[1], clean.shape[0])


def test_flatten_background_evens_out_uneven_light(clean: np.ndarray) -> None:
    shaded = degrade(clean, seed=3, uneven_light=0.5)
    paper = ink_gray(clean) > 200
    before = ink_gray(shaded)[paper].std()
    after = ink_gray(flatten_background(shaded))[paper].std()
    assert after < before / 2


def test_binarize_gives_two_levels_and_keeps_the_text(clean: np.ndarray) -> None:
    for method in ("sauvola", "otsu"):
        out = binarize(degrade_preset(clean, "light", seed=2), method)
        assert out.ndim == 2 and set(np.unique(out)) <= {0, 255}
        assert 0.005 < (out == 0).mean() < 0.2


def test_denoise_removes_specks(clean: np.ndarray) -> None:
    specked = degrade(clean, seed=4, speckle=0.002)
    gray_before = ink_gray(specked)
    gray_after = ink_gray(denoise(specked, "median"))
    isolated = (gray_before < 100) & (ink_gray(clean) > 200)
    assert isolated.sum() > 500
    assert (gray_after[isolated] < 100).sum() < 0.2 * isolated.sum()


def test_stage_records_every_step_and_the_provenance(clean: np.ndarray) -> None:
    turned = degrade(clean, seed=5, skew=4.0, rotate90=90, dark_border=50)
    page = page_of(turned)
    ImagingStage(ImagingConfig(denoise=True, binarize=True)).process_page(page)
    steps = [s.name for s in page.source.steps]
    assert steps == ["border_crop", "orientation", "deskew", "flatten_background", "denoise",
                     "binarize"]  # forced on: no noise measurement needed
    assert page.source.rotation == 270
    assert page.source.deskew_angle == pytest.approx(4.0, abs=0.4)
    assert page.image is not None and (page.height, page.width) == page.image.shape[:2]
    assert page.height > page.width  # upright portrait again


def test_stage_with_everything_off_changes_nothing(clean: np.ndarray) -> None:
    off = ImagingConfig(border_crop=False, orientation=False, deskew=False,
                        flatten_background=False, denoise=False, binarize=False)
    page = page_of(clean.copy())
    ImagingStage(off).process_page(page)
    assert np.array_equal(page.image, clean) and page.source.steps == []


def test_stage_skips_text_layer_pages(clean: np.ndarray) -> None:
    page = page_of(clean.copy())
    page.source.text_source = "text_layer"
    ImagingStage().process_page(page)
    assert page.source.steps == [] and np.array_equal(page.image, clean)


def test_real_scans_stay_upright_and_nearly_straight() -> None:
    pdf = pdfium.PdfDocument(SAMPLES / "vbhc01.pdf")
    image = np.asarray(pdf[0].render(scale=150 / 72).to_pil().convert("RGB"))
    pdf.close()
    assert detect_orientation(ink_gray(image)) == 0
    assert detect_orientation(ink_gray(rotate_quadrant(image, 180))) == 180
    assert abs(estimate_skew(ink_gray(image))) < 2.0


def test_auto_denoise_and_binarize_only_touch_grainy_pages(clean: np.ndarray) -> None:
    assert noise_level(clean) < 2 < 8 < noise_level(degrade_preset(clean, "heavy", seed=1))
    quiet, grainy = page_of(clean.copy()), page_of(degrade_preset(clean, "heavy", seed=1))
    for page in (quiet, grainy):
        ImagingStage().process_page(page)
    assert "denoise" not in [s.name for s in quiet.source.steps]
    assert [s.name for s in grainy.source.steps][-3:] == ["noise", "denoise", "binarize"]
    assert grainy.image is not None and set(np.unique(grainy.image)) <= {0, 255}


@pytest.mark.parametrize(("turn", "skew"), [(0, 3.0), (90, -4.0), (180, 2.0), (270, 6.0)])
def test_text_geometry_gives_the_turn_and_the_skew_left_after_it(
        clean: np.ndarray, turn: int, skew: float) -> None:
    image = degrade(clean, seed=6, skew=skew, rotate90=turn)
    rotation, found = text_geometry(ink_gray(image))
    assert rotation == (360 - turn) % 360
    assert found == pytest.approx(skew, abs=0.3)
