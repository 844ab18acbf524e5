"""`archml ocr` end to end: real files, real Tesseract, real worker processes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from archml.document import Document
from archml.errors import CorruptInput, EmptyInput, UnsupportedInput
from archml.pipeline import OCR_STAGES, PipelineConfig
from archml.runner import Runner

FONT = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
LINES = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def text_image(lines: list[str] = LINES) -> Image.Image:
    """A small 300-dpi strip with printed Vietnamese lines."""
    font = ImageFont.truetype(FONT, 54)
    image = Image.new("RGB", (1700, 110 * len(lines) + 120), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((80, 60 + 110 * i), line, font=font, fill="black")
    return image


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    (root / "sub").mkdir()
    text_image().save(root / "good.png", dpi=(300, 300))
    text_image().save(root / "sub" / "good.pdf", resolution=300)
    text_image().save(root / "sub" / "good.jpg", dpi=(300, 300), quality=92)
    (root / "corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    (root / "empty.png").write_bytes(b"")
    (root / "not-an-image.jpg").write_text("Kính gửi: this is plain text", encoding="utf-8")
    return root


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "archml", *args], capture_output=True,
                          text=True, timeout=300)


def test_mixed_directory_yields_every_good_file_and_types_every_failure(
        mixed_dir: Path, tmp_path: Path) -> None:
    before = digest(mixed_dir)
    out = tmp_path / "out"
    proc = run_cli("ocr", str(mixed_dir), "--out", str(out), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr

    # sub/good.jpg sorts first and takes sub/good.json; sub/good.pdf gets its full name
    for rel in ("good.json", "sub/good.json", "sub/good.pdf.json"):
        document = Document.from_export(json.loads((out / rel).read_text(encoding="utf-8")))
        assert "Độc lập" in document.text and "VIỆT NAM" in document.text
        assert document.source.sha256 in set(before.values())
    assert not (out / "corrupt.json").exists() and not (out / "empty.json").exists()

    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["failed"]) == (6, 3)
    types = {Path(f["source"]).name: f["type"] for f in summary["failures"]}
    assert types == {"corrupt.pdf": CorruptInput.__name__, "empty.png": EmptyInput.__name__,
                     "not-an-image.jpg": UnsupportedInput.__name__}
    assert "Failures" in proc.stderr
    assert digest(mixed_dir) == before, "originals must never be modified"
    # OCR only: no classifier is loaded or run
    assert summary["config"]["stages"] == list(OCR_STAGES)
    assert document.classification is None and not document.fields


def test_exit_code_is_non_zero_only_when_nothing_was_processed(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"")
    proc = run_cli("ocr", str(tmp_path / "bad.pdf"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "EmptyInput" in proc.stderr
    assert run_cli("ocr", str(tmp_path / "nothing-here"), "--out", str(tmp_path)).returncode != 0


def test_hocr_and_text_formats(mixed_dir: Path, tmp_path: Path) -> None:
    proc = run_cli("ocr", str(mixed_dir / "good.png"), "--out", str(tmp_path), "-f", "hocr")
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(tmp_path / "good.hocr").getroot()
    words = [el.text for el in root.iter() if el.get("class") == "ocrx_word"]
    assert "lập" in words and all(w.strip() for w in words)
    proc = run_cli("ocr", str(mixed_dir / "good.png"), "--out", str(tmp_path), "-f", "txt",
                   "--print")
    assert "Hạnh phúc" in (tmp_path / "good.txt").read_text(encoding="utf-8")
    assert "Hạnh phúc" in proc.stdout


def test_runner_in_process_and_in_pool_agree_and_keep_input_order(mixed_dir: Path) -> None:
    inputs = [mixed_dir / "good.png", mixed_dir / "empty.png", mixed_dir / "sub" / "good.pdf"]
    config = PipelineConfig()
    here = list(Runner(config, jobs=1).run(inputs))
    pool = list(Runner(config, jobs=2).run(inputs))
    assert [o.input for o in here] == [o.input for o in pool] == [str(p) for p in inputs]
    assert [o.ok for o in pool] == [True, False, True]
    assert isinstance(pool[1].error, EmptyInput) and pool[1].error.source
    for a, b in zip(here, pool, strict=True):
        if a.ok:
            assert a.document is not None and b.document is not None
            assert a.document.export()["pages"][0]["blocks"] == \
                b.document.export()["pages"][0]["blocks"]


@pytest.mark.parametrize(("argv", "jobs", "prestarts"), [
    (["ocr", "d", "--out", "o", "--jobs", "2"], 2, True),
    (["ocr", "d", "-j", "4", "--out", "o"], 4, True),
    (["classify", "d", "--jobs=3"], 3, True),
    (["batch", "d", "--out", "o", "-j2"], 2, True),
    (["batch", "d", "--out", "o", "-j", "2", "--engine", "ray"], 2, False),
    (["ocr", "d", "--out", "o"], 1, False),
    (["ocr", "d", "--out", "o", "--jobs", "many"], 1, False),
    (["serve", "--jobs", "2"], 2, False),
])
def test_worker_commands_start_their_forkserver_before_importing_the_cli(
        argv: list[str], jobs: int, prestarts: bool) -> None:
    from archml.__main__ import requested_jobs, runs_local_workers

    assert requested_jobs(argv) == jobs
    assert runs_local_workers(argv) == prestarts


def test_importing_archml_stays_light_and_the_forkserver_starts_first() -> None:
    code = ("import sys, archml.__main__ as m\n"
            "heavy = [n for n in ('numpy', 'pydantic', 'cv2', 'archml.cli') if n in sys.modules]\n"
            "assert not heavy, heavy\n"
            "assert m.prestart_workers(['ocr', 'x', '--jobs', '2'])\n"
            "from multiprocessing import forkserver\n"
            "assert forkserver._forkserver._forkserver_pid is not None\n"
            "assert 'archml.cli' not in sys.modules and 'numpy' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(("command", "extra"), [("train", "[train]"), ("serve", "[api]"),
                                                ("synth", "[train]")])
def test_help_names_the_extra_a_command_needs(command: str, extra: str) -> None:
    from typer.testing import CliRunner

    from archml.cli import app

    result = CliRunner().invoke(app, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert f"needs the {extra} extra" in " ".join(result.output.split())
