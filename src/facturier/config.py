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
    # --- the service (facturier serve / worker) ---
    webhooks_allow_private: bool = False  # let webhook endpoints be on loopback/private addresses (tests only)
    http_timeout: float = 10.0  # seconds per outbound HTTP request (webhooks)
    api_rate_limit: float = 100.0  # requests per second per API key (in each serve process)
    api_rate_burst: float = 200.0  # requests a key may send at once before the rate applies
    api_max_body_bytes: int = 20_000_000  # larger request bodies are refused (413)
    api_read_timeout: float = 30.0  # seconds between two chunks of a request body (408)
    job_lease_seconds: int = 60  # a running job whose worker is silent this long is claimed again

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'facturier.db').resolve()}"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"
