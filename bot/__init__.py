"""RunningHub Bot: run RunningHub workflows from Telegram."""
