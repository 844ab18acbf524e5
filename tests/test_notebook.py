"""notebooks/quickstart.ipynb runs top to bottom (tiny settings, one real scan)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"


def test_quickstart_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A kernelspec for this interpreter, so the kernel is this venv on any machine.
    spec = tmp_path / "jupyter" / "kernels" / "archml-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "archml test", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("QUICKSTART_OUT", str(tmp_path / "quickstart"))
    monkeypatch.setenv("QUICKSTART_REAL", "1")
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="archml-test",
                                     resources={"metadata": {"path": str(REPO)}})
    client.execute()
    outputs = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code"
                      for o in c.get("outputs", []))
    assert "model directory:" in outputs and "archml-model.json" in outputs
    assert (tmp_path / "quickstart" / "eval" / "report.json").exists()
