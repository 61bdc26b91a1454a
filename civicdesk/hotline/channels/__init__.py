"""Channels other than the web form: e-mail in, Zalo OA and Telegram webhooks, and replies through adapters."""
