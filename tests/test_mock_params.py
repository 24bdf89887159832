"""The generated mock validates query parameters as the spec says (tests/fixtures/mock_params_30.yaml),
against its own uvicorn process: an enum wrapped in `allOf [$ref]` and a date-time without an offset are
422s, what the spec allows is a 200."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from conftest import FIXTURES, generate_fixture
from mock_process import RunningMock, running_mock


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMock]:
    out = generate_fixture(FIXTURES / "mock_params_30.yaml", tmp_path_factory.mktemp("mp") / "out", "mparams")
    with running_mock(out / "mparams-mock", "mparams_mock", log_dir=tmp_path_factory.mktemp("logs")) as running:
        yield running


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"order": "ascending"}, 200),
        ({"order": "bogus"}, 422),
        ({"before": "2024-01-01T00:00:00+05:30"}, 200),
        ({"before": "2024-01-01T00:00:00Z"}, 200),
        ({"before": "2024-01-01T00:00:00"}, 422),  # RFC 3339 date-time needs an offset
        ({"before": "2024-01-01"}, 422),
    ],
)
def test_the_mock_validates_query_parameters_as_the_spec_says(
    mock: RunningMock, query: dict[str, str], status: int
) -> None:
    response = httpx.get(f"{mock.url}/things", params=query, timeout=10)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["detail"][0]["loc"] == ["query", next(iter(query))]
