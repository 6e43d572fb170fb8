"""The pure checks behind TG505-TG508: SAS URIs and ticks, on values chosen to hit each branch.

Expected instants are computed here with `datetime` arithmetic, independently of the ticks code.
"""

from __future__ import annotations

import datetime

import pytest

from templategen.rules.extvalues import e_notation_message, object_str_problems, ticks_problem
from templategen.rules.sasuri import USE_DISK, USE_LOG, USE_STATUS, check_sas_uri, parse_sas_time

BLOB = "https://acct1.blob.core.windows.net"
BASE = f"{BLOB}/c/b.txt?sv=2022-11-02&sr=b&se=2030-01-01&sig=x"
OK = "sr=b&sp=w&se=2030-01-01"
UTC = datetime.timezone.utc


def ticks_instant(ticks: int) -> str:
    moment = datetime.datetime(1, 1, 1) + datetime.timedelta(microseconds=ticks // 10)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("permissions", "use", "fine"),
    [
        ("rw", USE_LOG, True),
        ("w", USE_STATUS, True),
        ("racwdxyltfmeopi", USE_LOG, True),
        ("rcw", USE_DISK, True),
        ("c", USE_DISK, True),
        ("wr", USE_LOG, False),  # order
        ("rww", USE_LOG, False),  # repeat
        ("rwz", USE_LOG, False),  # not a permission
        ("ltw", USE_LOG, False),  # t before l in the service's order
        ("r", USE_STATUS, False),  # cannot write the status
        ("rl", USE_DISK, False),  # cannot snapshot
    ],
)
def test_permissions(permissions: str, use: str, fine: bool) -> None:
    problems = [p for p in check_sas_uri(f"{BASE}&sp={permissions}", use) if p.param == "sp"]
    assert (not problems) is fine, problems


@pytest.mark.parametrize(
    "host",
    [
        "acct1.blob.core.windows.net",
        "acct1.blob.core.chinacloudapi.cn",
        "acct1.blob.core.usgovcloudapi.net",
        "acct1.z42.blob.storage.azure.net",
        "acct1.blob.local.azurestack.external",
    ],
)
def test_blob_endpoints_of_every_cloud(host: str) -> None:
    assert not check_sas_uri(f"https://{host}/c/b.txt?sv=2022-11-02&sr=b&sp=w&se=2030-01-01&sig=x", USE_LOG)


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("http://acct1.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=w&se=2030-01-01&sig=x", "HTTPS"),
        ("https://acct1.queue.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=w&se=2030-01-01&sig=x", "queue"),
        ("https://example.com/c/b?sv=2022-11-02&sr=b&sp=w&se=2030-01-01&sig=x", "not a storage account"),
        ("https://Bad_Name.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=w&se=2030-01-01&sig=x", "account"),
        (f"{BLOB}/c?sv=2022-11-02&{OK}&sig=x", "names no blob"),
        (f"{BLOB}/c/b?{OK}&sig=x", "`sv`"),
        (f"{BLOB}/c/b?sv=latest&{OK}&sig=x", "service version"),
        (f"{BLOB}/c/b?sv=2022-11-02&sp=w&se=2030-01-01&sig=x", "`sr`"),
        (f"{BLOB}/c/b?sv=2022-11-02&sr=b&sp=w&sig=x", "`se`"),
        (f"{BLOB}/c/b?sv=2022-11-02&sr=b&se=2030-01-01&sig=x", "`sp`"),
        ("https://acct1.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=w&se=2030-01-01", "signature"),
        (f"{BLOB}/c/b?sv=2022-11-02&sr=b&sp=w&se=tomorrow&sig=x", "ISO-8601"),
        (f"{BLOB}/c/b?sv=2022-11-02&{OK}&spr=http&sig=x", "HTTP alone"),
        (f"{BLOB}/c/b?sv=2022-11-02&sp=w&{OK}&sig=x", "2 times"),
        (f"http://127.0.0.1:10000/devstoreaccount1/c/b?sv=2022-11-02&{OK}&sig=x", "emulator"),
    ],
)
def test_each_uri_problem_is_named(uri: str, words: str) -> None:
    problems = check_sas_uri(uri, USE_LOG)
    assert len(problems) == 1, problems
    assert words in problems[0].message


def test_a_stored_access_policy_supplies_expiry_and_permissions() -> None:
    assert not check_sas_uri(f"{BLOB}/c/b?sv=2022-11-02&sr=b&si=policy1&sig=x", USE_LOG)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-11-09", datetime.datetime(2017, 11, 9, tzinfo=UTC)),
        ("2017-11-09T17:38Z", datetime.datetime(2017, 11, 9, 17, 38, tzinfo=UTC)),
        ("2017-11-09T17:38:29Z", datetime.datetime(2017, 11, 9, 17, 38, 29, tzinfo=UTC)),
        ("2017-11-09T17:38:29.5Z", datetime.datetime(2017, 11, 9, 17, 38, 29, 500000, tzinfo=UTC)),
        ("2017-11-09T17:38:29", None),
        ("2017-13-09", None),
        ("2017-11-09T17:38:29+01:00", None),
    ],
)
def test_sas_times(text: str, expected: datetime.datetime | None) -> None:
    assert parse_sas_time(text) == expected


def test_the_documents_ticks_window() -> None:
    message = e_notation_message("6.36458E+17")
    assert message is not None
    low, high = 636458000000000000 - 5 * 10**11, 636458000000000000 + 5 * 10**11
    assert f"from {ticks_instant(low)} to {ticks_instant(high)}" in message
    assert "±13.9 hours" in message and ticks_instant(636458000000000000) in message
    assert "6 significant digits" in message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("636458342080000000", None),
        ("0", None),
        ("3155378975999999999", None),
        ("3155378976000000000", "MaxValue"),
        ("-5", "negative"),
        ("0636458342080000000", "leading zeros"),
        ("636458342080000000.0", "decimal integer"),
        (" 636458342080000000", "spaces"),
        ("15e-1", "fraction"),
        ("1.5e3", "2 significant digits"),
        (636458342080000000, "a multiple of 128"),
        (636458342080000001, "off by 1 tick"),
        (636458342080000063, "off by 63 ticks"),
        (2**53, "quote it"),
        (True, "true/false"),
        (None, "null"),
        ([1], "an array"),
    ],
)
def test_ticks(value: object, words: str | None) -> None:
    problem = ticks_problem(value, None)
    if words is None:
        assert problem is None
    else:
        assert problem is not None and words in problem, problem


def test_json_number_ticks_show_the_instant() -> None:
    problem = ticks_problem(636458342080000000, None)
    assert problem is not None and ticks_instant(636458342080000000) in problem


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('{"blobSASUri": ["https://a.blob.core.windows.net/c/d.vhd"]}', None),
        ('"blobSASUri": []', "braces"),
        ("[]", "not an object"),
        ('{"blobsasuri": []}', "spells the member"),
        ('{"disks": []}', "no `blobSASUri`"),
        ('{"blobSASUri": "x"}', "not an array"),
        ('{"blobSASUri": []}', "empty"),
        ('{"blobSASUri": ["a", 2]}', "item 2"),
        ("", "empty"),
    ],
)
def test_object_str(value: str, words: str | None) -> None:
    problems = object_str_problems(value)
    if words is None:
        assert not problems
    else:
        assert len(problems) == 1 and words in problems[0], problems
