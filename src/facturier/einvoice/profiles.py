"""Factur-X 1.0x profiles (BT-24 specification identifiers) and what each one carries.

The guideline ids are those of the Factur-X 1.07/1.08 specification (FNFE-MPE / FeRD),
the same the `factur-x` package checks. EN 16931 is the default profile; BASIC WL carries
no lines; MINIMUM is read and validated but not written.
"""

from __future__ import annotations

from enum import StrEnum


class Profile(StrEnum):
    MINIMUM = "minimum"
    BASIC_WL = "basicwl"
    BASIC = "basic"
    EN16931 = "en16931"
    EXTENDED = "extended"

    @property
    def guideline_id(self) -> str:
        """BT-24, the value of GuidelineSpecifiedDocumentContextParameter/ID."""
        return _GUIDELINES[self]

    @property
    def has_lines(self) -> bool:
        """BASIC WL and MINIMUM have no invoice lines (BG-25)."""
        return self in (Profile.BASIC, Profile.EN16931, Profile.EXTENDED)

    @property
    def is_full(self) -> bool:
        """True for the profiles carrying every field of the domain model (contacts,
        BT-33, item ids and descriptions, BIC, card, rounding amount, item attributes)."""
        return self in (Profile.EN16931, Profile.EXTENDED)

    @classmethod
    def from_guideline(cls, guideline_id: str) -> Profile | None:
        value = guideline_id.strip()
        for profile, known in _GUIDELINES.items():
            if value == known:
                return profile
        # XRechnung and other CIUS of EN 16931 are checked against the EN 16931 rules.
        if value.startswith("urn:cen.eu:en16931:2017"):
            return cls.EN16931
        return None


# The profiles Facturier writes; MINIMUM (no lines, no VAT breakdown) is only read and validated.
WRITTEN_PROFILES = (Profile.BASIC_WL, Profile.BASIC, Profile.EN16931, Profile.EXTENDED)

_GUIDELINES = {
    Profile.MINIMUM: "urn:factur-x.eu:1p0:minimum",
    Profile.BASIC_WL: "urn:factur-x.eu:1p0:basicwl",
    Profile.BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
    Profile.EN16931: "urn:cen.eu:en16931:2017",
    Profile.EXTENDED: "urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended",
}

# Peppol BIS Billing 3.0 (UBL): BT-24 and, for sellers outside France, BT-23.
PEPPOL_CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
