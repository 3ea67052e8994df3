"""Adapters that send things out of Facturier over the network (outbound webhooks)."""
