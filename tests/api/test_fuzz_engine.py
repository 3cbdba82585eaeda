"""Schemathesis for the operations that need the engine (they document a 503 without it): the
same checks as ``test_fuzz``, against the API wired to a real Temporal dev server and worker."""

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode

from tests.api import test_runs as engine_api
from tests.api.test_fuzz import CHECKS, FUZZ_SETTINGS, _httpx_arguments, case_id, cases

pytestmark = pytest.mark.integration

api_state = engine_api.api_state
api = engine_api.api


@pytest.mark.parametrize(("operation", "mode"), cases(engine=True), ids=case_id)
@FUZZ_SETTINGS
@given(data=st.data())
async def test_engine_operations_answer_as_documented(
    api: httpx.AsyncClient, operation: APIOperation, mode: GenerationMode, data: st.DataObject
) -> None:
    case = data.draw(operation.as_strategy(generation_mode=mode))
    arguments: dict[str, Any] = _httpx_arguments(case.as_transport_kwargs(base_url=str(api.base_url)))

    response = await api.request(**arguments)

    case.validate_response(response, checks=CHECKS)
