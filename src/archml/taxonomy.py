"""What archml classifies and extracts: domains, TT05 ``typeName`` codes, fine document types, and
the field catalogue (TT05 ``EAD_doc`` elements plus documented domain fields).

Sources: Circular 05/2025/TT-BNV code lists (§1.6 of ``shared/domain/vietnamese-standards.md``),
Decree 30/2020 Phụ lục III abbreviations (§2.2), and the land / civil-status / judicial forms of
§3. Everything here is data; parsing and validation live in :mod:`archml.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

TAXONOMY_VERSION = "1.0"
"""Bumped whenever a class, code or field is added, removed or renamed; models record it."""


class Domain(StrEnum):
    LAND = "land"
    CIVIL_STATUS = "civil_status"
    JUDICIAL = "judicial"
    ADMINISTRATIVE = "administrative"


TYPE_NAMES: dict[str, str] = {
    "01": "Nghị quyết", "02": "Quyết định", "03": "Chỉ thị", "04": "Quy chế", "05": "Quy định",
    "06": "Thông cáo", "07": "Thông báo", "08": "Hướng dẫn", "09": "Chương trình",
    "10": "Kế hoạch", "11": "Phương án", "12": "Đề án", "13": "Dự án", "14": "Báo cáo",
    "15": "Tờ trình", "16": "Giấy ủy quyền", "17": "Phiếu gửi", "18": "Phiếu chuyển",
    "19": "Phiếu báo", "20": "Biên bản", "21": "Hợp đồng", "22": "Công văn", "23": "Công điện",
    "24": "Bản ghi nhớ", "25": "Bản thỏa thuận", "26": "Giấy mời", "27": "Giấy giới thiệu",
    "28": "Giấy nghỉ phép", "29": "Thư công", "30": "Bản đồ", "31": "Bản vẽ kỹ thuật",
    "32": "Khác",
}
"""TT05 ``typeName`` codes → names. 01–29 are the 29 administrative types of Decree 30."""

OTHER_TYPE = "32"

TYPE_ABBREVIATIONS: dict[str, str] = {
    "NQ": "01", "QĐ": "02", "CT": "03", "QC": "04", "QyĐ": "05", "TC": "06", "TB": "07",
    "HD": "08", "CTr": "09", "KH": "10", "PA": "11", "ĐA": "12", "DA": "13", "BC": "14",
    "TTr": "15", "GUQ": "16", "PG": "17", "PC": "18", "PB": "19", "BB": "20", "HĐ": "21",
    "CĐ": "23", "BGN": "24", "BTT": "25", "GM": "26", "GGT": "27", "GNP": "28",
}
"""Decree 30 Phụ lục III type abbreviations (first group of a ký hiệu) → ``typeName`` code.
Công văn (22) and thư công (29) have none: a notation without one is a công văn."""

COPY_ABBREVIATIONS: dict[str, str] = {"SY": "Bản sao y", "TrS": "Bản trích sao",
                                      "SL": "Bản sao lục"}


@dataclass(frozen=True)
class DocType:
    """A fine document class: its domain, TT05 ``typeName`` code and printed title."""

    id: str
    domain: Domain
    type_code: str
    name: str
    title: str
    """The title line as printed (upper case), the strongest cue of the class."""

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.type_code]


def _types(domain: Domain, rows: list[tuple[str, str, str, str]]) -> list[DocType]:
    return [DocType(f"{domain.value}.{key}", domain, code, name, title)
            for key, code, name, title in rows]


DOC_TYPES: tuple[DocType, ...] = tuple(
    _types(Domain.LAND, [
        ("giay_chung_nhan", "32", "Giấy chứng nhận quyền sử dụng đất",
         "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"),
        ("don_dang_ky_bien_dong", "32", "Đơn đăng ký biến động đất đai",
         "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT"),
        ("hop_dong_chuyen_nhuong", "21", "Hợp đồng chuyển nhượng quyền sử dụng đất",
         "HỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT"),
        ("quyet_dinh_giao_thu_hoi_dat", "02", "Quyết định giao đất, thu hồi đất", "QUYẾT ĐỊNH"),
        ("trich_luc_ban_do", "30", "Trích lục bản đồ địa chính",
         "TRÍCH LỤC BẢN ĐỒ ĐỊA CHÍNH"),
    ])
    + _types(Domain.CIVIL_STATUS, [
        ("trich_luc_khai_sinh", "32", "Giấy khai sinh, trích lục khai sinh", "GIẤY KHAI SINH"),
        ("giay_chung_nhan_ket_hon", "32", "Giấy chứng nhận kết hôn",
         "GIẤY CHỨNG NHẬN KẾT HÔN"),
        ("trich_luc_khai_tu", "32", "Trích lục khai tử", "TRÍCH LỤC KHAI TỬ"),
        ("xac_nhan_tinh_trang_hon_nhan", "32", "Giấy xác nhận tình trạng hôn nhân",
         "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"),
        ("to_khai_ho_tich", "32", "Tờ khai đăng ký hộ tịch", "TỜ KHAI ĐĂNG KÝ KHAI SINH"),
    ])
    + _types(Domain.JUDICIAL, [
        ("ban_an_hinh_su", "32", "Bản án hình sự", "BẢN ÁN"),
        ("ban_an_dan_su", "32", "Bản án dân sự", "BẢN ÁN"),
        ("ban_an_hon_nhan_gia_dinh", "32", "Bản án hôn nhân và gia đình", "BẢN ÁN"),
        ("quyet_dinh_toa_an", "02", "Quyết định của Tòa án", "QUYẾT ĐỊNH"),
        ("phieu_ly_lich_tu_phap", "32", "Phiếu lý lịch tư pháp", "PHIẾU LÝ LỊCH TƯ PHÁP"),
    ])
    + _types(Domain.ADMINISTRATIVE, [
        ("quyet_dinh", "02", "Quyết định", "QUYẾT ĐỊNH"),
        ("cong_van", "22", "Công văn", ""),
        ("to_trinh", "15", "Tờ trình", "TỜ TRÌNH"),
        ("bao_cao", "14", "Báo cáo", "BÁO CÁO"),
        ("thong_bao", "07", "Thông báo", "THÔNG BÁO"),
        ("ke_hoach", "10", "Kế hoạch", "KẾ HOẠCH"),
        ("bien_ban", "20", "Biên bản", "BIÊN BẢN"),
        ("giay_moi", "26", "Giấy mời", "GIẤY MỜI"),
        ("chi_thi", "03", "Chỉ thị", "CHỈ THỊ"),
        ("hop_dong", "21", "Hợp đồng", "HỢP ĐỒNG"),
    ])
)
"""Fine classes. Land, civil-status and judicial records without a Decree-30 form are ``32 Khác``
in TT05; their fine class goes to ``keyword``/``description`` in a TT05 package."""

DOC_TYPES_BY_ID: dict[str, DocType] = {t.id: t for t in DOC_TYPES}


def doc_type(type_id: str) -> DocType:
    """The fine class ``type_id`` (e.g. ``"civil_status.trich_luc_khai_tu"``)."""
    try:
        return DOC_TYPES_BY_ID[type_id]
    except KeyError:
        raise KeyError(f"unknown document type {type_id!r}; see taxonomy.DOC_TYPES") from None


ValueType = Literal["text", "date", "integer", "number", "code", "list"]


@dataclass(frozen=True)
class FieldSpec:
    """One extractable field: its name (the TT05 element name where one exists), Vietnamese
    label, value type, the domains it applies to (empty: all) and allowed codes if any."""

    name: str
    label: str
    value_type: ValueType
    description: str
    tt05: bool = False
    domains: tuple[Domain, ...] = ()
    codes: tuple[str, ...] = ()

    def applies_to(self, domain: Domain | str) -> bool:
        return not self.domains or Domain(domain) in self.domains


LAND_USE_CODES: dict[str, str] = {
    "LUC": "Đất chuyên trồng lúa nước", "LUK": "Đất trồng lúa nước còn lại",
    "LUN": "Đất trồng lúa nương", "BHK": "Đất bằng trồng cây hằng năm khác",
    "NHK": "Đất nương rẫy trồng cây hằng năm khác", "CLN": "Đất trồng cây lâu năm",
    "RSX": "Đất rừng sản xuất", "RPH": "Đất rừng phòng hộ", "RDD": "Đất rừng đặc dụng",
    "NTS": "Đất nuôi trồng thủy sản", "LMU": "Đất làm muối", "NKH": "Đất nông nghiệp khác",
    "ONT": "Đất ở tại nông thôn", "ODT": "Đất ở tại đô thị", "TSC": "Đất xây dựng trụ sở cơ quan",
    "DTS": "Đất xây dựng trụ sở của tổ chức sự nghiệp", "DVH": "Đất xây dựng cơ sở văn hóa",
    "DYT": "Đất xây dựng cơ sở y tế", "DGD": "Đất xây dựng cơ sở giáo dục và đào tạo",
    "DTT": "Đất xây dựng cơ sở thể dục thể thao", "CQP": "Đất quốc phòng", "CAN": "Đất an ninh",
    "SKK": "Đất khu công nghiệp", "SKN": "Đất cụm công nghiệp",
    "SKC": "Đất cơ sở sản xuất phi nông nghiệp", "TMD": "Đất thương mại, dịch vụ",
    "DGT": "Đất giao thông", "DTL": "Đất thủy lợi", "NTD": "Đất nghĩa trang, nghĩa địa",
    "SON": "Đất sông, ngòi, kênh, rạch, suối", "MNC": "Đất có mặt nước chuyên dùng",
    "BCS": "Đất bằng chưa sử dụng", "DCS": "Đất đồi núi chưa sử dụng",
    "NCS": "Núi đá không có rừng cây",
}
"""Land-use purpose codes of TT 25/2014 Phụ lục 01 (the 2024 rules revise some)."""

SECRECY_LEVELS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
URGENCY_LEVELS = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")

_L, _C, _J = (Domain.LAND,), (Domain.CIVIL_STATUS,), (Domain.JUDICIAL,)

FIELDS: tuple[FieldSpec, ...] = (
    # TT05 EAD_doc elements that can be read off the document itself.
    FieldSpec("typeName", "Tên loại tài liệu", "code", "TT05 document type code 01–32",
              tt05=True, codes=tuple(TYPE_NAMES)),
    FieldSpec("codeNumber", "Số của tài liệu", "text", "Document number, e.g. '15' or '1906'",
              tt05=True),
    FieldSpec("codeNotation", "Ký hiệu của tài liệu", "text",
              "Notation after the slash, e.g. 'QĐ-BNV' or '2025/TT-BNV'", tt05=True),
    FieldSpec("issuedDate", "Ngày, tháng, năm tài liệu", "date",
              "Issue date (ISO; partial dates keep the known parts)", tt05=True),
    FieldSpec("organName", "Tên cơ quan, tổ chức ban hành", "text",
              "Issuing body, parent body first, lines joined with ' - '", tt05=True),
    FieldSpec("subject", "Trích yếu nội dung", "text", "Subject line (V/v … or under the title)",
              tt05=True),
    FieldSpec("numberOfPage", "Số lượng trang", "integer", "Pages in the document", tt05=True),
    FieldSpec("language", "Ngôn ngữ", "code", "TT05 language code (01 Tiếng Việt)", tt05=True,
              codes=tuple(f"{i:02d}" for i in range(1, 12))),
    FieldSpec("mode", "Chế độ sử dụng", "code",
              "01 công khai, 02 sử dụng có điều kiện, 03 mật (from the secrecy stamp)",
              tt05=True, codes=("01", "02", "03")),
    FieldSpec("confidenceLevel", "Mức độ tin cậy", "code",
              "01 gốc điện tử, 02 số hóa, 03 hỗn hợp", tt05=True, codes=("01", "02", "03")),
    FieldSpec("autograph", "Bút tích", "text", "Handwritten annotations on the document",
              tt05=True),
    # Decree-30 components that every domain shares.
    FieldSpec("signer", "Người ký", "text", "Name of the signer"),
    FieldSpec("signerTitle", "Chức vụ người ký", "text",
              "Authority and title lines, joined with ' - ' (e.g. 'KT. CHỦ TỊCH - PHÓ CHỦ TỊCH')"),
    FieldSpec("place", "Địa danh", "text", "Place name of the place-and-date line"),
    FieldSpec("recipients", "Nơi nhận / Kính gửi", "list", "Addressees and distribution"),
    FieldSpec("secrecy", "Độ mật", "code", "Secrecy stamp", codes=SECRECY_LEVELS),
    FieldSpec("urgency", "Độ khẩn", "code", "Urgency stamp", codes=URGENCY_LEVELS),
    # Land.
    FieldSpec("certificateSerial", "Số phát hành (seri) GCN", "text",
              "Certificate serial: two letters and six digits, e.g. 'AI 821557'", domains=_L),
    FieldSpec("registryNumber", "Số vào sổ cấp GCN", "text",
              "Register entry number, e.g. 'H00681', 'CH00123', '01439/QSDĐ'", domains=_L),
    FieldSpec("parcelNumber", "Thửa đất số", "text", "Parcel number", domains=_L),
    FieldSpec("mapSheet", "Tờ bản đồ số", "text", "Cadastral map sheet number", domains=_L),
    FieldSpec("area", "Diện tích", "number", "Area in m² (decimal comma on the document)",
              domains=_L),
    FieldSpec("landUsePurpose", "Mục đích sử dụng đất", "code", "Land-use purpose code",
              domains=_L, codes=tuple(LAND_USE_CODES)),
    FieldSpec("landAddress", "Địa chỉ thửa đất", "text", "Address of the parcel", domains=_L),
    FieldSpec("holderName", "Người sử dụng đất", "text", "Land user / owner", domains=_L),
    # Civil status.
    FieldSpec("registrationNumber", "Số đăng ký", "text", "Register entry number, e.g. '63/2012'",
              domains=_C),
    FieldSpec("bookNumber", "Quyển số", "text", "Register book, e.g. '01/2012'", domains=_C),
    FieldSpec("personName", "Họ, chữ đệm, tên", "text", "The registered person", domains=_C),
    FieldSpec("birthDate", "Ngày sinh", "date", "Date of birth", domains=_C),
    FieldSpec("birthPlace", "Nơi sinh", "text", "Place of birth", domains=_C),
    FieldSpec("gender", "Giới tính", "code", "Nam / Nữ", domains=_C, codes=("Nam", "Nữ")),
    FieldSpec("spouseName", "Họ tên vợ/chồng", "text", "The other spouse", domains=_C),
    FieldSpec("deathDate", "Ngày chết", "date", "Date of death", domains=_C),
    FieldSpec("registrationDate", "Ngày đăng ký", "date", "Registration date", domains=_C),
    FieldSpec("registeringAuthority", "Cơ quan đăng ký", "text",
              "Registering authority, e.g. 'UBND xã …'", domains=_C),
    FieldSpec("personalId", "Số định danh cá nhân", "text", "12-digit personal ID", domains=_C),
    # Judicial.
    FieldSpec("caseNumber", "Số bản án / quyết định", "text",
              "Case number '<n>/<yyyy>/<domain>-<stage>', e.g. '19/2021/HS-ST'", domains=_J),
    FieldSpec("court", "Tòa án", "text", "Court name", domains=_J),
    FieldSpec("judgmentDate", "Ngày tuyên án", "date", "Date of the judgment or decision",
              domains=_J),
    FieldSpec("parties", "Đương sự", "list", "Parties with their roles", domains=_J),
    FieldSpec("judge", "Thẩm phán chủ tọa", "text", "Presiding judge", domains=_J),
)
"""The field catalogue, in a fixed order (models' BIO tag sets are built from it)."""

FIELDS_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}


def fields_for(domain: Domain | str) -> list[FieldSpec]:
    """The fields that apply to documents of ``domain``."""
    return [f for f in FIELDS if f.applies_to(domain)]


_JSON_TYPES: dict[ValueType, dict[str, Any]] = {
    "text": {"type": "string"},
    "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": "number", "minimum": 0},
    "code": {"type": "string"},
    "list": {"type": "array", "items": {"type": "string"}},
}


def fields_json_schema() -> dict[str, Any]:
    """JSON Schema of a ``{field name: normalised value}`` object under this catalogue."""
    properties = {}
    for spec in FIELDS:
        prop = dict(_JSON_TYPES[spec.value_type], title=spec.label, description=spec.description)
        if spec.codes:
            prop["enum"] = list(spec.codes)
        properties[spec.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://archml.invalid/schemas/fields-{TAXONOMY_VERSION}.json",
        "title": "archml fields",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "x-taxonomy-version": TAXONOMY_VERSION,
    }
