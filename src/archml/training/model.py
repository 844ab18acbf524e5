"""The multi-head layout-aware model: one encoder (LiLT or LayoutLM v1), four heads.

One forward pass over a window gives domain, form (TT05 ``typeName`` code) and fine-type logits
from the first token joined with the mean of all tokens (a small from-scratch encoder learns the
classes much faster from the mean than from ``[CLS]`` alone) and, when the config has a
lexicon, with the mean embedding of the document's distinct tokens (the windows reach only the
first pages of a long document; the lexicon covers all of it), and BIO field-tag logits for
every token. The encoder is built from a small
config (trained from scratch with a corpus tokenizer) or loaded from a local checkpoint
(``--base-model``). ``save_pretrained``/``from_pretrained`` give the usual directory layout
(``config.json`` + ``model.safetensors``); the forward pass returns logits only (losses live in
the trainer) so it exports to ONNX as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import torch
from torch import nn
from transformers import AutoConfig, AutoModel, PretrainedConfig, PreTrainedModel

from archml.runtime.model import INPUTS, LEXICON

EncoderType = Literal["lilt", "layoutlm"]
HEADS = ("domain", "form", "doc_type")


def encoder_config(kind: EncoderType, vocab_size: int, *, hidden_size: int = 256,
                   layers: int = 4, heads: int = 4, max_length: int = 512,
                   pad_token_id: int = 0) -> dict[str, Any]:
    """A small from-scratch encoder config (as a dict for :class:`ArchmlConfig`)."""
    common = {"vocab_size": vocab_size, "hidden_size": hidden_size, "num_hidden_layers": layers,
              "num_attention_heads": heads, "intermediate_size": 4 * hidden_size,
              "pad_token_id": pad_token_id, "max_2d_position_embeddings": 1024}
    if kind == "lilt":  # RoBERTa-style positions start after the padding index
        return {"model_type": "lilt", **common, "max_position_embeddings": max_length + 2,
                "channel_shrink_ratio": 4}
    return {"model_type": "layoutlm", **common, "max_position_embeddings": max_length}


class ArchmlConfig(PretrainedConfig):
    """The encoder's config plus the label sets of the four heads."""

    model_type = "archml"

    def __init__(self, encoder: dict[str, Any] | None = None, domains: list[str] | None = None,
                 forms: list[str] | None = None, doc_types: list[str] | None = None,
                 tags: list[str] | None = None, dropout: float = 0.1, lexicon: bool = False,
                 **kwargs: Any) -> None:
        self.encoder = encoder or {}
        self.domains = list(domains or [])
        self.forms = list(forms or [])
        self.doc_types = list(doc_types or [])
        self.tags = list(tags or ["O"])
        self.dropout = dropout
        self.lexicon = lexicon
        super().__init__(**kwargs)

    def labels(self, head: str) -> list[str]:
        """The label list of ``head`` (``domain``, ``form``, ``doc_type`` or ``tags``)."""
        return {"domain": self.domains, "form": self.forms, "doc_type": self.doc_types,
                "tags": self.tags}[head]


def masked_mean(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``values`` ``(batch, n, d)`` over the positions where ``mask`` ``(batch, n)``."""
    weight = mask.unsqueeze(-1).to(values.dtype)
    return (values * weight).sum(1) / weight.sum(1).clamp(min=1.0)


def _encoder_config(data: dict[str, Any]) -> PretrainedConfig:
    values = dict(data)
    return AutoConfig.for_model(values.pop("model_type"), **values)


class ArchmlModel(PreTrainedModel):
    """Encoder + heads. ``forward`` returns a dict of logits: ``domain``, ``form``,
    ``doc_type`` ``(batch, classes)`` and ``tags`` ``(batch, tokens, tags)``."""

    config_class = ArchmlConfig
    base_model_prefix = "archml"

    def __init__(self, config: ArchmlConfig, encoder: PreTrainedModel | None = None) -> None:
        super().__init__(config)
        self.encoder = encoder or AutoModel.from_config(_encoder_config(config.encoder))
        base = self.encoder.config
        hidden = base.hidden_size
        self.dropout = nn.Dropout(config.dropout)
        self.pad_token_id = base.pad_token_id or 0
        self.lexicon = nn.Embedding(base.vocab_size, hidden,
                                    padding_idx=self.pad_token_id) if config.lexicon else None
        self.lexicon_norm = nn.LayerNorm(hidden) if config.lexicon else None
        pooled = (3 if config.lexicon else 2) * hidden
        self.heads = nn.ModuleDict({name: nn.Linear(pooled if name in HEADS else hidden,
                                                    max(1, len(config.labels(name))))
                                    for name in (*HEADS, "tags")})
        self.post_init()

    @property
    def input_names(self) -> tuple[str, ...]:
        """The forward pass's inputs, in order (the ONNX graph's too)."""
        return (*INPUTS, LEXICON) if self.lexicon is not None else INPUTS

    def _init_weights(self, module: nn.Module) -> None:
        if isinstance(module, nn.Linear) and module in self.heads.values():
            nn.init.normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)

    @classmethod
    def from_base(cls, path: str, config: ArchmlConfig) -> ArchmlModel:
        """Heads on top of a local pretrained encoder checkpoint (``--base-model``)."""
        encoder = AutoModel.from_pretrained(path)
        config.encoder = {"model_type": encoder.config.model_type,
                          **encoder.config.to_diff_dict()}
        return cls(config, encoder=encoder)

    def inputs(self, arrays: Mapping[str, np.ndarray | torch.Tensor],
               device: torch.device | str | None = None) -> dict[str, torch.Tensor]:
        """The forward pass's keyword arguments taken from ``arrays`` (a batch, stacked
        windows), as tensors on ``device``."""
        return {k: torch.as_tensor(arrays[k]).to(device) for k in self.input_names}

    def forward(self, input_ids: torch.Tensor, bbox: torch.Tensor,
                attention_mask: torch.Tensor,
                lexicon: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, bbox=bbox,
                              attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        parts = [hidden[:, 0], masked_mean(hidden, attention_mask)]
        if self.lexicon is not None:
            if lexicon is None:
                raise ValueError("this model reads the document lexicon: pass `lexicon`")
            bag = masked_mean(self.lexicon(lexicon), lexicon != self.pad_token_id)
            parts.append(self.dropout(self.lexicon_norm(bag)))
        pooled = torch.cat(parts, dim=-1)
        out = {name: self.heads[name](pooled) for name in HEADS}
        out["tags"] = self.heads["tags"](hidden)
        return out
