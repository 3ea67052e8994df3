"""OASIS UBL 2.1 Invoice and CreditNote, as profiled by Peppol BIS Billing 3.0."""
