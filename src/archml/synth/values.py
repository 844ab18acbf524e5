"""Value samplers: people, places, organs, dates, numbers and their Vietnamese spellings.

Plain text only, no geometry. A :class:`Sampler` draws from one seeded generator and knows the
issue date of the document it fills, so place and organ names follow the era: before
1 July 2025 provinces are the 63 old ones with districts; from then on the 34 new ones without
a district level, and district courts become "Tòa án nhân dân khu vực N".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

import numpy as np

from archml.synth import data

T = TypeVar("T")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
REORGANISATION = date(2025, 7, 1)
_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


@dataclass(frozen=True)
class Person:
    family: str
    middle: str
    given: str
    gender: str  # "Nam" | "Nữ"
    birth: date

    @property
    def name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"

    @property
    def honorific(self) -> str:
        return "Ông" if self.gender == "Nam" else "Bà"


@dataclass(frozen=True)
class Place:
    """A commune-level place; ``district`` is ``None`` after the 2025 reorganisation."""

    province: str
    province_kind: str  # "tỉnh" | "thành phố"
    district: str | None
    commune: str
    commune_kind: str  # "xã" | "phường"
    hamlet: str

    @property
    def address(self) -> str:
        """``"thôn Phú Lộc, xã Tịnh Khê, huyện Sơn Tịnh, tỉnh Quảng Ngãi"``."""
        parts = [self.hamlet, f"{self.commune_kind} {self.commune}"]
        if self.district:
            parts.append(f"huyện {self.district}")
        parts.append(f"{self.province_kind} {self.province}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Organ:
    """An issuing body: header lines (parent first), symbol, place name, head's titles."""

    lines: tuple[str, ...]
    symbol: str
    place: str
    head: str
    deputy: str
    collective: str | None = None  # "ỦY BAN NHÂN DÂN": its head signs "TM. ..."

    @property
    def name(self) -> str:
        return " - ".join(self.lines)


def vietnamese_date(place: str, day: date) -> str:
    """``"Hà Nội, ngày 05 tháng 01 năm 2020"``: leading zero for days < 10 and months 1–2."""
    return f"{place}, ngày {day.day:02d} tháng {month_text(day)} năm {day.year}"


def month_text(day: date) -> str:
    return f"{day.month:02d}" if day.month <= 2 else str(day.month)


