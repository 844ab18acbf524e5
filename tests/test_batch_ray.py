"""The Ray engine against a real local Ray instance, run in network and PID namespaces (only
loopback; ``unshare --net --pid``) under strace: the local engine's Results, typed error Results
for bad inputs, fsspec URLs, nothing sent off the machine, nothing left running.

One Ray start for the whole module (``tests/ray_support.py``); needs root (or
CAP_SYS_ADMIN), ``unshare`` and ``strace``, and fails, never skips, without them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from archml.errors import ConfigError, InputNotFound, InputTooLarge, ModelMismatch
from archml.pipeline import Pipeline, PipelineConfig

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SCRIPT = Path(__file__).with_name("ray_support.py")
CONFIG = {"model": None, "read": {"dpi": 150}}
URL_SAMPLE = "vbhc13.pdf"
"""Given to Ray as a ``file://`` URL (read through fsspec), to the local engine as a path."""
NAMESPACE = ["unshare", "--net", "--pid", "--fork", "--mount-proc"]
"""Only loopback; every process left in it is killed when the script (its init) exits."""
LOOPBACK = re.compile(r'inet_addr\("127\.|inet_pton\(AF_INET6, "(::1|::ffff:127\.)')


def _require(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        done = None
    if done is None or done.returncode != 0:
        pytest.fail(f"{what} ({' '.join(command)} failed: "
                    f"{done.stderr.strip() if done else 'not installed'})")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Both engines over the same inputs, in the namespaces, under strace."""
    _require([*NAMESPACE, "sh", "-c", "ip link set lo up"],
             "the Ray tests run Ray in network and PID namespaces (only loopback; nothing outlives "
             "the test): they need root (or CAP_SYS_ADMIN) and the unshare and ip commands")
    _require(["strace", "-V"], "the Ray tests trace Ray's connections: apt-get install strace")
    folder = tmp_path_factory.mktemp("ray")
    inputs = [[name, str(SAMPLES / name), str(SAMPLES / name)]
              for name in ("vbhc10.pdf", "vbhc17.pdf")]
    inputs.append([URL_SAMPLE, str(SAMPLES / URL_SAMPLE), (SAMPLES / URL_SAMPLE).as_uri()])
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 64)
    (folder / "empty.tiff").write_bytes(b"")
    inputs += [[name, str(folder / name), str(folder / name)]
               for name in ("corrupt.pdf", "empty.tiff")]
    ray_temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # short: Ray's socket paths
    spec, out, trace = folder / "spec.json", folder / "out.json", folder / "net.trace"
    spec.write_text(json.dumps({"config": CONFIG, "inputs": inputs, "ray_temp": ray_temp}))
    script = " ".join(map(shlex.quote, [sys.executable, str(SCRIPT), str(spec), str(out)]))
    command = (f"ip link set lo up && exec strace -f --seccomp-bpf -qq -e signal=none "
               f"-e trace=connect,sendto -o {shlex.quote(str(trace))} {script}")
    home = folder / "home"  # Ray's ~/.ray and the bootstrap file stay out of the real home
    home.mkdir()
    try:
        for _ in range(2):  # strace can lose a race with a tracee that is exiting: run again
            done = subprocess.run([*NAMESPACE, "sh", "-c", command], capture_output=True,
                                  text=True, timeout=600, env={**os.environ, "HOME": str(home)})
            if "strace: ptrace(PTRACE_LISTEN" not in done.stderr:
                break
    finally:
        shutil.rmtree(ray_temp, ignore_errors=True)
    assert done.returncode == 0, done.stderr[-6000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    report["trace"] = trace.read_text(encoding="utf-8")
    report["inputs"] = inputs
    return report


def _timeless(value: Any) -> Any:
    """``value`` without timings: ``seconds`` anywhere, and the Result's ``created``."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k not in ("seconds", "created")}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def _renamed(value: Any, old: str, new: str) -> Any:
    """``value`` with every string equal to ``old`` replaced by ``new``."""
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, old, new) for v in value]
    return new if value == old else value


def test_ray_gives_the_local_engines_results(run: dict[str, Any]) -> None:
    assert sorted(run["ray"]) == sorted(run["local"]) == sorted(k for k, *_ in run["inputs"])
    for key, local_uri, ray_uri in run["inputs"]:
        local, ray = run["local"][key], _renamed(run["ray"][key], ray_uri, local_uri)
        assert ray["uri"] == local["uri"]
        assert _timeless(ray["result"]) == _timeless(local["result"]), key
        assert _timeless(ray["document"]) == _timeless(local["document"]), key
        assert local["result"]["provenance"]["created"]  # timings were all that differed


