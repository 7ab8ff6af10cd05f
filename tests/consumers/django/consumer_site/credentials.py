"""Where the consumer's S3 settings come from: exactly what talentbase-iam hands over.

- env: the file `npm run outputs -- <stack> --format env --show-secrets --out FILE` writes (the dev way).
- secretsmanager: the secret the stack keeps, read once at settings load with boto3, AWSCURRENT
  (the prod way). The process's own AWS identity (an ECS task role in prod) reads it; the pair it
  holds is what django-storages then signs with.
"""

import json
import os
from dataclasses import dataclass

import boto3
from dotenv import dotenv_values

SOURCE_VARIABLE = "TALENTBASE_CREDENTIALS_SOURCE"
ENV_FILE_VARIABLE = "TALENTBASE_ENV_FILE"
SECRET_ID_VARIABLE = "TALENTBASE_AWS_CREDENTIALS_SECRET"

# The django-storages settings the hand-off carries, in both ways.
HANDED_OVER = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_REGION_NAME")


@dataclass(frozen=True)
class Credentials:
    source: str
    settings: dict
    # The secret version the settings came from (secretsmanager only).
    version_id: str | None = None


class HandOverError(Exception):
    """What was handed over cannot configure django-storages; the message never quotes a value."""


def _complete(settings: dict, origin: str) -> dict:
    missing = [name for name in HANDED_OVER if not settings.get(name)]
    if missing:
        raise HandOverError(f"{origin} lacks {', '.join(missing)}")
    return settings


def from_env_file(path: str) -> Credentials:
    values = dotenv_values(path)
    settings = _complete({name: values.get(name) for name in HANDED_OVER}, path)
    # The sandbox's file also names moto's endpoint; a real stack's does not.
    if values.get("AWS_S3_ENDPOINT_URL"):
        settings["AWS_S3_ENDPOINT_URL"] = values["AWS_S3_ENDPOINT_URL"]
    return Credentials("env", settings)


def _region_of(secret_id: str) -> str | None:
    parts = secret_id.split(":")
    if secret_id.startswith("arn:") and len(parts) > 3:
        return parts[3]
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def from_secret(secret_id: str) -> Credentials:
    client = boto3.client("secretsmanager", region_name=_region_of(secret_id))
    # AWSCURRENT by name: a client that leaves the stage out can be served a stale default (moto).
    value = client.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
    try:
        document = json.loads(value["SecretString"])
    except (KeyError, ValueError):
        raise HandOverError(f"secret {secret_id} does not hold a JSON object") from None
    settings = _complete({name: document.get(name) for name in HANDED_OVER}, f"secret {secret_id}")
    # moto's port changes with every start, so the sandbox passes its endpoint beside the secret.
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        settings["AWS_S3_ENDPOINT_URL"] = os.environ["AWS_S3_ENDPOINT_URL"]
    return Credentials("secretsmanager", settings, value["VersionId"])


def load_credentials() -> Credentials:
    source = os.environ.get(SOURCE_VARIABLE, "")
    if source == "env":
        return from_env_file(os.environ[ENV_FILE_VARIABLE])
    if source == "secretsmanager":
        return from_secret(os.environ[SECRET_ID_VARIABLE])
    raise HandOverError(f"{SOURCE_VARIABLE} must be env or secretsmanager, got {source!r}")
