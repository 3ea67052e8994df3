"""The one place that builds concrete adapters from settings and hands them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from facturier.archive.store import FileBlobStore
from facturier.config import Settings
from facturier.storage.database import Database
from facturier.storage.engine import make_engine


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    settings: Settings
    db: Database
    clock: Callable[[], datetime]

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
    return App(settings, db, clock)
