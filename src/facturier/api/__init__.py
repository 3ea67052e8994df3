"""The HTTP API (`facturier serve`): FastAPI routes that translate requests and call one service each."""
