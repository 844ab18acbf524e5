"""Archival integrity and hand-over: SHA-256 fixity, the hash-chained audit log, TT05 packages."""
