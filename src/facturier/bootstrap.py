"""The one place that builds concrete adapters from settings and hands them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from facturier.archive.store import FileBlobStore
from facturier.config import Settings
from facturier.domain.errors import invalid
from facturier.einvoice.profiles import WRITTEN_PROFILES, Profile
from facturier.services.artefacts import DocumentFiles, EInvoiceCheck
from facturier.services.issue import IssueSteps
from facturier.storage.database import Database
from facturier.storage.engine import make_engine


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    steps: IssueSteps  # the e-invoice check before numbering and the files written after

    def today(self) -> date:
        """Today in the seller's time zone: invoices carry local calendar dates."""
        return self.clock().astimezone(ZoneInfo(self.settings.timezone)).date()

    def account_id(self) -> str:
        return self.db.account_id(self.settings.account)


def build(settings: Settings | None = None, clock: Callable[[], datetime] = system_clock) -> App:
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(make_engine(settings.effective_database_url), FileBlobStore(settings.archive_dir))
    db.upgrade()
    return App(settings, db, clock, issue_steps(settings))


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
