"""Fault-injection tests: kill -9, RunningHub and Telegram faults, ledger outages, fuzzing."""
