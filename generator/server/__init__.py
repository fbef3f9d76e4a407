"""`cadre serve`: the built site plus the exam API (Starlette on uvicorn)."""
