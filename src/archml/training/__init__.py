"""Training side of archml (extra ``[train]``): datasets, weak labels, the multi-head model,
the trainer, MLflow tracking and evaluation. Nothing in the inference path imports this."""
