"""The seller account over the API: profile versions, the logo, and no file path read on the server."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.conftest import Api

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _seller(**changes: object) -> dict[str, object]:
    data = json.loads((EXAMPLES / "seller.json").read_text(encoding="utf-8"))
    data["branding"] = {k: v for k, v in data.get("branding", {}).items() if k != "logo"}
    return {**data, **changes}


def test_profile_update_makes_a_version_and_keeps_the_logo(api: Api) -> None:
    admin = api.client()
    before = admin.get("/v1/account").json()["profile"]
    seller = _seller()
    seller["branding"] = {**seller["branding"], "accent": "#AA3300"}
    updated = admin.put("/v1/account/profile", json=seller)
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["changed"] is True and body["version"] == 2
    assert body["profile"]["branding"]["accent"] == "#AA3300"
    assert body["profile"]["branding"]["logo_sha256"] == before["branding"]["logo_sha256"] != ""
    again = admin.put("/v1/account/profile", json=seller).json()
    assert again["changed"] is False and again["version"] == 2
    versions = admin.get("/v1/account/profile/versions").json()
    assert [v["version"] for v in versions] == [1, 2]


def test_a_logo_path_is_never_read_on_the_server(api: Api) -> None:
    refused = api.client().put("/v1/account/profile", json=_seller(branding={"logo": "/etc/passwd"}))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "/branding/logo"


def test_logo_upload_and_identity_changes_refused(api: Api) -> None:
    admin = api.client()
    svg = (EXAMPLES / "logo.svg").read_bytes().replace(b"</svg>", b"<!-- v2 --></svg>")
    done = admin.put("/v1/account/logo", content=svg, headers={"content-type": "image/svg+xml"})
    assert done.status_code == 200, done.text
    assert done.json()["changed"] is True
    not_an_image = admin.put("/v1/account/logo", content=b"hello", headers={"content-type": "image/png"})
    assert not_an_image.status_code == 422 and not_an_image.json()["errors"][0]["rule_id"] == "SELLER-LOGO"
    other_company = admin.put("/v1/account/profile", json=_seller(siren="552100554", vat_id="FR31552100554"))
    assert other_company.status_code == 422
    assert api.client("write").put("/v1/account/profile", json=_seller()).status_code == 403
