"""Settings, read once at the edge from the environment (prefix FACTURIER_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FACTURIER_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""  # default: SQLite file <data_dir>/facturier.db
    account: str = "default"  # the seller account the CLI works on
    vies_url: str = ""  # VIES REST endpoint of this deployment; "" = the European Commission's
    facturx_profile: str = "en16931"  # Factur-X profile of issued invoices: basicwl, basic, en16931, extended
    validate_einvoice: bool = True  # validate the CII and UBL (XSD, schematrons, exact checks) before numbering
    render: bool = True  # write the PDF and XML files of every issued document

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'facturier.db').resolve()}"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"
