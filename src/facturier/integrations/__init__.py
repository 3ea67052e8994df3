"""Adapters to outside services (VIES, payment platforms...): named, opt-in side effects."""
