"""Load test of the HTTP API: N concurrent clients against `archml serve` on loopback.

Starts the server as a subprocess (its own API key, job store in a temporary folder), runs
``--clients`` clients for ``--seconds``, each posting documents to ``POST /v1/documents`` one
after another (a 429 is counted, then the client waits its Retry-After), and reports throughput,
latency percentiles of successful requests, responses by status (goal: no 5xx) and the peak
resident memory of the server's process tree (server, forkserver, workers; RSS summed, so
shared pages count more than once).

    .venv/bin/python benchmarks/api_load.py --clients 50 --seconds 30 --input png
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np
from PIL import Image, ImageDraw

from archml.api import ApiKey, ApiSettings, hash_key
from archml.pipeline import DEFAULT_STAGES, PipelineConfig

ROOT = Path(__file__).resolve().parents[1]


def tiny_png() -> bytes:
    image = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(image).text((20, 60), "UY BAN NHAN DAN  So: 12/QD-UBND", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def inputs(kind: str) -> list[tuple[str, bytes]]:
    pdf = ("vbhc13.pdf", (ROOT / "data/samples/vbhc13.pdf").read_bytes())
    png = ("tiny.png", tiny_png())
    return {"png": [png], "pdf": [pdf], "mix": [png, pdf]}[kind]


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


class MemoryWatch(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, tree_rss(self.pid))


def start_server(settings: ApiSettings, folder: Path, workers: int) -> tuple[subprocess.Popen,
                                                                             str]:
    config = folder / "api.json"
    config.write_text(settings.model_dump_json(), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "archml", "serve", "--config", str(config),
                                "--port", str(port), "--workers", str(workers)],
                               stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz").status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not start; see {folder / 'serve.log'}")


async def client(http: httpx.AsyncClient, documents: list[tuple[str, bytes]], stop: float,
                 latencies: list[float], statuses: Counter[int], index: int) -> None:
    n = index
    while time.monotonic() < stop:
        name, data = documents[n % len(documents)]
        n += 1
        started = time.perf_counter()
        try:
            response = await http.post("/v1/documents", files={"file": (name, data)})
        except httpx.TransportError:
            statuses[0] += 1
            continue
        statuses[response.status_code] += 1
        if response.status_code == 200:
            latencies.append(time.perf_counter() - started)
        elif response.status_code == 429:
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def load(url: str, key: str, clients: int, seconds: float,
               documents: list[tuple[str, bytes]]) -> tuple[list[float], Counter[int], float]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"},
                                 timeout=300, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(client(http, documents, started + seconds, latencies, statuses,
                                      i) for i in range(clients)))
        return latencies, statuses, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue-size", type=int, default=64)
    parser.add_argument("--input", choices=("png", "pdf", "mix"), default="png")
    parser.add_argument("--stages", default=",".join(DEFAULT_STAGES),
                        help="Pipeline stages the server runs (default: the library's).")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/out/api_load.json")
    args = parser.parse_args()

    key = secrets.token_urlsafe(24)
    settings = ApiSettings(
        keys=[ApiKey(name="load", sha256=hash_key(key), rate=1e6, burst=1_000_000)],
        queue_size=args.queue_size,
        pipeline=PipelineConfig(stages=args.stages.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        settings.job_store = Path(tmp) / "jobs.sqlite"
        process, url = start_server(settings, Path(tmp), args.workers)
        watch = MemoryWatch(process.pid)
        watch.start()
        try:
            latencies, statuses, wall = asyncio.run(
                load(url, key, args.clients, args.seconds, inputs(args.input)))
        finally:
            watch.done.set()
            watch.join()
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)
    ms = np.array(latencies) * 1000 if latencies else np.zeros(1)
    report = {
        "clients": args.clients, "seconds": round(wall, 1), "workers": args.workers,
        "queue_size": args.queue_size, "input": args.input, "ok": len(latencies),
        "throughput_rps": round(len(latencies) / wall, 2),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
        "status": {str(k): v for k, v in sorted(statuses.items())},
        "server_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "peak_rss_mib": round(watch.peak / (1 << 20), 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))
    print("| input | clients | workers | queue | s | ok/s | p50 ms | p95 ms | p99 ms "
          "| 429 | 5xx | peak RSS MiB |")
    print(f"| {args.input} | {args.clients} | {args.workers} | {args.queue_size} "
          f"| {report['seconds']} | {report['throughput_rps']} | {report['p50_ms']} "
          f"| {report['p95_ms']} | {report['p99_ms']} | {statuses.get(429, 0)} "
          f"| {report['server_5xx']} | {report['peak_rss_mib']} |")


if __name__ == "__main__":
    main()