def test_samples_are_read_and_classified(run: dict[str, Any]) -> None:
    for key in ("vbhc10.pdf", "vbhc17.pdf", URL_SAMPLE):
        result = run["ray"][key]["result"]
        assert result["status"] == "ok" and result["classification"] is not None, key
        assert result["source"]["pages"] == len(run["ray"][key]["document"]["pages"]) > 0
        assert result["provenance"]["settings"]["read"]["dpi"] == 150


def test_bad_inputs_come_back_as_typed_error_results(run: dict[str, Any]) -> None:
    for key, kind in (("corrupt.pdf", "CorruptInput"), ("empty.tiff", "EmptyInput")):
        for engine in ("local", "ray"):
            done = run[engine][key]
            assert done["document"] is None
            assert done["result"]["status"] == "error"
            assert done["result"]["error"]["type"] == kind, (engine, key)
            assert done["result"]["source"]["path"] == done["uri"]


def test_a_url_is_read_through_fsspec_and_named_by_it(run: dict[str, Any]) -> None:
    url = (SAMPLES / URL_SAMPLE).as_uri()
    ray, local = run["ray"][URL_SAMPLE], run["local"][URL_SAMPLE]
    assert ray["uri"] == ray["result"]["source"]["path"] == url
    assert ray["document"]["source"]["path"] == url
    assert ray["result"]["source"]["sha256"] == local["result"]["source"]["sha256"]


def test_nothing_is_sent_off_the_machine(run: dict[str, Any]) -> None:
    calls = [line for line in run["trace"].splitlines()
             if re.search(r"\b(connect|sendto)\(", line) and "sa_family=AF_INET" in line]
    assert sum(bool(LOOPBACK.search(line)) for line in calls) > 10  # Ray's own traffic is seen
    assert [line for line in calls if not LOOPBACK.search(line)] == []


def test_close_stops_what_the_engine_started(run: dict[str, Any]) -> None:
    assert run["ray_running_after_close"] is False
    assert run["bootstrap_during_run"] is True
    assert run["bootstrap_left"] is False
    assert run["processes_after_close"] == []


def test_missing_ray_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from archml.batch.ray_engine import RayEngine

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"archml\[ray\]"):
        RayEngine(PipelineConfig(model=None))


def test_a_bad_config_fails_before_ray_starts(tmp_path: Path) -> None:
    from archml.batch.ray_engine import RayEngine

    with pytest.raises(ModelMismatch):
        RayEngine(PipelineConfig(model=str(tmp_path)))
    assert not sys.modules["ray"].is_initialized()


def test_process_item_reads_memory_urls_and_types_their_errors() -> None:
    import fsspec

    from archml.batch.ray_engine import process_item

    pipeline = Pipeline(PipelineConfig(model=None, read={"dpi": 150}))
    with fsspec.open("memory://archive/vbhc13.pdf", "wb") as handle:
        handle.write((SAMPLES / URL_SAMPLE).read_bytes())
    result, document = process_item(pipeline, "memory://archive/vbhc13.pdf")
    assert result.status == "ok" and document is not None
    assert result.source.path == "memory://archive/vbhc13.pdf"
    missing, _ = process_item(pipeline, "memory://archive/missing.pdf")
    assert missing.error is not None and missing.error.type == InputNotFound.__name__
    small = Pipeline(PipelineConfig(model=None, read={"max_file_bytes": 1000}))
    large, _ = process_item(small, "memory://archive/vbhc13.pdf")
    assert large.error is not None and large.error.type == InputTooLarge.__name__


def test_the_cloud_probe_guard_never_touches_a_users_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from archml.batch.ray_engine import BOOTSTRAP_CONFIG, skip_cloud_probe

    monkeypatch.setenv("HOME", str(tmp_path))
    written = skip_cloud_probe()
    assert written == BOOTSTRAP_CONFIG.expanduser() and "type: local" in written.read_text()
    written.write_text("provider:\n  type: aws\n")  # the user's own cluster config
    assert skip_cloud_probe() is None  # left alone, and not the engine's to remove
    assert "aws" in written.read_text()
