"""`facturier seller update FILE`: a new version of the seller profile, recorded in the ledger.

    update = update_profile(db, account_id, raw, clock, logo_dir=file.parent)

The file has the format of `facturier init --from` (services/seller.py). Nothing is written
unless every check passes (each problem names its seller-file field):
- the file itself (schema, SIREN/VAT id/IBAN checksums, time zone);
- the profile can issue what it says it will: a sample B2B invoice built from it passes every
  issuing rule (services/seller_checks.py);
- identity: the SIREN cannot change once set. A SIREN names a legal person (C. com. R123-235);
  another SIREN is another seller, with its own numbering and ledger: a new account
  (`FACTURIER_ACCOUNT=... facturier init`). Setting a SIREN that was empty is allowed;
- numbering: the pattern (or the yearly reset) of a series that already numbered documents in
  the current period cannot change. Invoices are numbered in one continuous chronological
  sequence (CGI ann. II art. 242 nonies A, I-2°): a new pattern mid-period would start a second
  sequence beside the first. Changing it before the first document of a new period (e.g. in
  January) or on a series still unused is allowed.
Then, in one write transaction under the chain lock (no document is numbered meanwhile): the
version is appended (storage/seller_profiles.py), a "seller.updated" event hashes it, the
`accounts.profile` cursor and the numbering series move. A file equal to the current profile
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from facturier.domain.canonical import canonical_bytes
from facturier.domain.errors import InvalidInput, Violation, invalid
from facturier.domain.events import LedgerEvent
from facturier.domain.seller import SellerProfile
from facturier.services.issue import DEFAULT_STEPS, Clock, IssueSteps
from facturier.services.seller import archive_logo, parse_seller, profile_from_input
from facturier.services.seller_checks import check_profile
from facturier.storage.database import Database, Transaction
from facturier.storage.numbering import series_key
from facturier.storage.seller_profiles import UPDATED, ProfileVersion, profile_sha256


@dataclass(frozen=True, slots=True)
class ProfileUpdate:
    version: ProfileVersion
    profile: SellerProfile
    changed: bool  # False: the file equals the current profile, nothing was written


def load_profile(
    db: Database,
    raw: bytes,
    logo_dir: Path | None,
    today: date,
    steps: IssueSteps = DEFAULT_STEPS,
    language: str = "en",
) -> SellerProfile:
    """A seller file as a profile that can issue (every problem names its seller-file field)."""
    seller = parse_seller(raw)
    logo = ""
    if seller.branding.logo:  # a path relative to the seller file
        path = (logo_dir or Path.cwd()) / seller.branding.logo
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise invalid("SELLER-LOGO", "branding.logo", f"cannot read {path}: {exc.strerror}") from None
        logo = archive_logo(db.blobs, data, "branding.logo")
    profile = profile_from_input(seller, logo)
    check_profile(profile, steps, today, language)
    return profile


def update_profile(
    db: Database,
    account_id: str,
    raw: bytes,
    clock: Clock,
    logo_dir: Path | None = None,
    steps: IssueSteps = DEFAULT_STEPS,
    language: str = "en",
) -> ProfileUpdate:
    """Update from a seller file (`facturier seller update`): its logo path is read from `logo_dir`."""
    profile = load_profile(db, raw, logo_dir, clock().date(), steps, language)  # outside any transaction
    return store_profile(db, account_id, profile, clock)


def update_profile_remote(
    db: Database, account_id: str, raw: bytes, clock: Clock, steps: IssueSteps = DEFAULT_STEPS, language: str = "en"
) -> ProfileUpdate:
    """Update from a seller document sent over the API: no file path is ever read on the server
    (`branding.logo` is refused: the logo is sent by itself, `replace_logo`); the logo stays."""
    seller = parse_seller(raw)
    if seller.branding.logo:
        raise invalid("SELLER-LOGO", "branding.logo", "a path is not read over the API: send the image to the logo")
    with db.reading(account_id) as tx:
        logo = tx.profile().branding.logo_sha256
    profile = profile_from_input(seller, logo)
    check_profile(profile, steps, clock().date(), language)
    return store_profile(db, account_id, profile, clock)


def replace_logo(
    db: Database, account_id: str, data: bytes, clock: Clock, steps: IssueSteps = DEFAULT_STEPS
) -> ProfileUpdate:
    """A new version of the profile with another logo (PNG, JPEG or SVG, at most 2 MB)."""
    logo = archive_logo(db.blobs, data, "logo")
    with db.reading(account_id) as tx:
        current = tx.profile()
    profile = replace(current, branding=replace(current.branding, logo_sha256=logo))
    check_profile(profile, steps, clock().date())
    return store_profile(db, account_id, profile, clock)


def store_profile(db: Database, account_id: str, profile: SellerProfile, clock: Clock) -> ProfileUpdate:
    """Record `profile` as the account's next version, under the chain lock, if it changes anything
    and changes neither the seller's identity nor a series already numbered this period."""
    now = clock()
    canonical = canonical_bytes(profile).decode()
    with db.transaction(account_id) as tx:
        tx.ledger.lock()  # the chain lock: no document is numbered while the profile changes
        current = tx.profile()
        if canonical == tx.seller_profiles.current_canonical():
            return ProfileUpdate(tx.seller_profiles.latest(), profile, changed=False)
        today = now.astimezone(ZoneInfo(current.timezone)).date()
        numbered = _numbered_now(tx, current, today)
        problems = identity_changes(current, profile) + series_changes(current, profile, numbered)
        if problems:
            raise InvalidInput(problems)
        version = tx.seller_profiles.latest().version + 1
        recorded_at = now.isoformat(timespec="microseconds")
        event = tx.ledger.append(
            LedgerEvent(
                account_id=account_id,
                seq=0,
                kind=UPDATED,
                recorded_at=recorded_at,
                details=(("version", str(version)),),
                seller_sha256=profile_sha256(canonical),
            )
        )
        stored = tx.seller_profiles.add(version, canonical, recorded_at, event.seq)
        tx.seller_profiles.move_cursor(canonical)
        tx.numbering.create_series(profile.series, replace=True)
    return ProfileUpdate(stored, profile, changed=True)


