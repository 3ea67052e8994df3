"""The inbox over a real socket, on SQLite and PostgreSQL: supplier e-invoices received,
validated, kept once, listed and given back byte for byte; hostile files refused with nothing kept."""

from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import unquote

import httpx
from tests.api.conftest import Api
from tests.api.test_api_documents import order
from tests.einvoice.hostile.generate import CASES

XML = {"content-type": "application/xml"}
PDF = {"content-type": "application/pdf"}


def _issued_files(api: Api, order_id: str = "IN-1") -> dict[str, bytes]:
    """A CII, a UBL and a Factur-X PDF of an invoice we issued: what a customer of ours receives."""
    write = api.client("write")
    number = write.post("/v1/orders", json=order(id=order_id)).json()["document"]["number"]
    files = {name: write.get(f"/v1/documents/{number}/files/{name}") for name in ("cii", "ubl", "pdf")}
    assert all(f.status_code == 200 for f in files.values())
    return {name: f.content for name, f in files.items()}


def _listed(client: httpx.Client, **params: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/v1/inbound", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


def test_receive_cii_ubl_and_pdf_then_list_show_and_download(api: Api) -> None:
    files = _issued_files(api)
    write, read = api.client("write"), api.client("read")
    entries = {}
    for name, data in files.items():
        api.clock.now += timedelta(seconds=1)  # received one after the other
        headers = PDF if name == "pdf" else XML
        response = write.post("/v1/inbound", content=data, headers=headers, params={"filename": f"supplier.{name}"})
        assert response.status_code == 201, response.text
        entries[name] = response.json()
        assert response.headers["location"] == entries[name]["url"]
    assert {n: e["syntax"] for n, e in entries.items()} == {"cii": "cii", "ubl": "ubl", "pdf": "facturx-pdf"}
    for entry in entries.values():
        assert entry["ok"] is True and entry["number"] == "F2026-000001"
        assert entry["seller_name"] and entry["currency"] == "EUR" and entry["issue_date"] == "2026-12-04"
    cii = entries["cii"]
    assert cii["total"] == entries["ubl"]["total"] and "." in cii["total"]
    assert cii["filename"] == "supplier.cii" and cii["media_type"] == "application/xml"

    shown = read.get(cii["url"]).json()
    assert shown["document"]["number"] == "F2026-000001" and shown["report"]["ok"] is True
    assert shown["document"]["totals"]["tax_inclusive"] == cii["total"]
    for name, entry in entries.items():
        got = read.get(entry["file_url"])
        assert got.status_code == 200 and got.content == files[name]  # byte for byte
        assert got.headers["content-type"].startswith(entry["media_type"])
        assert f'filename="supplier.{name}"' in got.headers["content-disposition"]
    assert [e["id"] for e in _listed(read)] == [e["id"] for e in reversed(entries.values())]  # newest first
    assert len(_listed(read, limit="1", offset="1")) == 1


def test_the_same_file_twice_is_one_entry(api: Api) -> None:
    cii = _issued_files(api)["cii"]
    write = api.client("write")
    first = write.post("/v1/inbound", content=cii, headers=XML, params={"filename": "a.xml"})
    again = write.post("/v1/inbound", content=cii, headers=XML, params={"filename": "b.xml"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()  # the first reception, its name included
    assert len(_listed(api.client("read"))) == 1


def test_the_same_file_at_once_from_four_clients_is_one_entry(api: Api) -> None:
    """They all pass the "already there?" look-up, validate, then race on the insert: one wins."""
    ubl = _issued_files(api)["ubl"]
    barrier, statuses, ids = threading.Barrier(4), [], set()

    def post() -> None:
        with httpx.Client(base_url=api.url, headers={"authorization": f"Bearer {api.keys['write']}"}) as c:
            barrier.wait()
            response = c.post("/v1/inbound", content=ubl, headers=XML, timeout=60)
            statuses.append(response.status_code)
            ids.add(response.json()["id"])

    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 200, 201] and len(ids) == 1
    assert [e["id"] for e in _listed(api.client("read"))] == list(ids)


def test_hostile_and_unreadable_bodies_are_422_and_nothing_is_kept(api: Api) -> None:
    write = api.client("write")
    for name in ("billion_laughs", "xxe_file", "xxe_network", "external_dtd", "not_xml", "wrong_root", "pdf_garbage"):
        build, _ = CASES[name]
        for url in ("/v1/inbound", "/v1/inbound/validate"):
            response = write.post(url, content=build(), headers=XML)
            assert response.status_code == 422, (name, url, response.text)
            problem = response.json()
            assert problem["errors"][0]["rule_id"].startswith("EINVOICE-"), problem
            assert "root:" not in response.text  # no /etc/passwd content echoed back
    assert write.post("/v1/inbound", content=b"", headers=XML).status_code == 422
    assert _listed(api.client("read")) == []


def test_a_file_failing_validation_is_kept_with_its_report(api: Api) -> None:
    cii = _issued_files(api)["cii"]
    broken = cii.replace(b"<ram:DuePayableAmount>", b"<ram:DuePayableAmount>1", 1)  # BR-CO-16
    write, read = api.client("write"), api.client("read")
    checked = write.post("/v1/inbound/validate", content=broken, headers=XML)
    assert checked.status_code == 200 and checked.json()["ok"] is False
    assert any(v["rule_id"] == "BR-CO-16" for v in checked.json()["report"]["violations"])
    assert _listed(read) == []  # validate stores nothing

    kept = write.post("/v1/inbound", content=broken, headers=XML)
    assert kept.status_code == 201 and kept.json()["ok"] is False
    shown = read.get(kept.json()["url"]).json()
    assert any(v["rule_id"] == "BR-CO-16" for v in shown["report"]["violations"])
    assert read.get(kept.json()["file_url"]).content == broken
    # a file the model cannot represent (an impossible date) is an invoice received all the same
    build, _ = CASES["impossible_date"]
    api.clock.now += timedelta(seconds=1)
    odd = write.post("/v1/inbound", content=build(), headers=XML)
    assert odd.status_code == 201, odd.text
    assert odd.json()["ok"] is False and odd.json()["number"] is None
    assert read.get(odd.json()["url"]).json()["document"] is None
    assert [e["id"] for e in _listed(read, ok="false")] == [odd.json()["id"], kept.json()["id"]]
    assert _listed(read, ok="true") == []


def test_scopes_and_names(api: Api) -> None:
    cii = _issued_files(api)["cii"]
    read = api.client("read")
    assert read.post("/v1/inbound", content=cii, headers=XML).status_code == 403
    assert read.post("/v1/inbound/validate", content=cii, headers=XML).json()["ok"] is True
    write = api.client("write")
    hidden = write.post("/v1/inbound", content=cii, headers=XML, params={"filename": "inv\u202egpj.xml"})
    assert hidden.status_code == 422 and hidden.json()["errors"][0]["rule_id"] == "INBOX-FILENAME"
    named = write.post("/v1/inbound", content=cii, headers=XML, params={"filename": "C:\\tmp\\../Facture «été».xml"})
    assert named.status_code == 201 and named.json()["filename"] == "Facture «été».xml"
    got = read.get(named.json()["file_url"])
    assert 'filename="Facture _été_.xml"'.replace("é", "_") in got.headers["content-disposition"]
    assert unquote(got.headers["content-disposition"].split("UTF-8''")[1]) == "Facture «été».xml"
    unnamed = _issued_files(api, "IN-2")["ubl"]
    default = write.post("/v1/inbound", content=unnamed, headers=XML).json()
    assert default["filename"] == f"{default['sha256'][:16]}.xml"


def test_another_tenant_sees_nothing(api: Api) -> None:
    cii = _issued_files(api)["cii"]
    entry = api.client("write").post("/v1/inbound", content=cii, headers=XML).json()
    stranger = api.client(token=api.other)
    assert stranger.get(entry["url"]).status_code == 404
    assert stranger.get(entry["file_url"]).status_code == 404
    assert _listed(stranger) == []
    # the same bytes received by the other tenant are its own entry, not the demo's
    own = stranger.post("/v1/inbound", content=cii, headers=XML)
    assert own.status_code == 201 and own.json()["id"] != entry["id"]
    assert api.client("read").get(entry["url"]).status_code == 200
