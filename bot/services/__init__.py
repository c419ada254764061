"""Use cases: accounts, runs, delivery planning."""
