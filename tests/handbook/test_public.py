"""Public pages (/cam-nang/): published content for citizens, no login, nothing else."""

from civicdesk.handbook import services
from tests.factories import SYSTEM

from .factories import FaqFactory, GuideFactory


def test_citizens_read_published_procedures_without_an_account(client, published):
    response = client.get("/cam-nang/thu-tuc/HT-100/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in html and "Tờ khai" in html and "<svg" in html
    assert "Lưu ý cho cán bộ" not in html and "Biên tập" not in html
    assert "Đăng ký khai sinh" in client.get("/cam-nang/").content.decode()


def test_drafts_archived_and_officials_only_content_stay_private(client, draft, published, fields):
    assert client.get("/cam-nang/thu-tuc/HT-200/").status_code == 404
    services.archive(SYSTEM, published)
    assert client.get("/cam-nang/thu-tuc/HT-100/").status_code == 404
    GuideFactory(slug="noi-bo", audience="officials")
    GuideFactory(slug="cho-dan", audience="citizens", title="Cách nộp hồ sơ trực tuyến")
    FaqFactory(slug="hoi", status="draft")
    assert client.get("/cam-nang/huong-dan/noi-bo/").status_code == 404
    assert client.get("/cam-nang/hoi-dap/hoi/").status_code == 404
    assert client.get("/cam-nang/huong-dan/cho-dan/").status_code == 200


def test_public_search_is_accent_insensitive_and_public_only(client, published, draft):
    html = client.get("/cam-nang/tim-kiem/?q=khai+sinh").content.decode()
    assert "/cam-nang/thu-tuc/HT-100/" in html
    html = client.get("/cam-nang/tim-kiem/?q=ket+hon").content.decode()
    assert "HT-200" not in html and "Không tìm thấy" in html
    partial = client.get("/cam-nang/tim-kiem/?q=lam+giay+khai+sinh", HTTP_HX_REQUEST="true").content.decode()
    assert "/cam-nang/thu-tuc/HT-100/" in partial and "<html" not in partial


def test_public_faq_page(client, fields):
    FaqFactory(
        slug="phi-khai-sinh", question="Khai sinh có mất phí không?", answer="**Không**, nếu đúng hạn."
    )
    html = client.get("/cam-nang/hoi-dap/phi-khai-sinh/").content.decode()
    assert "<strong>Không</strong>" in html
