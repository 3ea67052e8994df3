"""The one place that builds concrete adapters from settings and hands them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from facturier.archive.store import FileBlobStore
from facturier.config import Settings
from facturier.domain.errors import invalid
from facturier.einvoice.profiles import WRITTEN_PROFILES, Profile
from facturier.integrations.vies import DEFAULT_URL, ViesChecker
from facturier.services.artefacts import DocumentFiles, EInvoiceCheck
from facturier.services.issue import IssueSteps
from facturier.services.issuing import Issuer
from facturier.storage.api_keys import ApiKeyRepository
from facturier.storage.database import Database
from facturier.storage.engine import make_engine


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    issuer: Issuer  # the one issuing path's ports: database, clock, check/render steps, VIES client

    @property
    def keys(self) -> ApiKeyRepository:
        return ApiKeyRepository(self.db.engine)

    def account_id(self) -> str:
        return self.db.account_id(self.settings.account)

    def without_files(self) -> None:
        """Issue without writing the PDF and XML files (`issue --no-render`); still validated."""
        self.issuer = replace(self.issuer, steps=issue_steps(self.settings, render=False))


def build(settings: Settings | None = None, clock: Callable[[], datetime] | None = None) -> App:
    settings = settings or Settings()
    clock = clock or system_clock
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(make_engine(settings.effective_database_url), FileBlobStore(settings.archive_dir))
    db.upgrade()
    vies = ViesChecker(settings.vies_url or DEFAULT_URL)
    return App(settings, db, clock, Issuer(db, clock, issue_steps(settings), vies))


def issue_steps(settings: Settings, render: bool | None = None) -> IssueSteps:
    """The issuing steps the settings ask for; `render=False` skips the files (e.g. `issue --no-render`)."""
    try:
        profile = Profile(settings.facturx_profile.strip().lower().replace(" ", "").replace("_", ""))
    except ValueError:
        profile = None
    if profile not in WRITTEN_PROFILES:
        names = ", ".join(p.value for p in WRITTEN_PROFILES)
        raise invalid("SETTINGS", "FACTURIER_FACTURX_PROFILE", f"{settings.facturx_profile!r} is not one of {names}")
    assert profile is not None
    return IssueSteps(
        check=EInvoiceCheck(profile) if settings.validate_einvoice else None,
        render=DocumentFiles(profile) if (settings.render if render is None else render) else None,
    )
