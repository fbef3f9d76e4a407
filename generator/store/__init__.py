"""The state that outlives a command: accounts, sessions, attempts and the certificate ledger."""
