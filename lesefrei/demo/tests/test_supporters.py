import pytest

from lesefrei.support import services
from lesefrei.support.models import CollectionRun

pytestmark = pytest.mark.django_db


def test_demo_loads_twice_without_duplicates(settings):
    from io import StringIO

    from lesefrei.demo import supporters as demo
    from lesefrei.support.models import Pledge

    demo.load(StringIO())
    pledges, runs = Pledge.objects.count(), CollectionRun.objects.count()
    demo.load(StringIO())
    assert (Pledge.objects.count(), CollectionRun.objects.count()) == (pledges, runs) == (8, 1)
    services.export_due_collections(services.today())  # demo data exports cleanly
