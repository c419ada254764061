"""Response payloads built from a task's lazily computed state, for every dialect.

FAILED tasks carry `failedReason` with `traceback` as one string in v1 (outputs 805, webhook)
and as a list of lines in v2 (query) — both shapes occur on the real service. A cancelled task
reads 805 on v1 outputs with exception_type "InterruptedError", "CANCEL" on v1 status, v2 query
and in the seed dialect.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.rh_catalogue import OutputFile
from bot.sandbox.rh_codes import message_for
from bot.sandbox.rh_core import Core
from bot.sandbox.rh_state import EmulatedTask, TaskState

CANCEL_REASON: dict[str, Any] = {
    "node_id": "",
    "node_name": "",
    "exception_type": "InterruptedError",
    "exception_message": "Task was cancelled",
    "traceback": [],
    "current_inputs": {},
    "current_outputs": {},
}
V1_STATE_CODES = {TaskState.QUEUED: 813, TaskState.RUNNING: 804, TaskState.SUCCESS: 0}


class Views:
    """Builds the JSON bodies describing tasks."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def files(self, task: EmulatedTask) -> list[OutputFile]:
        """The result files of `task` (whatever its state)."""
        workflow = self._core.catalogue.get(task.workflow_id)
        return [] if workflow is None else workflow.output_files(task.overrides)

    def file_url(self, task: EmulatedTask, item: OutputFile) -> str:
        """A fresh signed URL for one result file."""
        path = f"output/{task.task_id}/{item.index}.{item.file_type}"
        return self._core.signer.url(self._core.base_url, path)

    def reason(self, task: EmulatedTask, *, v1: bool) -> dict[str, Any]:
        """The failedReason of a failed or cancelled task ({} otherwise)."""
        state = task.state
        reason = task.failure if state is TaskState.FAILED else None
        reason = CANCEL_REASON if state is TaskState.CANCEL else reason
        if reason is None:
            return {}
        if v1 and isinstance(reason.get("traceback"), list):
            return {**reason, "traceback": "\n".join(reason["traceback"])}
        return dict(reason)

    def prompt_tips(self, task: EmulatedTask) -> str:
        """ComfyUI's validation summary as the JSON string the API returns."""
        nodes = sorted({item.node_id for item in self.files(task)}, key=int)
        tips: dict[str, Any] = {
            "result": True,
            "error": None,
            "outputs_to_execute": nodes,
            "node_errors": {},
        }
        return json.dumps(tips)

    def create_data(self, task: EmulatedTask) -> dict[str, Any]:
        """`data` of a v1/seed create response."""
        running = task.state is TaskState.RUNNING
        ws = self._core.base_url.replace("http", "ws", 1)
        return {
            "taskId": self._core.task_id_json(task),
            "taskStatus": task.state.value,
            "clientId": task.client_id,
            "netWssUrl": f"{ws}/ws/c_instance?clientId={task.client_id}" if running else None,
            "promptTips": self.prompt_tips(task),
        }

    def v1_outputs(self, task: EmulatedTask) -> tuple[int, Any]:
        """(code, data) of ``/task/openapi/outputs``: 813, 804, 0 + list, or 805 + reason."""
        state = task.state
        if state in V1_STATE_CODES and state is not TaskState.SUCCESS:
            return V1_STATE_CODES[state], None
        if state is not TaskState.SUCCESS:
            return 805, {"failedReason": self.reason(task, v1=True)}
        return 0, [
            {
                "fileUrl": self.file_url(task, item),
                "fileType": item.file_type,
                "taskCostTime": str(task.cost_seconds),
                "nodeId": item.node_id,
                "thirdPartyConsumeMoney": None,
                "consumeMoney": None,
                "consumeCoins": str(task.coins),
            }
            for item in self.files(task)
        ]

    def usage(self, task: EmulatedTask) -> dict[str, Any] | None:
        """v2 `usage` (strings) once the task ran to an end, else None."""
        if task.state not in (TaskState.SUCCESS, TaskState.FAILED):
            return None
        return {
            "consumeMoney": None,
            "consumeCoins": str(task.coins),
            "taskCostTime": str(task.cost_seconds),
            "thirdPartyConsumeMoney": None,
        }

    def v2_task(self, task: EmulatedTask) -> dict[str, Any]:
        """The flat v2 task object (run and query)."""
        state = task.state
        reason = self.reason(task, v1=False)
        results = None
        if state is TaskState.SUCCESS:
            results = [
                {
                    "url": None if item.text is not None else self.file_url(task, item),
                    "outputType": item.file_type,
                    "text": item.text,
                    "nodeId": item.node_id,
                }
                for item in self.files(task)
            ]
        failed = state is TaskState.FAILED
        return {
            "taskId": self._core.task_id_json(task),
            "status": state.value,
            "errorCode": "1000" if failed else "",
            "errorMessage": str(reason.get("exception_message", "")) if failed else "",
            "results": results,
            "clientId": task.client_id,
            "promptTips": self.prompt_tips(task),
            "failedReason": reason,
            "usage": self.usage(task),
            "parentTaskId": None,
            "taskUsageList": [],
        }

    def seed_status(self, task: EmulatedTask) -> dict[str, Any]:
        """`data` of the seed dialect's ``GET /task/openapi/status``."""
        state = task.state
        if state in (TaskState.QUEUED, TaskState.RUNNING):
            return {"taskStatus": state.value, "result": None}
        outputs: list[dict[str, str]] = []
        if state is TaskState.SUCCESS:
            for item in self.files(task):
                entry = {"fileUrl": self.file_url(task, item), "fileType": item.file_type}
                entry["nodeId"] = item.node_id
                if item.text is not None:
                    entry["text"] = item.text
                outputs.append(entry)
        result = {
            "outputs": outputs,
            "taskCostTime": str(task.cost_seconds if state is not TaskState.CANCEL else 0),
            "consumeCoins": str(task.coins if state is TaskState.SUCCESS else 0),
            "failedReason": self.reason(task, v1=True) or None,
        }
        return {"taskStatus": state.value, "result": result}

    def webhook_body(self, task: EmulatedTask) -> dict[str, Any]:
        """The TASK_END callback: v1 outputs envelope (v1/seed tasks) or v2 query object."""
        if task.origin == "v2":
            event: dict[str, Any] = self.v2_task(task)
        else:
            code, data = self.v1_outputs(task)
            event = {"code": code, "msg": message_for(code), "data": data}
        return {
            "event": "TASK_END",
            "taskId": self._core.task_id_json(task),
            "eventData": json.dumps(event, ensure_ascii=False),
        }
