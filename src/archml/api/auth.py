"""``Authorization: Bearer <key>``: 401 for a missing or unknown key, 403 for a key without the
route's scope, 429 when the key's token bucket is empty."""

from __future__ import annotations

import hmac
import math
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from archml.api.errors import ApiError
from archml.api.ratelimit import TokenBucket
from archml.api.settings import ApiKey, Scope, hash_key

bearer = HTTPBearer(auto_error=False, description="An API key issued by the archive's admin.")


class KeyRing:
    """The configured keys (hashes only) and one token bucket per key."""

    def __init__(self, keys: list[ApiKey]) -> None:
        self.keys = list(keys)
        self.buckets = {k.name: TokenBucket(k.rate, k.burst) for k in keys}

    def find(self, presented: str) -> ApiKey | None:
        digest = hash_key(presented)
        found = None
        for key in self.keys:  # compare with every key, in constant time each
            if hmac.compare_digest(key.sha256, digest):
                found = key
        return found

    def authorise(self, presented: str | None, scope: Scope) -> ApiKey:
        key = self.find(presented) if presented else None
        if key is None:
            raise ApiError(401, "unauthorized", "send a valid API key as 'Authorization: "
                           "Bearer <key>'", headers={"WWW-Authenticate": "Bearer"})
        if scope not in key.scopes:
            raise ApiError(403, "forbidden", f"this API key may not use '{scope}'")
        wait = self.buckets[key.name].take()
        if wait:
            raise ApiError(429, "rate_limited", f"rate limit of {key.rate:g} requests/s "
                           f"(burst {key.burst}) reached; retry later",
                           headers={"Retry-After": str(math.ceil(wait))})
        return key


def require(scope: Scope) -> Callable[..., Awaitable[ApiKey]]:
    """A FastAPI dependency admitting keys with ``scope`` (and recording the key's name)."""

    async def dependency(request: Request, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(bearer)]) -> ApiKey:
        keyring: KeyRing = request.app.state.api.keyring
        key = keyring.authorise(credentials.credentials if credentials else None, scope)
        request.state.key_name = key.name
        return key

    return dependency
