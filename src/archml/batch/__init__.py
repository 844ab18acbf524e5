"""Batch jobs over whole collections: journal, resume, engines (local processes, Ray), outputs,
review queue and report. See :mod:`archml.batch.layout` for the output folder."""
