"""Checks that the lint path makes with string methods instead of regular expressions, held to the
regular expressions they replace (the oracles below), on hand-picked and generated texts.

`re` costs more to import than a one-file lint spends on everything else, so the checks every
template meets are written with string methods; these tests show they answer exactly as the
patterns did, Unicode digits and case folding included.
"""

from __future__ import annotations

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from templategen.rules.structure import _schema_path, api_version_problem, day_number

API_VERSION = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:-(preview|beta|alpha|privatepreview))?")
SCHEMA_URL = re.compile(r"https?://schema\.management\.azure\.com/schemas/([^#?]+?)(?:#.*)?", re.IGNORECASE)


def api_version_oracle(text: str) -> str | None:
    match = API_VERSION.fullmatch(text)
    if match is None:
        return "malformed"
    try:
        datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return "not a date"
    return None


def api_version_verdict(text: str) -> str | None:
    problem = api_version_problem(text)
    if problem is None:
        return None
    return "not a date" if problem.endswith("is not a real date") else "malformed"


API_VERSIONS = [
    "2024-04-01",
    "2024-04-01-preview",
    "2024-04-01-privatepreview",
    "2024-04-01-Preview",
    "2024-04-01-",
    "2024-04-01-rc",
    "2024-4-01",
    "2024-04-01 ",
    " 2024-04-01",
    "v2024-04-01",
    "2024-13-01",
    "2024-02-29",
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "0000-01-01",
    "9999-12-31",
    "2024-04-00",
    "2024-04-31",
    "٢٠٢٤-٠٤-٠١",  # Arabic-Indic digits: `\d` and int() both take them
    "2024-04-01\n",
    "2024/04/01",
    "",
    "2024",
]


def test_api_versions_as_the_pattern_read_them() -> None:
    for text in API_VERSIONS:
        assert api_version_verdict(text) == api_version_oracle(text), text


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789-previwbtalh٣ \n", max_size=24),
        st.builds(
            lambda y, m, d, s: f"{y:04d}-{m:02d}-{d:02d}{s}",
            st.integers(0, 9999),
            st.integers(0, 19),
            st.integers(0, 39),
            st.sampled_from(["", "-preview", "-beta", "-alpha", "-privatepreview", "-gamma", "-"]),
        ),
    )
)
def test_generated_api_versions(text: str) -> None:
    assert api_version_verdict(text) == api_version_oracle(text)


def schema_oracle(url: str) -> str | None:
    match = SCHEMA_URL.fullmatch(url)
    return match.group(1) if match else None


SCHEMA_URLS = [
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "http://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json",
    "HTTPS://SCHEMA.MANAGEMENT.AZURE.COM/SCHEMAS/2019-04-01/deploymentTemplate.json#",
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json?x=1",
    "https://schema.management.azure.com/schemas/#",
    "https://schema.management.azure.com/schemas/",
    "https://schema.management.azure.com/schemas/a#b#c",
    "https://schema.management.azure.com/schemas/a#b\nc",
    "https://schema.management.azure.com/schemas/a\nb#c",
    "https://schema.management.azure.com/schemas/a#b\rc",
    "ftp://schema.management.azure.com/schemas/a",
    "https://schema.management.azure.com/schemasx/a",
    "https://ſchema.management.azure.com/schemas/a",  # long s: case-folds to s
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.jſon",
    "",
]


def test_schema_urls_as_the_pattern_read_them() -> None:
    for url in SCHEMA_URLS:
        assert _schema_path(url) == schema_oracle(url), url


@settings(max_examples=2000, deadline=None)
@given(
    st.builds(
        lambda scheme, host, path: scheme + host + path,
        st.sampled_from(["https://", "http://", "HTTP://", "httpS://", "htp://", "https:/"]),
        st.sampled_from(
            [
                "schema.management.azure.com/schemas/",
                "Schema.Management.Azure.com/SCHEMAS/",
                "schema.x/schemas/",
            ]
        ),
        st.text(alphabet="ab#?/\n\r.ſK", max_size=12),
    )
)
def test_generated_schema_urls(url: str) -> None:
    assert _schema_path(url) == schema_oracle(url)


@settings(max_examples=3000, deadline=None)
@given(st.integers(-1, 10000), st.integers(-1, 13), st.integers(-1, 32))
def test_day_numbers_are_datetime_ordinals(year: int, month: int, day: int) -> None:
    try:
        expected: int | None = datetime.date(year, month, day).toordinal()
    except ValueError:
        expected = None
    assert day_number(year, month, day) == expected


def test_day_numbers_at_the_calendar_edges() -> None:
    for year, month, day in [(1, 1, 1), (9999, 12, 31), (2000, 2, 29), (1900, 3, 1), (2024, 12, 31)]:
        assert day_number(year, month, day) == datetime.date(year, month, day).toordinal()
    assert day_number(1900, 2, 29) is None
    assert day_number(0, 1, 1) is None
