"""The API's routes: documents, jobs, and system (models, health, metrics)."""
