"""The ledger: users, encrypted API keys, tasks and outputs in SQLite."""
