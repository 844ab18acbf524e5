"""MLflow tracking: a local sqlite store (``mlflow.db``) unless ``MLFLOW_TRACKING_URI`` says
otherwise; params, per-epoch metrics, the config, the eval report, plots and the model directory,
registered under a name with a version."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import archml  # noqa: F401  (switches MLflow telemetry off before mlflow is imported)


def tracking_uri(default_db: str | Path = "mlflow.db") -> str:
    """``MLFLOW_TRACKING_URI`` if set, else the sqlite file ``default_db``."""
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{Path(default_db).resolve()}"


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    items: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            items.update(_flat(value, f"{name}."))
        else:
            items[name] = str(value)[:500]
    return items


class Tracker:
    """One MLflow run; use as a context manager."""

    def __init__(self, experiment: str, run_name: str, uri: str) -> None:
        import mlflow

        self.mlflow = mlflow
        mlflow.set_tracking_uri(uri)
        if mlflow.get_experiment_by_name(experiment) is None:
            artifacts = None
            if uri.startswith("sqlite:///"):
                artifacts = (Path(uri.removeprefix("sqlite:///")).parent / "mlruns").as_uri()
            mlflow.create_experiment(experiment, artifact_location=artifacts)
        mlflow.set_experiment(experiment)
        self.run_name = run_name

    def __enter__(self) -> Tracker:
        self.run = self.mlflow.start_run(run_name=self.run_name)
        return self

    def __exit__(self, *exc: object) -> None:
        self.mlflow.end_run("FAILED" if exc[0] else "FINISHED")

    @property
    def run_id(self) -> str:
        return self.run.info.run_id

    def log_config(self, config: dict[str, Any]) -> None:
        self.mlflow.log_params(_flat(config))
        self.mlflow.log_dict(config, "config.json")

    def log_metrics(self, metrics: dict[str, float], step: int | None = None) -> None:
        self.mlflow.log_metrics({k: float(v) for k, v in metrics.items()}, step=step)

    def log_artifacts(self, folder: str | Path, path: str | None = None) -> None:
        self.mlflow.log_artifacts(str(folder), artifact_path=path)

    def register(self, name: str, folder: str | Path) -> str:
        """Log ``folder`` as the run's ``model`` artifact and register it; returns the version."""
        from mlflow import MlflowClient

        self.log_artifacts(folder, "model")
        client = MlflowClient()
        if not client.search_registered_models(filter_string=f"name = '{name}'"):
            client.create_registered_model(name)
        source = f"{self.run.info.artifact_uri}/model"
        return client.create_model_version(name, source, run_id=self.run_id).version
