"""Content-addressed archive of the exact bytes Facturier issued (JSON, PDF, XML)."""
