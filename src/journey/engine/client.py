"""Connecting to Temporal with the data converter every part of Journey uses."""

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from journey.settings import Settings


async def connect(settings: Settings, address: str) -> Client:
    """A client for ``address`` (the dev server's, or ``JOURNEY_TEMPORAL_ADDRESS``)."""
    api_key = settings.temporal_api_key.get_secret_value() if settings.temporal_api_key else None
    return await Client.connect(
        address,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
        api_key=api_key,
        tls=settings.temporal_tls or api_key is not None,
    )
