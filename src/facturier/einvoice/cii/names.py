"""CII namespaces (UN/CEFACT CrossIndustryInvoice D16B, schema version 100)."""

from __future__ import annotations

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP: dict[str | None, str] = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}
XPATH_NS = {"rsm": RSM, "qdt": QDT, "ram": RAM, "udt": UDT}
