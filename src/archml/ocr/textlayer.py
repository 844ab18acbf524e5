"""Judging and using a PDF's text layer instead of OCR.

Scanners often embed their own OCR layer, legacy-font PDFs (TCVN3, VNI) extract as mojibake, and
some layers hold only a digital-signature caption, so a layer is used only when it looks like real
Vietnamese text laid out on the page: enough words, well-formed tokens, few broken characters,
diacritics where Vietnamese needs them, and boxes inside the page.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from pydantic import BaseModel, Field

from archml.document import Page, Word
from archml.ocr.grouping import words_to_blocks
from archml.ocr.vietnamese import has_diacritics, is_plausible_token, is_syllable
from archml.stages import Stage, Timer

TextLayerMode = Literal["auto", "always", "never"]

MIN_WORDS = 20
MIN_TOKEN_SHARE = 0.85
MAX_BAD_CHAR_SHARE = 0.01
MIN_DIACRITIC_SHARE = 0.35  # running Vietnamese text has ~60–80 % accented syllables
MIN_SYLLABLES_FOR_DIACRITICS = 20
MIN_BOX_SHARE = 0.95
MIN_COVERAGE = 0.002


class TextLayerVerdict(BaseModel):
    """Whether a text layer is good enough to replace OCR, with the evidence."""

    usable: bool
    score: float = Field(ge=0.0, le=1.0)
    reasons: list[str] = Field(default_factory=list)
    """Why the layer was rejected; empty when usable."""
    signals: dict[str, float] = Field(default_factory=dict)


def judge_text_layer(words: list[Word], page_width: float, page_height: float) -> TextLayerVerdict:
    """Score a text layer's words (boxes in page pixels) on text and geometry signals."""
    reasons: list[str] = []
    if len(words) < MIN_WORDS:
        reasons.append(f"only {len(words)} words (need {MIN_WORDS})")
    text = "".join(w.text for w in words)
    bad_chars = sum(_is_bad_char(c) for c in text) / max(1, len(text))
    judged = [v for v in map(is_plausible_token, (w.text for w in words)) if v is not None]
    token_share = sum(judged) / len(judged) if judged else 0.0
    syllables = [w.text for w in words if w.text.isalpha() and is_syllable(w.text)]
    diacritic_share = (sum(map(has_diacritics, syllables)) / len(syllables)) if syllables else 0.0
    box_share = sum(_box_ok(w, page_width, page_height) for w in words) / max(1, len(words))
    coverage = sum(w.box.area for w in words) / (page_width * page_height)

    if bad_chars > MAX_BAD_CHAR_SHARE:
        reasons.append(f"{bad_chars:.1%} replacement, private-use or control characters")
    if judged and token_share < MIN_TOKEN_SHARE:
        reasons.append(f"only {token_share:.0%} of words are Vietnamese syllables, numbers or "
                       "abbreviations (garbled or legacy-font text)")
    diacritics_judged = len(syllables) >= MIN_SYLLABLES_FOR_DIACRITICS
    if diacritics_judged and diacritic_share < MIN_DIACRITIC_SHARE:
        reasons.append(f"only {diacritic_share:.0%} of syllables carry Vietnamese diacritics "
                       "(ASCII-only or de-accented layer)")
    if words and box_share < MIN_BOX_SHARE:
        reasons.append(f"{1 - box_share:.0%} of word boxes are outside the page or degenerate")
    if words and coverage < MIN_COVERAGE:
        reasons.append(f"words cover only {coverage:.2%} of the page")

    score = (token_share * min(1.0, len(words) / MIN_WORDS) * box_share
             * max(0.0, 1 - bad_chars / MAX_BAD_CHAR_SHARE / 10)
             * (min(1.0, diacritic_share / MIN_DIACRITIC_SHARE) if diacritics_judged else 1.0))
    signals = {"words": float(len(words)), "token_share": token_share, "bad_char_share": bad_chars,
               "diacritic_share": diacritic_share, "box_share": box_share, "coverage": coverage}
    return TextLayerVerdict(usable=not reasons, score=round(min(1.0, score), 4), reasons=reasons,
                            signals={k: round(v, 4) for k, v in signals.items()})


def _is_bad_char(char: str) -> bool:
    if char == "\ufffd":
        return True
    category = unicodedata.category(char)
    return category in ("Co", "Cn", "Cs") or (category == "Cc" and not char.isspace())


def _box_ok(word: Word, width: float, height: float) -> bool:
    box, slack = word.box, 0.01 * max(width, height)
    inside = box.x0 >= -slack and box.y0 >= -slack and box.x1 <= width + slack \
        and box.y1 <= height + slack
    return inside and box.width > 0 and 0 < box.height < 0.2 * height


class TextLayerStage(Stage):
    """Use a page's PDF text layer instead of OCR when it is good (``auto``) or always."""

    name = "text_layer"

    def __init__(self, mode: TextLayerMode = "auto") -> None:
        self.mode = mode

    def process_page(self, page: Page) -> None:
        if page.text_layer is None:
            return
        if self.mode == "never":
            page.record(self.name, mode=self.mode, used=False)
            return
        with Timer() as timer:
            verdict = judge_text_layer(page.text_layer, page.width, page.height)
            use = self.mode == "always" or verdict.usable
            if use:
                page.blocks = words_to_blocks(page.text_layer)
                page.source.text_source = "text_layer"
        page.record(self.name, seconds=timer.seconds, mode=self.mode, used=use,
                    **verdict.model_dump())
