"""No outbound connections: switch off dependencies' telemetry when archml is imported.

Users who want a hub or telemetry opt in by setting the variable themselves before import.
"""

import os

_DEFAULTS = {
    "ORT_DISABLE_TELEMETRY": "1",
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "RAY_USAGE_STATS_ENABLED": "0",
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True",
}

for _name, _value in _DEFAULTS.items():
    os.environ.setdefault(_name, _value)