def identity_changes(old: SellerProfile, new: SellerProfile) -> list[Violation]:
    """A SIREN names a legal person: another SIREN is another seller account."""
    before, after = old.party.siren, new.party.siren
    if before and after != before:
        return [
            Violation(
                "SELLER-IDENTITY",
                "siren",
                f"the SIREN of this account is {before}: another legal entity ({after or 'none'}) is another "
                "seller account (facturier init with another FACTURIER_ACCOUNT)",
            )
        ]
    return []


def series_changes(old: SellerProfile, new: SellerProfile, numbered: set[str]) -> list[Violation]:
    """Series whose pattern changes although they numbered documents in their current period.

    `numbered` holds the keys of the series with numbers in the period of today (under their
    pattern as it is). CGI ann. II art. 242 nonies A, I-2°: one continuous chronological
    sequence per series and period.
    """
    before = {c.document_type: c for c in old.series}
    problems = []
    for config in new.series:
        previous = before.get(config.document_type)
        key = series_key(config.document_type)
        if previous is None or (previous.pattern, previous.yearly_reset) == (config.pattern, config.yearly_reset):
            continue
        if key in numbered:
            problems.append(
                Violation(
                    "SELLER-SERIES-PERIOD",
                    f"series.{key}.pattern",
                    f"series {key!r} already numbered documents with {previous.pattern!r} in the current period: "
                    "its pattern can change only before the first number of a period "
                    "(CGI ann. II art. 242 nonies A: one continuous chronological sequence)",
                )
            )
    return problems


def _numbered_now(tx: Transaction, profile: SellerProfile, today: date) -> set[str]:
    """Keys of the series that have numbers in the period `today` falls in (their pattern as it is)."""
    return {series_key(c.document_type) for c in profile.series if tx.numbering.last_seq(c.document_type, today) > 0}


def profile_history(db: Database, account_id: str) -> list[ProfileVersion]:
    """Every version of the seller profile, oldest first."""
    with db.reading(account_id) as tx:
        return tx.seller_profiles.history()
