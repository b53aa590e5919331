"""Fixtures for the tests that need real servers: an S3-compatible storage server (moto's
standalone server, a separate process) and the settings that point the storage at it."""

import sys
import uuid
from dataclasses import dataclass

import boto3
import pytest

from config.settings.base import bucket_storage

from .servers import Process, free_port, port_open, wait_until

S3_KEY, S3_SECRET, S3_REGION = "test-key", "test-secret", "eu-west-1"


@dataclass
class S3Server:
    endpoint_url: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
            region_name=S3_REGION,
        )

    def new_bucket(self) -> str:
        name = f"kip-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        return name

    def environment(self, bucket: str) -> dict[str, str]:
        """The variables an operator sets to use this bucket (see .env.example)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": S3_REGION,
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET,
            "AWS_S3_ADDRESSING_STYLE": "path",
        }


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in its own process on a free port, for the whole session."""
    port = free_port()
    process = Process([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
    try:
        wait_until(lambda: port_open(port), timeout=30, what="the S3 server", process=process)
        yield S3Server(endpoint_url=f"http://127.0.0.1:{port}")
    finally:
        process.stop()


@dataclass
class Bucket:
    name: str
    server: S3Server

    def keys(self) -> list[str]:
        listing = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def s3_bucket(s3_server, settings):
    """A fresh private bucket, and the default storage pointed at it as the settings would."""
    bucket = Bucket(name=s3_server.new_bucket(), server=s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_server.environment(bucket.name))}
    return bucket
