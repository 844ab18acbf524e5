"""archml.features: words in model order, tokenisation with word alignment, windows, tags."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from archml.document import Block, Box, Document, DocumentSource, Line, Page, PageSource, Word
from archml.features import (
    IGNORE,
    FeatureConfig,
    bio_tags,
    decode_spans,
    document_words,
    encode,
    merge_windows,
    page_order,
    train_tokenizer,
)

TEXT = "Số: 86/QĐ-UBND Quảng Ngãi, ngày 16 tháng 01 năm 2025 QUYẾT ĐỊNH Về việc bổ nhiệm"


def make_document(pages: list[str]) -> Document:
    built = []
    for index, text in enumerate(pages):
        words = [Word(text=t, box=Box(10 * i, 10, 10 * i + 8, 20))
                 for i, t in enumerate(text.split())]
        built.append(Page(index=index, width=1000, height=1000,
                          source=PageSource(page_index=index, dpi=200),
                          blocks=[Block.from_lines([Line.from_words(words)])] if words else []))
    source = DocumentSource(sha256="0" * 64, mime="image/png", size_bytes=0, n_pages=len(pages))
    return Document(source=source, pages=built)


@pytest.fixture(scope="module")
def tokenizer():
    return train_tokenizer([TEXT] * 20, vocab_size=300)


def test_import_needs_neither_torch_nor_transformers() -> None:
    code = textwrap.dedent("""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("torch", "transformers"):
                    raise ImportError(f"blocked {name}")
                return None
        sys.meta_path.insert(0, Block())
        import archml.features
        assert "torch" not in sys.modules and "transformers" not in sys.modules
    """)
    subprocess.run([sys.executable, "-c", code], check=True)


def test_first_and_last_pages_come_first() -> None:
    assert page_order(4) == [0, 3, 1, 2]
    assert page_order(4, "natural") == [0, 1, 2, 3]
    words = document_words(make_document(["a b", "c", "d e"]))
    assert words.texts == ["a", "b", "d", "e", "c"]
    assert words.pages.tolist() == [0, 0, 2, 2, 1]
    assert words.boxes.shape == (5, 4) and words.boxes.max() <= 1000


def test_tokenizer_keeps_tone_marks(tokenizer) -> None:
    encoding = tokenizer.encode("Quảng Ngãi Về việc", add_special_tokens=False)
    assert "[UNK]" not in encoding.tokens
    assert tokenizer.decode(encoding.ids) == "Quảng Ngãi Về việc"


def test_windows_overlap_and_labels_sit_on_first_tokens(tokenizer) -> None:
    words = document_words(make_document([TEXT * 3]))
    labels = [i % 3 for i in range(len(words))]
    config = FeatureConfig(max_length=24, stride=6, max_windows=None)
    windows = encode(words, tokenizer, config, labels)
    assert len(windows) > 2
    covered = set()
    for w in windows:
        assert w.input_ids.shape == (24,) and w.bbox.shape == (24, 4)
        n = int(w.attention_mask.sum())
        assert w.word_ids[0] == -1 and w.word_ids[n - 1] == -1
        real = w.word_ids[1:n - 1]
        covered |= set(real.tolist())
        firsts = [i for i in range(1, n - 1) if w.labels[i] != IGNORE]
        for i in firsts:
            assert w.labels[i] == labels[w.word_ids[i]]
    assert covered == set(range(len(words)))
    limited = encode(words, tokenizer, FeatureConfig(max_length=24, stride=6, max_windows=2))
    assert len(limited) == 2


def test_lexicon_covers_the_whole_document(tokenizer) -> None:
    first = "Số: 86/QĐ-UBND " * 8
    words = document_words(make_document([first, TEXT]))
    config = FeatureConfig(max_length=24, stride=6, max_windows=1, page_order="natural",
                           lexicon=64)
    windows = encode(words, tokenizer, config)
    pad = tokenizer.token_to_id("[PAD]")
    bag = windows[0].lexicon
    assert bag.shape == (64,)
    ids = tokenizer.encode(words.texts, is_pretokenized=True, add_special_tokens=False).ids
    kept = [int(i) for i in bag if i != pad]
    # every distinct token once, the last page's too although no window reaches it
    assert sorted(kept) == sorted(set(ids)) and len(kept) < 64
    first_page = encode(document_words(make_document([first])), tokenizer, config)[0]
    assert (first_page.input_ids == windows[0].input_ids).all()
    assert set(kept) > set(first_page.lexicon.tolist()) - {pad}
    counts = {i: ids.count(i) for i in kept}
    assert [counts[i] for i in kept] == sorted(counts.values(), reverse=True)
    short = encode(words, tokenizer, config.model_copy(update={"lexicon": 3}))
    assert short[0].lexicon.tolist() == kept[:3]
    assert encode(words, tokenizer, FeatureConfig())[0].lexicon is None


def test_merge_and_decode_round_trip(tokenizer) -> None:
    words = document_words(make_document([TEXT]))
    tags = bio_tags(["codeNotation", "issuedDate"])
    gold = [0] * len(words)
    gold[1] = tags.index("B-codeNotation")
    for i in range(4, 11):
        gold[i] = tags.index("B-issuedDate" if i == 4 else "I-issuedDate")
    windows = encode(words, tokenizer, FeatureConfig(max_length=16, stride=4, max_windows=None),
                     gold)
    scores = []
    for w in windows:  # a perfect model: one-hot scores of each token's word tag
        s = np.zeros((16, len(tags)), dtype=np.float32)
        for i, wid in enumerate(w.word_ids):
            if wid >= 0:
                s[i, gold[wid]] = 1
        scores.append(s)
    merged = merge_windows(windows, scores, len(words)).argmax(-1)
    assert merged.tolist() == gold
    spans = decode_spans(merged.tolist(), tags)
    assert [(s.field, s.start, s.end) for s in spans] == [("codeNotation", 1, 2),
                                                         ("issuedDate", 4, 11)]


def test_empty_document_gives_one_window(tokenizer) -> None:
    windows = encode(document_words(make_document([""])), tokenizer, FeatureConfig())
    assert len(windows) == 1 and int(windows[0].attention_mask.sum()) == 2
