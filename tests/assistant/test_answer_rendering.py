"""The answer reads as prose and lists, never as Python data (a dict's .items() in a template)."""

import lxml.html

BIRTH = "làm giấy khai sinh cho con cần gì"


def test_every_part_of_the_birth_answer_is_readable(handbook, alice, client_for):
    client = client_for(alice)
    html = client.post("/assistant/", {"q": BIRTH}, HTTP_HX_REQUEST="true").content.decode()
    answer = lxml.html.fromstring(html).find_class("assistant-a")[0].text_content()
    assert "('label'" not in answer and "('text'" not in answer and "('field'" not in answer
    assert "Thủ tục:" in answer and "Đăng ký khai sinh (HT-001)" in answer
    assert "Giấy chứng sinh" in answer  # the documents list
    assert "Ủy ban nhân dân cấp xã" in answer  # where to file
