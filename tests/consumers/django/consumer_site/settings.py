"""A minimal Django project whose one job is django-storages' S3 backend, configured only from what
talentbase-iam hands over (consumer_site/credentials.py): no database, no views, no other AWS settings.
"""

from .credentials import load_credentials

# Django insists on a key; nothing in this project signs anything with it.
SECRET_KEY = "talentbase-consumer-suite"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["storages"]
DATABASES = {}

_credentials = load_credentials()
CREDENTIALS_SOURCE = _credentials.source
CREDENTIALS_SECRET_VERSION_ID = _credentials.version_id

AWS_ACCESS_KEY_ID = _credentials.settings["AWS_ACCESS_KEY_ID"]
AWS_SECRET_ACCESS_KEY = _credentials.settings["AWS_SECRET_ACCESS_KEY"]
AWS_STORAGE_BUCKET_NAME = _credentials.settings["AWS_STORAGE_BUCKET_NAME"]
AWS_S3_REGION_NAME = _credentials.settings["AWS_S3_REGION_NAME"]
AWS_S3_ENDPOINT_URL = _credentials.settings.get("AWS_S3_ENDPOINT_URL")
if AWS_S3_ENDPOINT_URL:
    # A local S3 (moto) has no per-bucket host names.
    AWS_S3_ADDRESSING_STYLE = "path"
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_DEFAULT_ACL = None

STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
