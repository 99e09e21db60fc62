"""Create the media bucket when it is missing (compose.yaml's one-shot ``s3-bucket``).

Reads the same variables as the site (``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``,
``AWS_S3_REGION_NAME``; the keys are read by boto3). Exits 0 when the bucket exists
afterwards, 1 with a sentence otherwise.
"""

import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME")
if not bucket:
    sys.exit("AWS_STORAGE_BUCKET_NAME is not set: there is no media bucket to create.")
client = boto3.client(
    "s3",
    endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
    region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
    config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3}),
)
try:
    client.head_bucket(Bucket=bucket)
    print(f"The media bucket {bucket} exists.")
except ClientError:
    try:
        client.create_bucket(Bucket=bucket)
    except (BotoCoreError, ClientError) as error:
        sys.exit(f"Could not create the media bucket {bucket}: {error}")
    print(f"Created the media bucket {bucket}.")
except BotoCoreError as error:
    sys.exit(f"The object store at {os.environ.get('AWS_S3_ENDPOINT_URL')} did not answer: {error}")
