"""Out-of-domain cues: everyday intents that are not administrative (fortune telling, prices, weather, recipes,
poems, sport, health remedies, travel…).

The handbook holds procedures, guides and FAQs; a question carrying one of these cues is usually about something
else even when it shares words with a record ("năm nay tuổi … làm nhà được không" shares "làm nhà" with the
building-permit records). A cue lowers confidence unless a strong match exists: the best record itself uses the
cue phrase (then the handbook does talk about it). The list is general, by intent, not copied from any question.
"""

from functools import lru_cache

from .normalize import fold, syllables

_ZODIAC = ["tý", "sửu", "dần", "mão", "mẹo", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi"]

CUES = [
    # fortune telling, feng shui, auspicious dates
    "phong thủy", "xem tuổi", "hợp tuổi", "kỵ tuổi", "tuổi xung", "xem ngày", "ngày tốt", "giờ tốt",
    "ngày đẹp", "giờ đẹp", "ngày hoàng đạo", "kim lâu", "hoang ốc", "tam tai", "tử vi", "xem bói", "thầy bói",
    "cung mệnh", "hợp mệnh", "mệnh gì", "hướng nhà", "hướng bếp", "giải hạn", "sao chiếu mệnh", "cúng sao",
    "động thổ ngày", "horoscope", "feng shui", "lucky day", "zodiac",
    *[f"tuổi {z}" for z in _ZODIAC], *[f"tuổi con {z}" for z in _ZODIAC],
    # prices, markets, lottery
    "giá vàng", "tỷ giá", "tỉ giá", "giá xăng", "giá dầu", "giá cà phê", "giá tiêu", "giá heo", "giá lợn",
    "giá sầu riêng", "giá rau", "chứng khoán", "cổ phiếu", "bitcoin", "tiền ảo", "xổ số", "kết quả xổ số", "lô đề",
    "gold price", "exchange rate", "stock price",
    # weather
    "thời tiết", "dự báo thời tiết", "nhiệt độ", "trời mưa", "weather", "forecast",
    # cooking, food, places to eat
    "công thức nấu", "cách nấu", "nấu món", "quán ngon", "recipe",
    # writing, entertainment, sport
    "bài thơ", "làm thơ", "viết thơ", "bài hát", "lời bài hát", "bài phát biểu", "truyện cười", "phim",
    "bóng đá", "tỉ số", "tỷ số", "trận đấu", "lịch thi đấu", "poem", "football", "soccer", "match score",
    # health remedies, beauty
    "bài thuốc", "cách chữa", "chữa ho", "giảm cân", "làm đẹp", "remedy",
    # travel, tickets, shopping, gadgets
    "vé máy bay", "vé xe", "khách sạn giá rẻ", "địa điểm check in",
    "giá điện thoại", "wifi", "flight", "hotel", "ticket",
    "du lịch", "đi chơi", "tour", "travel", "holiday trip",
    # salary and personal income tax, banking and credit
    "tiền lương", "tăng lương", "bảng lương", "lương tháng", "đi làm công ty", "cách tính thuế",
    "quyết toán thuế", "hoàn thuế", "thuế tncn", "lãi suất", "vay tín chấp", "thẻ tín dụng", "lãi ngân hàng",
    "salary", "income tax", "interest rate", "credit card",
    "thuế đất", "thuế nhà đất", "nộp thuế đất", "bảo hiểm xã hội tự nguyện", "bhxh tự nguyện",
    "hộ chiếu", "xuất khẩu lao động", "đi xuất khẩu",
    # prices of land, houses and rents; repairs of devices and vehicles; food hygiene permits
    "giá đất", "giá nhà", "giá thuê", "giá bán", "một mét vuông", "bao nhiêu một mét", "giá thị trường",
    "sập nguồn", "sửa điện thoại", "điện thoại bị hư", "hư màn hình", "sửa máy tính", "sửa laptop", "sửa xe",
    "an toàn thực phẩm", "land price", "phone repair", "food safety",
    # military service; flats and real-estate deals; driving licences
    "nghĩa vụ quân sự", "đi bộ đội", "khám tuyển quân", "military service", "căn hộ", "chung cư", "môi giới nhà đất",
    "đổi bằng lái", "cấp đổi bằng lái", "giấy phép lái xe", "driving licence", "driver's license",
    # courts, compensation for land recovery, tuition and pay scales, health-insurance premiums, web domains:
    # other bodies' business, asked in administrative words
    "tòa án", "án phí", "ly hôn đơn phương", "giá đền bù", "tiền đền bù", "mức đền bù", "học phí bao nhiêu",
    "mức học phí", "hệ số lương", "mức lương", "lương giáo viên", "lương công chức", "thuế sử dụng đất",
    "thuế phi nông nghiệp", "bảo hiểm y tế hộ gia đình", "mức đóng bảo hiểm", "tên miền", "domain name",
    "court fee", "tuition fee", "pay scale",
    # shopping advice
    "hãng nào", "loại nào tốt", "nên mua", "mua ở đâu rẻ", "mua máy", "which brand",
    # traffic offences and driving, vehicles
    "phạt nguội", "vượt đèn đỏ", "nồng độ cồn", "thi bằng lái", "học bằng lái", "đăng kiểm", "mua xe",
    "traffic fine", "driving test",
    # exams and admissions, jobs
    "điểm chuẩn", "tuyển sinh đại học", "thi đại học", "điểm thi", "xin việc làm", "tuyển dụng công ty",
    "university admission", "exam results", "job offer",
]  # fmt: skip


@lru_cache(maxsize=1)
def _cue_phrases():
    return frozenset(tuple(fold(t) for t in syllables(c)) for c in CUES)


def cues_in(tokens):
    """The out-of-domain cue phrases (folded syllable tuples) found in folded `tokens`."""
    phrases = _cue_phrases()
    longest = max(len(p) for p in phrases)
    found = []
    for i in range(len(tokens)):
        for length in range(1, min(longest, len(tokens) - i) + 1):
            key = tuple(tokens[i : i + length])
            if key in phrases:
                found.append(key)
    return found


def unsupported_cues(tokens, doc):
    """Cues in the question that the best record `doc` does not itself use (those are evidence against it)."""
    found = cues_in(tokens)
    if not found:
        return []
    # The record must be *about* the cue (its title, keywords or summary), not mention it in passing: the household
    # business record says the food-hygiene permit is a separate procedure, which does not make it the answer.
    about = " ".join([doc.title, *getattr(doc, "keywords", []), getattr(doc, "summary", "")])
    text = f" {' '.join(fold(t) for t in syllables(about))} "
    return [c for c in found if f" {' '.join(c)} " not in text]
