import pytest
from django.core.exceptions import ValidationError

from programmes.models import Organisation
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["rj1", "R-1", "R1"])
def test_it_refuses_an_ods_code_in_the_wrong_format(code):
    organisation = Organisation(
        name="Hillside NHS Trust", ods_code=code, type="acute", region=RegionFactory()
    )
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert error.value.message_dict["ods_code"] == [
        "Enter an ODS code of 3 to 6 capital letters and numbers, like RJ1 or R1K01"
    ]


@pytest.mark.parametrize("code", ["RJ1", "R1K01"])
def test_it_accepts_real_looking_ods_codes(code):
    Organisation(
        name="Hillside NHS Trust", ods_code=code, type="acute", region=RegionFactory()
    ).full_clean()
