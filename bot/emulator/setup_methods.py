"""The emulator's Bot API methods about the bot itself and how it receives its updates.

Identity (getMe), the command menu and descriptions with Telegram's limits, and the choice
between getUpdates and a webhook (409 Conflict for getUpdates while a webhook is set). A mixin
of `methods.BotApi`, which finds every `m_` method by name.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.spec import BadRequest
from bot.emulator.updates import UpdateQueue, Webhook
from bot.emulator.world import World


class SetupMethods:
    """getMe, commands, descriptions, getUpdates and webhooks on `world` and `queue`."""

    world: World
    queue: UpdateQueue

    # -- identity and configuration -----------------------------------------------------
    async def m_getMe(self, params: dict, files: dict) -> dict[str, Any]:
        return self.world.bot_user

    async def m_logOut(self, params: dict, files: dict) -> bool:
        return True

    async def m_close(self, params: dict, files: dict) -> bool:
        return True

    async def m_setMyCommands(self, params: dict, files: dict) -> bool:
        for command in params["commands"]:
            if not command["command"].islower() or not 1 <= len(command["command"]) <= 32:
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
        self.world.commands = params["commands"]
        await self.world.notify()
        return True

    async def m_getMyCommands(self, params: dict, files: dict) -> list:
        return self.world.commands

    async def m_setMyDescription(self, params: dict, files: dict) -> bool:
        return await self._describe("description", params.get("description") or "", 512)

    async def m_setMyShortDescription(self, params: dict, files: dict) -> bool:
        return await self._describe("short_description",
                                    params.get("short_description") or "", 120)

    async def _describe(self, key: str, text: str, limit: int) -> bool:
        if len(text) > limit:  # Telegram's limits: 512 and 120 characters
            raise BadRequest(f"Bad Request: {key} is too long")
        self.world.descriptions[key] = text
        await self.world.notify()
        return True

    async def m_getMyDescription(self, params: dict, files: dict) -> dict[str, Any]:
        return {"description": self.world.descriptions.get("description", "")}

    async def m_getMyShortDescription(self, params: dict, files: dict) -> dict[str, Any]:
        return {"short_description": self.world.descriptions.get("short_description", "")}

    async def m_deleteMyCommands(self, params: dict, files: dict) -> bool:
        self.world.commands = []
        return True

    # -- updates ----------------------------------------------------------------------
    async def m_getUpdates(self, params: dict, files: dict) -> list:
        if self.queue.webhook:
            raise BadRequest("Conflict: can't use getUpdates method while webhook is active; "
                             "use deleteWebhook to delete the webhook first", code=409)
        return await self.queue.get(params.get("offset"), params.get("limit", 100),
                                    min(float(params.get("timeout", 0)), 50.0),
                                    params.get("allowed_updates"))

    async def m_setWebhook(self, params: dict, files: dict) -> bool:
        url = params["url"]
        if not url:
            self.queue.set_webhook(None, params.get("drop_pending_updates", False))
            return True
        if not url.startswith(("https://", "http://127.", "http://localhost")):
            raise BadRequest("Bad Request: bad webhook: HTTPS url must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not (1 <= len(secret) <= 256):
            raise BadRequest("Bad Request: secret token is invalid")
        hook = Webhook(url, secret, params.get("max_connections", 40))
        self.queue.set_webhook(hook, params.get("drop_pending_updates", False))
        return True

    async def m_deleteWebhook(self, params: dict, files: dict) -> bool:
        self.queue.set_webhook(None, params.get("drop_pending_updates", False))
        return True

    async def m_getWebhookInfo(self, params: dict, files: dict) -> dict[str, Any]:
        hook = self.queue.webhook
        return {"url": hook.url if hook else "", "has_custom_certificate": False,
                "pending_update_count": self.queue.pending}
