"""A small model for tests: random weights (heads scaled up, so classes have margins as a
trained model's do), saved as ``archml train`` would, then exported by ``archml export``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from archml.features import DocWords, FeatureConfig, document_words, train_tokenizer
from test_features import TEXT, make_document

FIELDS = ["codeNumber", "codeNotation", "issuedDate", "subject"]
WORDS = (TEXT + " ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI Thửa đất số 70 tờ bản đồ khai sinh").split()


def random_docs(n: int, seed: int = 0) -> list[DocWords]:
    """Word lists of 1–3 pages and 5–180 words: one or two windows, batches of any length."""
    rng = np.random.default_rng(seed)
    docs = []
    for _ in range(n):
        pages = [" ".join(rng.choice(WORDS, int(rng.integers(5, 60))))
                 for _ in range(int(rng.integers(1, 4)))]
        docs.append(document_words(make_document(pages)))
    return docs


def torch_model_dir(out: Path) -> Path:
    """A model directory as ``archml train`` writes it."""
    import torch

    from archml.runtime.meta import ModelMeta
    from archml.training.model import ArchmlConfig, ArchmlModel, encoder_config
    from archml.training.modeldir import model_card, save_model_dir
    from archml.training.trainer import label_sets

    torch.manual_seed(0)
    tokenizer = train_tokenizer([" ".join(WORDS)] * 20, vocab_size=300)
    labels = label_sets(FIELDS)
    config = ArchmlConfig(
        domains=labels["domain"], forms=labels["form"], doc_types=labels["doc_type"],
        tags=labels["tags"], lexicon=True, encoder=encoder_config(
            "layoutlm", tokenizer.get_vocab_size(), hidden_size=32, layers=2, heads=2,
            max_length=64, pad_token_id=tokenizer.token_to_id("[PAD]")))
    model = ArchmlModel(config)
    with torch.no_grad():
        for head in model.heads.values():
            head.weight.normal_(std=1.0)
    meta = ModelMeta(name="test", encoder="layoutlm", labels=labels, fields=FIELDS,
                     features=FeatureConfig(max_length=64, stride=8, max_windows=2,
                                           lexicon=32),
                     temperatures={"domain": 2.0})
    return save_model_dir(out, model, tokenizer, meta, model_card(meta, []))


def exported_model_dir(out: Path, trained: Path | None = None, n_docs: int = 40) -> Path:
    """The runtime directory of ``trained`` (a new small model when not given)."""
    from archml.training.export import export

    trained = trained or torch_model_dir(out.with_name(out.name + "-torch"))
    export(trained, out, parity_docs=random_docs(n_docs))
    return out
