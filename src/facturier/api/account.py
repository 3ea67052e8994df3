"""Routes of the account: the seller profile, API keys, tax explain, OSS return, verify, jobs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from facturier.api import schemas
from facturier.api.deps import application, body_bytes, in_order_terms, lang, needs
from facturier.api.documents import ORDER_BODY
from facturier.bootstrap import App
from facturier.domain.canonical import to_plain
from facturier.domain.errors import NotFound
from facturier.domain.jobs import Job
from facturier.services.api_keys import Caller, create_key, revoke_key
from facturier.services.customers import read_order
from facturier.services.issuing import explain_order
from facturier.services.seller_profile import ProfileUpdate, profile_history, replace_logo, update_profile_remote
from facturier.services.tax_views import decision_json, oss_return, report_json
from facturier.services.verify import verify_all
from facturier.storage.api_keys import KeyRow

router = APIRouter(prefix="/v1")
Read = Annotated[Caller, Depends(needs("read"))]
Admin = Annotated[Caller, Depends(needs("admin"))]
AppDep = Annotated[App, Depends(application)]


@router.get("/account", tags=["account"], summary="The seller account the key belongs to, and its profile")
def account(who: Read, app: AppDep) -> dict[str, Any]:
    with app.db.reading(who.account_id) as tx:
        profile = tx.profile()
    return {"id": who.account_id, "key": {"id": who.key_id, "scope": who.scope}, "profile": to_plain(profile)}


@router.post("/tax/explain", tags=["tax"], openapi_extra=ORDER_BODY, summary="The VAT decision of an order, per line")
def tax_explain(request: Request, who: Read, app: AppDep) -> dict[str, Any]:
    raw = body_bytes(request)
    order = in_order_terms(lambda: read_order(app.db, who.account_id, raw))
    return decision_json(in_order_terms(lambda: explain_order(app.issuer, who.account_id, order)))


@router.get("/reports/oss", tags=["tax"], summary="The OSS Union-scheme return of a quarter (EUR)")
def oss(who: Read, app: AppDep, quarter: Annotated[str, Query(description="e.g. 2026Q3", max_length=8)]) -> Any:
    return report_json(oss_return(app.issuer, who.account_id, quarter))


@router.get("/verify", tags=["account"], summary="Check the account's ledger chain, records and files")
def verify(who: Admin, app: AppDep, files: bool = True) -> dict[str, Any]:
    report = verify_all(app.db, check_files=files, workers=1, account_ids=[who.account_id])
    head = report.heads.get(who.account_id)
    return {
        "ok": not report.problems,
        "problems": [{"seq": p.seq, "number": p.number, "what": p.what} for p in report.problems],
        "records": report.stats.records,
        "documents": report.stats.documents,
        "files": report.stats.files,
        "head": {"seq": head[0], "hash": head[1]} if head else None,
    }


# --- API keys --------------------------------------------------------------------------------


def _key_json(row: KeyRow) -> dict[str, Any]:
    fields = ("id", "name", "scope", "created_at", "last_used_at", "revoked_at")
    return {name: getattr(row, name) for name in fields}


@router.get("/api-keys", tags=["account"], response_model=list[schemas.ApiKeyOut], summary="The account's API keys")
def list_keys(who: Admin, app: AppDep) -> list[dict[str, Any]]:
    return [_key_json(k) for k in app.keys.of_account(who.account_id)]


@router.post(
    "/api-keys", tags=["account"], status_code=201, response_model=schemas.ApiKeyCreated, summary="Create a key"
)
def add_key(payload: schemas.ApiKeyIn, who: Admin, app: AppDep) -> dict[str, Any]:
    row, token = create_key(app.keys, who.account_id, payload.name, payload.scope, app.clock())
    return {**_key_json(row), "key": token}


@router.delete("/api-keys/{key_id}", tags=["account"], status_code=204, summary="Revoke a key")
def drop_key(key_id: str, who: Admin, app: AppDep) -> None:
    revoke_key(app.keys, who.account_id, key_id, app.clock())


# --- jobs ------------------------------------------------------------------------------------


def _job_json(job: Job) -> dict[str, Any]:
    fields = ("id", "kind", "status", "attempts", "max_attempts", "run_at", "last_error", "created_at")
    return {name: getattr(job, name) for name in fields}


@router.get("/jobs", tags=["jobs"], response_model=list[schemas.JobOut], summary="Background jobs of the account")
def list_jobs(
    who: Admin,
    app: AppDep,
    status: Annotated[str | None, Query(description="queued, running, done, parked")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return [_job_json(j) for j in app.db.jobs.list(account_id=who.account_id, status=status, limit=limit)]


@router.post("/jobs/{job_id}/retry", tags=["jobs"], response_model=schemas.JobOut, summary="Queue a parked job again")
def retry_job(job_id: str, who: Admin, app: AppDep) -> dict[str, Any]:
    if not app.db.jobs.retry([job_id], app.clock(), account_id=who.account_id):
        raise NotFound(f"no parked job {job_id!r} in this account")
    job = app.db.jobs.get(job_id, account_id=who.account_id)
    assert job is not None
    return _job_json(job)


# --- the seller profile ----------------------------------------------------------------------

SELLER_BODY = {
    "requestBody": {
        "required": True,
        "description": "the seller document, as `facturier seller update` takes it (examples/seller.json)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def _update_json(update: ProfileUpdate) -> dict[str, Any]:
    version = update.version
    return {
        "changed": update.changed,
        "version": version.version,
        "sha256": version.sha256,
        "profile": to_plain(update.profile),
    }


@router.put("/account/profile", tags=["account"], openapi_extra=SELLER_BODY, summary="A new version of the profile")
def put_profile(request: Request, who: Admin, app: AppDep) -> dict[str, Any]:
    raw = body_bytes(request)
    update = update_profile_remote(app.db, who.account_id, raw, app.clock, app.issuer.steps, lang(request))
    return _update_json(update)


@router.put(
    "/account/logo",
    tags=["account"],
    summary="Replace the logo (PNG, JPEG or SVG, at most 2 MB): a new version of the profile",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string"}},
            },
        }
    },
)
def put_logo(request: Request, who: Admin, app: AppDep) -> dict[str, Any]:
    return _update_json(replace_logo(app.db, who.account_id, body_bytes(request), app.clock, app.issuer.steps))


@router.get("/account/profile/versions", tags=["account"], summary="Every version of the profile, oldest first")
def versions(who: Read, app: AppDep) -> list[dict[str, Any]]:
    return [to_plain(v) for v in profile_history(app.db, who.account_id)]
