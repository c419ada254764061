"""Emulators of RunningHub and the Telegram Bot API, and the offline sandbox."""
