"""In-process moto server for the test harness.

Runs moto's ThreadedMotoServer on a free loopback port and answers a JSON-lines
control channel on stdin/stdout, because some test states (an old access key)
have no AWS API and can only be made by editing moto's backend in this process.

Protocol: first stdout line is {"event": "ready", "host": ..., "port": ...};
each stdin line {"id": n, "op": ..., ...} gets one stdout line {"id": n, "ok": bool, ...}.
The server exits when stdin closes, so a dead parent never leaves it behind.

With --state-file, the state of the services the stacks use (IAM, S3, Secrets Manager, and the access
monitoring's SNS, EventBridge, CloudWatch, KMS and CloudTrail) is loaded from that file at start and
saved to it at exit (and on the "save" operation), so the sandbox keeps its objects between runs.

EventBridge rules deliver to SNS topics here, which moto alone does not (eventbridge_to_sns.py).
"""

import argparse
import copyreg
import ipaddress
import json
import logging
import os
import pickle
import sys
import tempfile
from datetime import timedelta

from cryptography.hazmat.bindings._rust import openssl as rust_openssl
from cryptography.hazmat.primitives import serialization
from moto.cloudtrail.models import cloudtrail_backends
from moto.cloudwatch.models import cloudwatch_backends
from moto.core.utils import utcnow
from moto.events.models import events_backends
from moto.iam.models import AccessKeyLastUsed, iam_backends
from moto.kms.models import kms_backends
from moto.s3.models import s3_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.server import ThreadedMotoServer
from moto.sns.models import sns_backends

import eventbridge_to_sns

# The services whose objects the sandbox creates; STS derives identities from IAM. SQS is left out: its
# queues hold locks, which do not pickle, and the sandbox makes none a stack depends on.
PERSISTED_BACKENDS = {
    "iam": iam_backends,
    "s3": s3_backends,
    "secretsmanager": secretsmanager_backends,
    "sns": sns_backends,
    "events": events_backends,
    "cloudwatch": cloudwatch_backends,
    "kms": kms_backends,
    "cloudtrail": cloudtrail_backends,
}


def private_key_from_der(der: bytes):
    return serialization.load_der_private_key(der, None)


def reduce_private_key(key):
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return (private_key_from_der, (der,))


# Every moto KMS key holds a private key (for Sign), which pickles only through its DER form.
copyreg.pickle(rust_openssl.rsa.RSAPrivateKey, reduce_private_key)
copyreg.pickle(rust_openssl.ec.ECPrivateKey, reduce_private_key)


def ensure_loopback(host: str) -> None:
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing to bind moto to non-loopback address {host!r}")


def find_access_key(user_name: str, access_key_id: str):
    for account_backends in iam_backends.values():
        for backend in account_backends.values():
            user = backend.users.get(user_name)
            if user is None:
                continue
            for key in user.access_keys:
                if key.access_key_id == access_key_id:
                    return key
    raise LookupError(f"no access key {access_key_id} for user {user_name}")


def age_key(request: dict) -> dict:
    key = find_access_key(request["userName"], request["accessKeyId"])
    key.create_date = utcnow() - timedelta(days=float(request["days"]))
    return {"createDate": key.create_date.isoformat()}


def load_state(path: str) -> None:
    if not os.path.exists(path):
        return
    with open(path, "rb") as state_file:
        saved = pickle.load(state_file)
    for service, backends in PERSISTED_BACKENDS.items():
        for account_id, regions in saved.get(service, {}).items():
            backends[account_id] = regions


def save_state(path: str) -> None:
    """Writes atomically and owner-only: the state holds the secrets of moto-made keys."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".moto-state-")
    try:
        with os.fdopen(descriptor, "wb") as state_file:
            pickle.dump({service: dict(backends) for service, backends in PERSISTED_BACKENDS.items()}, state_file)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


state_path = None


def save_requested(_request: dict) -> dict:
    if state_path is None:
        raise ValueError("moto was started without --state-file")
    save_state(state_path)
    return {}


def age_last_use(request: dict) -> dict:
    """Moves a key's last use into the past: IAM records it at call time, and no API sets it."""
    key = find_access_key(request["userName"], request["accessKeyId"])
    if key.last_used is None:
        raise ValueError(f"access key {request['accessKeyId']} was never used")
    when = utcnow() - timedelta(days=float(request["days"]))
    key.last_used = AccessKeyLastUsed(when, key.last_used.service, key.last_used.region)
    return {"lastUsed": when.isoformat()}


OPERATIONS = {
    "ping": lambda _request: {},
    "ageAccessKey": age_key,
    "ageAccessKeyLastUse": age_last_use,
    "save": save_requested,
}


def reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve_control_channel() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            operation = OPERATIONS[request["op"]]
            reply({"id": request_id, "ok": True, **operation(request)})
        except Exception as error:  # every failure goes back to the caller, the server keeps running
            reply({"id": request_id, "ok": False, "error": f"{type(error).__name__}: {error}"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state-file", help="load IAM, S3 and Secrets Manager state from here, save it back at exit")
    args = parser.parse_args()
    ensure_loopback(args.host)
    eventbridge_to_sns.install()
    global state_path
    state_path = args.state_file
    if state_path:
        load_state(state_path)

    # Request logs would interleave with the control channel's diagnostics.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    reply({"event": "ready", "host": host, "port": port})
    try:
        serve_control_channel()
    except KeyboardInterrupt:
        pass  # Ctrl-C reaches the whole process group; the parent stops us too
    finally:
        if state_path:
            save_state(state_path)
        server.stop()


if __name__ == "__main__":
    main()
