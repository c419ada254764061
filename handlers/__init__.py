"""Telegram update handlers: parse, call one service, reply with one message key."""
