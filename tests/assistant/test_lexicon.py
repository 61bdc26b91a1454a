from civicdesk.assistant.engine.lexicon import get_lexicon
from civicdesk.assistant.engine.normalize import folded_syllables


def _canonicals(text):
    return {" ".join(e.canonical) for e in get_lexicon().match(folded_syllables(text))}


def test_colloquial_terms_map_to_catalogue_terms_with_or_without_diacritics():
    assert "giay chung nhan quyen su dung dat" in _canonicals("sổ đỏ")
    assert "giay chung nhan quyen su dung dat" in _canonicals("so hong")
    assert "dang ky thuong tru" in _canonicals("nhập hộ khẩu cho con")
    assert "xac nhan tinh trang hon nhan" in _canonicals("xin giay doc than")
    assert "dang ky khai sinh" in _canonicals("khai sanh")
    assert "ho kinh doanh" in _canonicals("hộ cá thể")


def test_legacy_ids_and_abbreviations():
    assert "can cuoc" in _canonicals("CMND")
    assert "can cuoc" in _canonicals("chứng minh nhân dân")
    assert "uy ban nhan dan" in _canonicals("UBND")


def test_commune_does_certification_not_notarisation():
    assert "chung thuc" in _canonicals("công chứng ở xã")


def test_english_key_terms():
    assert "dang ky khai sinh" in _canonicals("birth certificate")
    assert "dang ky ket hon" in _canonicals("marriage registration")


def test_longest_variant_wins_and_matches_do_not_overlap():
    matches = get_lexicon().match(folded_syllables("làm sổ đỏ"))
    assert [m.variant for m in matches] == ["làm sổ đỏ"]


def test_unrelated_text_matches_nothing():
    assert get_lexicon().match(folded_syllables("thời tiết ngày mai")) == []


def test_a_foreign_spouse_by_nationality_means_a_foreign_element():
    assert "yeu to nuoc ngoai nguoi nuoc ngoai" in _canonicals("chồng sắp cưới là người Nhật")
    assert "yeu to nuoc ngoai nguoi nuoc ngoai" in _canonicals("vo toi la nguoi Han Quoc")
    # A country alone (a trip, a product) is not a foreign element of a civil-status matter.
    assert "yeu to nuoc ngoai nguoi nuoc ngoai" not in _canonicals("đi du lịch Thái Lan")


def test_everyday_words_for_death_and_disability():
    assert "dang ky khai tu" in _canonicals("bố tôi vừa mất")
    assert "dang ky khai tu" in _canonicals("my father passed away")
    assert "khuyet tat giay xac nhan khuyet tat" in _canonicals("cháu bị câm điếc bẩm sinh")


def test_i_and_y_spellings_of_the_same_syllable_meet():
    # "kí" and "ký", "lí" and "lý", "sỹ" and "sĩ" are one syllable spelt two ways; folding keeps them apart.
    assert "dang ky" in _canonicals("đăng kí kết hôn cần gì")
    assert "chu ky" in _canonicals("xác nhận chữ kí")
    assert "liet si" in _canonicals("thân nhân liệt sỹ")
    assert "dang ky" not in _canonicals("đăng ký kết hôn")  # the catalogue's own spelling needs no expansion
