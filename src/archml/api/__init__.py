"""The HTTP API (extra ``[api]``): ``create_app(settings)`` and ``archml serve``."""

from archml.api.app import create_app
from archml.api.settings import ApiKey, ApiSettings, hash_key

__all__ = ["ApiKey", "ApiSettings", "create_app", "hash_key"]