def number_words(n: int) -> str:
    """Vietnamese reading of ``0 <= n < 10000`` (``2019`` → ``hai nghìn không trăm mười chín``)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
        if unit == 0:
            return head
        tail = {1: "mốt" if tens > 1 else "một", 4: "tư" if tens > 1 else "bốn", 5: "lăm"}
        return f"{head} {tail.get(unit, _DIGITS[unit])}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return f"{_DIGITS[hundreds]} trăm"
        middle = f"linh {_DIGITS[rest]}" if rest < 10 else number_words(rest)
        return f"{_DIGITS[hundreds]} trăm {middle}"
    thousands, rest = divmod(n, 1000)
    head = f"{_DIGITS[thousands]} nghìn"
    if rest == 0:
        return head
    if rest < 100:
        small = f"linh {_DIGITS[rest]}" if rest < 10 else number_words(rest)
        return f"{head} không trăm {small}"
    return f"{head} {number_words(rest)}"


def date_words(day: date) -> str:
    """``"Ngày mười lăm, tháng ba, năm hai nghìn không trăm mười chín"``."""
    return (f"Ngày {number_words(day.day)}, tháng {number_words(day.month)}, "
            f"năm {number_words(day.year)}")


def decimal_comma(value: float, digits: int = 1) -> str:
    """``1234.5`` → ``"1.234,5"`` (Vietnamese grouping)."""
    whole, _, frac = f"{value:.{digits}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{frac}" if frac else grouped


class Sampler:
    """Draws values for one document issued on ``issued`` from ``rng``."""

    def __init__(self, rng: np.random.Generator, issued: date) -> None:
        self.rng = rng
        self.issued = issued
        self.new_era = issued >= REORGANISATION
        self.province = self.pick(data.load("places")["provinces"])

    # Generic draws -----------------------------------------------------------------------
    def pick(self, items: list[T] | tuple[T, ...]) -> T:
        return items[int(self.rng.integers(len(items)))]

    def sample(self, items: list[T] | tuple[T, ...], k: int) -> list[T]:
        return [items[i] for i in self.rng.choice(len(items), size=min(k, len(items)),
                                                  replace=False)]

    def weighted(self, pairs: list[list[Any]]) -> Any:
        weights = np.array([p[1] for p in pairs], dtype=float)
        return pairs[int(self.rng.choice(len(pairs), p=weights / weights.sum()))][0]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def integer(self, low: int, high: int) -> int:
        """Uniform in ``[low, high]``."""
        return int(self.rng.integers(low, high + 1))

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=int(self.rng.integers(0, max(1, (end - start).days))))

    def before(self, years_min: int, years_max: int) -> date:
        """A day ``years_min``–``years_max`` years before the issue date."""
        start = self.issued - timedelta(days=365 * years_max)
        return self.day_between(start, self.issued - timedelta(days=365 * years_min))

    # People and places -------------------------------------------------------------------
    def person(self, gender: str | None = None, age: tuple[int, int] = (20, 75)) -> Person:
        names = data.load("names")
        gender = gender or self.pick(("Nam", "Nữ"))
        return Person(self.weighted(names["family"]), self.weighted(names["middle"][gender]),
                      self.pick(names["given"][gender]), gender, self.before(*age))

    def ethnic(self) -> str:
        return self.weighted(data.load("names")["ethnic"])

    @property
    def province_name(self) -> str:
        return self.province["new" if self.new_era else "old"]

    @property
    def province_kind(self) -> str:
        return self.province["new_kind" if self.new_era else "old_kind"]

    def place(self, same_province: bool = True) -> Place:
        places = data.load("places")
        prov = self.province if same_province else self.pick(places["provinces"])
        key = "new" if self.new_era else "old"
        ward = self.chance(0.25)
        commune = self.pick(places["ward_names" if ward else "commune_names"])
        hamlet_word = self.pick(places["hamlet_words"])
        hamlet = (f"{hamlet_word} {self.pick(places['commune_names'])}" if self.chance(0.7)
                  else f"số {self.integer(1, 299)} đường {self.pick(places['streets'])}")
        return Place(prov[key], prov[f"{key}_kind"],
                     None if self.new_era else self.pick(prov["districts"]), commune,
                     "phường" if ward else "xã", hamlet)

    # Organs ------------------------------------------------------------------------------
    def _valid(self, item: dict[str, Any]) -> bool:
        iso = self.issued.isoformat()
        return iso >= item.get("since", "0000") and iso < item.get("until", "9999")

    def _titles(self, kind: str) -> dict[str, str]:
        return data.load("organs")["titles"][kind]

    def ubnd(self, level: str, place: Place | None = None) -> Organ:
        """The people's committee of a ``province``, ``district`` or ``commune``."""
        t = self._titles("ubnd")
        place = place or self.place()
        if level == "district" and place.district is None:
            level = "commune"
        name, where = {
            "province": (f"{self.province_kind.upper()} {self.province_name.upper()}",
                         self.province_name),
            "district": (f"HUYỆN {(place.district or '').upper()}", place.district or ""),
            "commune": (f"{place.commune_kind.upper()} {place.commune.upper()}", place.commune),
        }[level]
        return Organ(("ỦY BAN NHÂN DÂN", name), "UBND", _place_name(where), t["head"],
                     t["deputy"], t["collective"])

    def department(self) -> Organ:
        deps = [d for d in data.load("organs")["departments"] if self._valid(d)]
        dep = self.pick(deps)
        t = self._titles("department")
        parent = f"UBND {self.province_kind.upper()} {self.province_name.upper()}"
        return Organ((parent, dep["name"]), dep["abbr"], _place_name(self.province_name),
                     t["head"], t["deputy"])

    def district_office(self, place: Place) -> Organ:
        office = self.pick(data.load("organs")["district_offices"])
        t = self._titles("office")
        return Organ((f"UBND HUYỆN {(place.district or '').upper()}", office["name"]),
                     office["abbr"], place.district or "", t["head"], t["deputy"])

    def ministry(self) -> Organ:
        items = [m for m in data.load("organs")["ministries"] if self._valid(m)]
        item = self.pick(items)
        if self.chance(0.5):
            t = self._titles("ministry")
            return Organ((item["name"],), item["abbr"], "Hà Nội", t["head"], t["deputy"])
        unit, abbr = self.pick(item["units"])
        t = self._titles("unit")
        return Organ((item["name"], unit), abbr, "Hà Nội", t["head"], t["deputy"])

    def land_office(self) -> Organ:
        office = next(o for o in data.load("organs")["land_offices"] if self._valid(o))
        t = self._titles("department")
        parent = (office["parent"] if self.chance(0.5)
                  else f"{office['parent']} {self.province_kind.upper()} "
                       f"{self.province_name.upper()}")
        return Organ((parent, office["name"]), office["abbr"], _place_name(self.province_name),
                     t["head"], t["deputy"])

    def admin_organ(self) -> Organ:
        """Any administrative issuer, weighted towards provincial bodies."""
        place = self.place()
        choices = ["province", "department", "commune", "ministry"]
        if not self.new_era:
            choices += ["district", "district_office"]
        kind = self.pick(choices)
        if kind == "department":
            return self.department()
        if kind == "ministry":
            return self.ministry()
        if kind == "district_office":
            return self.district_office(place)
        return self.ubnd(kind, place)

    def court(self, level: str = "first") -> Organ:
        """A court: pre-2025 district/provincial courts, or a post-2025 regional court."""
        t = self._titles("court")
        prov, kind = self.province_name.upper(), self.province_kind.upper()
        if level == "appeal":
            lines = ("TÒA ÁN NHÂN DÂN", f"{kind} {prov}")
            return Organ(lines, "TA", _place_name(self.province_name), t["head"], t["deputy"])
        if self.new_era:
            lines = (f"TÒA ÁN NHÂN DÂN KHU VỰC {self.integer(1, 12)}", f"{kind} {prov}")
            return Organ(lines, "TA", _place_name(self.province_name), t["head"], t["deputy"])
        district = self.pick(self.province["districts"])
        lines = (f"TÒA ÁN NHÂN DÂN HUYỆN {district.upper()}", f"{kind} {prov}")
        return Organ(lines, "TA", district, t["head"], t["deputy"])

    # Numbers and codes -------------------------------------------------------------------
    def doc_number(self) -> str:
        """A document number as printed: leading zero below 10, skewed towards small numbers."""
        n = int(min(9999, 1 + self.rng.exponential(250)))
        return f"{n:02d}"

    def personal_id(self, person: Person) -> str:
        """A 12-digit personal ID: province code, century/gender digit, birth year, serial."""
        century = (0 if person.birth.year < 2000 else 2) + (person.gender == "Nữ")
        return (f"{self.integer(1, 96):03d}{century}{person.birth.year % 100:02d}"
                f"{self.integer(0, 999999):06d}")

    def certificate_serial(self) -> str:
        letters = "ABCDEGHKLMNPQRSTUVXY"
        return f"{self.pick(letters)}{self.pick(letters)} {self.integer(0, 999999):06d}"

    def registry_number(self) -> str:
        n = self.integer(1, 99999)
        form = self.integer(0, 3)
        return (f"CH{n:05d}", f"CS {n:05d}", f"H{n:05d}", f"{n:05d}/QSDĐ")[form]


def _place_name(name: str) -> str:
    """The place name printed in box 4: "Thành phố Hồ Chí Minh" keeps its prefix."""
    return "Thành phố Hồ Chí Minh" if name == "Hồ Chí Minh" else name
