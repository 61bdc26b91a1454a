import unicodedata

from civicdesk.assistant.engine.normalize import bigrams, fold, folded_syllables, nfc, syllables


def test_folding_removes_tone_marks_hats_and_d_stroke():
    assert fold("Đăng ký KHAI SINH") == "dang ky khai sinh"
    assert fold("Sổ đỏ, sổ hồng") == "so do, so hong"


def test_decomposed_input_and_old_tone_placement_fold_to_the_same_syllables():
    decomposed = unicodedata.normalize("NFD", "hộ khẩu")
    assert nfc(decomposed) == "hộ khẩu"
    assert folded_syllables(decomposed) == ["ho", "khau"]
    assert fold("hoà giải") == fold("hòa giải") == "hoa giai"


def test_syllables_keep_numbers_whole_and_drop_punctuation():
    assert syllables("Nghị định 123/2015, điều 5!") == ["nghị", "định", "123/2015", "điều", "5"]


def test_bigrams_join_adjacent_syllables():
    assert bigrams(["dang", "ky", "khai", "sinh"]) == ["dang_ky", "ky_khai", "khai_sinh"]
