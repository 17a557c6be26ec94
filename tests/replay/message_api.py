"""The Message API of the BFCL multi-turn benchmark: users, a login, an inbox of sent messages.

Ported from bfcl_eval/eval_checker/multi_turn_eval/func_source_code/message_api.py of the Berkeley
Function Calling Leaderboard (ShishirPatil/gorilla, Apache-2.0), behaviour kept: message ids come
from a random.Random seeded by the scenario (200191 unless it says), so a replay is repeatable.
"""

from __future__ import annotations

import copy
import random
from typing import Any

DEFAULT_STATE: dict[str, Any] = {
    "generated_ids": [],
    "user_count": 4,
    "user_map": {"Alice": "USR001", "Bob": "USR002", "Catherine": "USR003", "Daniel": "USR004"},
    "inbox": [
        {"USR002": "My name is Alice. I want to connect."},
        {"USR003": "Could you upload the file?"},
        {"USR004": "Could you upload the file?"},
    ],
    "message_count": 3,
    "current_user": None,
}

_NOT_LOGGED_IN = {"error": "No user is currently logged in."}


class MessageAPI:
    def __init__(self, scenario: dict[str, Any] | None = None) -> None:
        state = copy.deepcopy({**DEFAULT_STATE, **(scenario or {})})
        self._random = random.Random(state.get("random_seed", 200191))
        self.generated_ids: set[int] = set(state["generated_ids"])
        self.user_count: int = state["user_count"]
        self.user_map: dict[str, str] = state["user_map"]
        self.inbox: list[dict[str, str]] = state["inbox"]
        self.message_count: int = state["message_count"]
        self.current_user: str | None = state["current_user"]

    def state(self) -> dict[str, Any]:
        return copy.deepcopy({name: value for name, value in vars(self).items() if not name.startswith("_")})

    def _generate_id(self) -> dict[str, int]:
        new_id = self._random.randint(10000, 99999)
        while new_id in self.generated_ids:
            new_id = self._random.randint(10000, 99999)
        self.generated_ids.add(new_id)
        return {"new_id": new_id}

    def list_users(self) -> dict[str, list[str]]:
        return {"user_list": list(self.user_map)}

    def get_user_id(self, user: str) -> dict[str, str]:
        if user not in self.user_map:
            return {"error": f"User '{user}' not found in the workspace."}
        return {"user_id": self.user_map[user]}

    def message_login(self, user_id: str) -> dict[str, Any]:
        if user_id not in self.user_map.values():
            return {"login_status": False, "message": f"User ID '{user_id}' not found."}
        self.current_user = user_id
        return {"login_status": True, "message": f"User '{user_id}' logged in successfully."}

    def message_get_login_status(self) -> dict[str, bool]:
        return {"login_status": bool(self.current_user)}

    def send_message(self, receiver_id: str, message: str) -> dict[str, Any]:
        if not self.current_user:
            return _NOT_LOGGED_IN
        if receiver_id not in self.user_map.values():
            return {"error": f"Receiver ID '{receiver_id}' not found."}
        message_id = self._generate_id()
        self.inbox.append({receiver_id: message})
        self.message_count += 1
        return {
            "sent_status": True,
            "message_id": message_id,
            "message": f"Message sent to '{receiver_id}' successfully.",
        }

    def delete_message(self, receiver_id: str) -> dict[str, Any]:
        if not self.current_user:
            return _NOT_LOGGED_IN
        for message in reversed(self.inbox):
            if next(iter(message)) == receiver_id:
                self.inbox.remove(message)
                return {
                    "deleted_status": True,
                    "receiver_id": receiver_id,
                    "message": f"Receiver {receiver_id}'s latest message deleted successfully.",
                }
        return {"error": f"Receiver ID {receiver_id} not found."}

    def view_messages_sent(self) -> dict[str, Any]:
        if not self.current_user:
            return _NOT_LOGGED_IN
        sent: dict[str, list[str]] = {}
        for message in self.inbox:
            receiver, content = next(iter(message.items()))
            sent.setdefault(receiver, []).append(content)
        return {"messages": sent}

    def add_contact(self, user_name: str) -> dict[str, Any]:
        if user_name in self.user_map:
            return {"error": f"User name '{user_name}' already exists."}
        self.user_count += 1
        user_id = f"USR{self.user_count:03d}"
        if user_id in self.user_map.values():
            return {"error": f"User ID '{user_id}' already exists."}
        self.user_map[user_name] = user_id
        return {"added_status": True, "user_id": user_id, "message": f"Contact '{user_name}' added successfully."}

    def search_messages(self, keyword: str) -> dict[str, Any]:
        if not self.current_user:
            return _NOT_LOGGED_IN
        results = []
        for message in self.inbox:
            receiver, content = next(iter(message.items()))
            if keyword.lower() in content.lower():
                results.append({"receiver_id": receiver, "message": content})
        return {"results": results}

    def get_message_stats(self) -> dict[str, Any]:
        if not self.current_user:
            return _NOT_LOGGED_IN
        contacts = {next(iter(message)) for message in self.inbox}
        return {"stats": {"received_count": len(self.inbox), "total_contacts": len(contacts)}}
