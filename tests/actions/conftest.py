"""One real SMTP server and one real HTTP receiver per test session, on loopback ephemeral ports.

Tests share them, so each test uses addresses and paths of its own (``unique``).
"""

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from tests.support.http_receiver import HttpReceiver
from tests.support.smtp_server import SmtpServer

SMTP_USER = "journey"
SMTP_PASSWORD = "s3cr3t-smtp-pa55"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer(user=SMTP_USER, password=SMTP_PASSWORD) as server:
        yield server


@pytest.fixture(scope="session")
def http_receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def unique() -> str:
    """A token no other test uses, for recipient addresses and receiver paths."""
    return uuid.uuid4().hex[:12]
