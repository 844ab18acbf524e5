"""A real archml API server on loopback for the API tests: uvicorn in a background thread,
on a socket bound to a free port, ready once ``/readyz`` says so."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from PIL import Image, ImageDraw

from archml.api import ApiKey, ApiSettings, create_app, hash_key
from archml.document import Box, Word
from archml.pdfwriter import PageContent, write_pdf
from archml.pipeline import PipelineConfig

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
KEY, DOCS_KEY, SLOW_KEY = "full-key-0123456789", "docs-key-0123456789", "slow-key-0123456789"
STAGES = ["text_layer", "imaging", "ocr", "layout", "rule_classifier", "rules"]
"""Pinned so that these tests exercise the API, not page stages still in development."""


def settings(tmp: Path, **changes: Any) -> ApiSettings:
    """Three keys (all scopes; documents only; all scopes at 2 requests a minute), one worker,
    no queue, the job store under ``tmp``."""
    keys = [ApiKey(name="archive", sha256=hash_key(KEY)),
            ApiKey(name="docs-only", sha256=hash_key(DOCS_KEY), scopes=("documents",)),
            ApiKey(name="slow", sha256=hash_key(SLOW_KEY), rate=1 / 30, burst=2)]
    base = {"keys": keys, "workers": 1, "queue_size": 0, "job_store": tmp / "jobs.sqlite",
            "pipeline": PipelineConfig(stages=STAGES)}
    return ApiSettings.model_validate({**base, **changes})


class LiveServer:
    def __init__(self, api_settings: ApiSettings) -> None:
        self.app = create_app(api_settings)
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_config=None, access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.socket]}, daemon=True)

    def start(self, timeout: float = 60) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError("the API server did not become ready")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)
        self.socket.close()


@contextmanager
def live_server(api_settings: ApiSettings) -> Iterator[LiveServer]:
    server = LiveServer(api_settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def client(server: LiveServer, key: str | None = KEY) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


def tiny_png(text: str = "SO 12") -> bytes:
    image = Image.new("L", (320, 96), 255)
    ImageDraw.Draw(image).text((10, 40), text, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sample_pdf() -> bytes:
    return (SAMPLES / "vbhc13.pdf").read_bytes()


def secret_pdf() -> bytes:
    """A born-digital one-page decision with the secrecy stamp MẬT under its header."""

    def seg(text: str, x: float, y: float) -> list[Word]:
        words = []
        for token in text.split():
            words.append(Word(text=token, box=Box(x, y, x + 26 * len(token), y + 50)))
            x += 26 * len(token) + 16
        return words

    def centred(text: str, y: float) -> list[Word]:
        return seg(text, 1280 - 13 * len(text), y)

    words = [*seg("ỦY BAN NHÂN DÂN", 450, 200),
             *seg("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1300, 200),
             *seg("TỈNH QUẢNG NGÃI", 470, 265), *seg("Độc lập - Tự do - Hạnh phúc", 1450, 265),
             *seg("Số: 86/QĐ-UBND", 480, 360),
             *seg("Quảng Ngãi, ngày 16 tháng 01 năm 2025", 1240, 360), *seg("MẬT", 200, 440),
             *centred("QUYẾT ĐỊNH", 600), *centred("Về việc phê duyệt kế hoạch", 670),
             *seg("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", 350,
                  800)]
    buffer = io.BytesIO()
    write_pdf([PageContent(2480, 3508, 300, words)], buffer, mode="text")
    return buffer.getvalue()
