"""What the runner (runDjangoSuite.ts) tells the suite besides the hand-off itself: what to expect,
and, against moto, where moto is and whether it enforces IAM."""

import os
from contextlib import contextmanager

import pytest
import requests

EXPECTED_ACCESS_KEY_ID = "TALENTBASE_EXPECTED_ACCESS_KEY_ID"
EXPECTED_USER_ARN = "TALENTBASE_EXPECTED_USER_ARN"
EXPECTED_BUCKET = "TALENTBASE_EXPECTED_BUCKET"
MOTO_ENDPOINT = "TALENTBASE_MOTO_ENDPOINT"
IAM_ENFORCED = "TALENTBASE_IAM_ENFORCED"


def iam_enforced() -> bool:
    return os.environ.get(IAM_ENFORCED) == "1"


def _set_moto_enforcement(on: bool) -> None:
    # moto's own switch: "0" checks every request from now on, "inf" never.
    response = requests.post(f"{os.environ[MOTO_ENDPOINT]}/moto-api/reset-auth", data="0" if on else "inf", timeout=10)
    response.raise_for_status()


@contextmanager
def enforcement_suspended():
    """For a step moto cannot serve under IAM enforcement; enforcement is back on afterwards, whatever happens."""
    suspend = iam_enforced() and bool(os.environ.get(MOTO_ENDPOINT))
    if suspend:
        _set_moto_enforcement(False)
    try:
        yield
    finally:
        if suspend:
            _set_moto_enforcement(True)


@pytest.fixture
def expected():
    return {
        "access_key_id": os.environ[EXPECTED_ACCESS_KEY_ID],
        "user_arn": os.environ[EXPECTED_USER_ARN],
        "bucket": os.environ[EXPECTED_BUCKET],
        "source": os.environ["TALENTBASE_CREDENTIALS_SOURCE"],
    }
