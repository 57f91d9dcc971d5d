import pytest

from lesefrei.cache import pages as pagecache
from lesefrei.pages.models import CorrectionsPage, FooterLink, LegalPage
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_loader_is_safe_to_rerun():
    from io import StringIO

    from lesefrei.demo import pages as demo

    factories.index_pages()
    demo.load(StringIO())
    demo.load(StringIO())
    assert LegalPage.objects.count() == 5
    assert CorrectionsPage.objects.count() == 1
    assert FooterLink.objects.count() == 6
    assert LegalPage.objects.get(slug="kontakt").has_form
    pagecache.clear()
