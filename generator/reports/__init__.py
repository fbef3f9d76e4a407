"""The reports a county office runs on: coverage, expiring certificates, training, item statistics."""
