"""The OpenAPI document as committed in ``docs/openapi.json`` (a test compares).

Regenerate with ``python -m archml.api.openapi > docs/openapi.json``.
"""

from __future__ import annotations

import json
import sys

from archml.api.app import create_app


def openapi_text() -> str:
    return json.dumps(create_app().openapi(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    sys.stdout.write(openapi_text())
