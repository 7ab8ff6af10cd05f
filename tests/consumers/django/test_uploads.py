"""The Django backend's uploads through django-storages, configured only from the hand-off, signed with
the stack user's own key. Against moto the runner turns IAM enforcement on, so allowed and refused
calls are decided by the stack's policy. No assertion ever compares the secret itself: pytest would
print both sides."""

import json
import uuid

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from conftest import enforcement_suspended, iam_enforced

PHOTO = b"\x89PNG\r\n\x1a\n" + b"talentbase consumer suite photo"
MAX_PHOTO_BYTES = 5 * 1024 * 1024


@pytest.fixture
def photo_name():
    name = f"candidate-photos/consumer-suite/{uuid.uuid4()}.png"
    yield name
    try:
        default_storage.delete(name)
    except ClientError:
        pass  # already gone, or refused: the test itself says which


def s3_client():
    """The boto3 client django-storages built from the settings: what the backend presigns with."""
    return default_storage.connection.meta.client


def test_settings_come_from_the_hand_off_and_name_the_stacks_current_key(expected):
    assert settings.CREDENTIALS_SOURCE == expected["source"]
    assert settings.AWS_ACCESS_KEY_ID == expected["access_key_id"]
    assert settings.AWS_STORAGE_BUCKET_NAME == expected["bucket"]
    if expected["source"] == "secretsmanager":
        assert settings.CREDENTIALS_SECRET_VERSION_ID, "read from the secret's AWSCURRENT version"


def test_the_key_django_storages_signs_with_is_the_stacks_user(expected):
    session = boto3.session.Session(
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
        region_name=settings.AWS_S3_REGION_NAME,
    )
    sts = session.client("sts", endpoint_url=settings.AWS_S3_ENDPOINT_URL)
    assert sts.get_caller_identity()["Arn"] == expected["user_arn"]


def test_default_storage_saves_reads_back_and_deletes_a_file(photo_name):
    saved = default_storage.save(photo_name, ContentFile(PHOTO))
    assert saved == photo_name
    with default_storage.open(saved, "rb") as stored:
        assert stored.read() == PHOTO
    assert default_storage.size(saved) == len(PHOTO)
    default_storage.delete(saved)
    assert not default_storage.exists(saved)


def test_presigned_post_uploads_a_candidate_photo__posted_with_iam_enforcement_off_as_moto_answers_500_under_it(photo_name):
    # Signed locally with the stack's key, as the backend's generate_presigned_url does for candidate photos.
    post = s3_client().generate_presigned_post(
        Bucket=settings.AWS_STORAGE_BUCKET_NAME,
        Key=photo_name,
        Fields={"Content-Type": "image/png"},
        Conditions=[{"Content-Type": "image/png"}, ["content-length-range", 1, MAX_PHOTO_BYTES]],
        ExpiresIn=300,
    )
    assert post["fields"]["key"] == photo_name
    with enforcement_suspended():
        # What the candidate's browser does with the form: a plain HTTP POST, no AWS credentials.
        response = requests.post(post["url"], data=post["fields"], files={"file": ("photo.png", PHOTO, "image/png")}, timeout=30)
    assert response.status_code in (200, 201, 204), response.status_code
    with default_storage.open(photo_name, "rb") as stored:
        assert stored.read() == PHOTO


def test_bucket_administration_is_refused_to_the_stacks_key():
    if not iam_enforced():
        pytest.skip("IAM enforcement is off: moto would allow any call")
    harmless = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": f"arn:aws:s3:::{settings.AWS_STORAGE_BUCKET_NAME}"}],
    }
    with pytest.raises(ClientError) as refused:
        s3_client().put_bucket_policy(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Policy=json.dumps(harmless))
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
