"""Typed async client for the RunningHub HTTP API."""
