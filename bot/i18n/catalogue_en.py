"""English messages. Data only: keys sorted and grouped by prefix, ``str.format`` placeholders.

Keys are grouped by prefix (the part before the first dot); add new ones in key order.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # allow.
        "allow.admins_only": "Only administrators of this chat can change which workflows run here.",
        "allow.bad_id": "“{value}” is not a workflow id (15 to 20 digits).",
        "allow.current": "Only these workflows may run here: {workflows}. An administrator can lift this with /allowworkflows off.",
        "allow.groups_only": "/allowworkflows works in groups, where administrators limit what members may run.",
        "allow.lifted": "Any workflow may run here again.",
        "allow.none": "Any workflow may run here. Administrators can limit it: /allowworkflows <id> [<id> …]",
        "allow.set": "From now on only these workflows may run here: {workflows}.",
        # balance.
        "balance.text": "💰 Coins: {coins}\nTasks running on RunningHub now: {tasks}\nKey type: {key_type}",
        # button.
        "button.again": "🔁 Run again",
        "button.cancel": "✖️ Cancel",
        "button.cancelling": "Cancelling…",
        "button.not_yours": "Only the person who started this task (or, to cancel it, a chat administrator) can use its buttons.",
        "button.open_private": "🔑 Set my key privately",
        "button.refresh": "🔄 Refresh",
        "button.refreshed": "Up to date.",
        "button.started": "Started again.",
        # cancel.
        "cancel.requested": "Cancellation of task #{task} requested.",
        "cancel.usage": "Which task? Send /cancel <task id>, e.g. /cancel 12. /tasks lists yours.",
        # card.
        "card.coins": "🪙 {coins}",
        "card.elapsed": "Elapsed: {elapsed}",
        "card.remote": "RunningHub {remote}",
        "card.seconds": "⏱ {seconds} s",
        "card.starting": "⏳ Starting…",
        "card.state.CANCELLED": "Cancelled",
        "card.state.FAILED": "Failed",
        "card.state.PENDING": "Waiting to be sent (#{position} in your queue)",
        "card.state.PENDING_capacity": "Waiting for a free slot on RunningHub (#{position} in your queue)",
        "card.state.QUEUED": "Queued on RunningHub",
        "card.state.RUNNING": "Running",
        "card.state.SUBMITTING": "Sending to RunningHub…",
        "card.state.SUCCESS": "Done",
        "card.state.TIMED_OUT": "Stopped waiting",
        "card.state.UNKNOWN": "Outcome unknown",
        "card.task": "Task #{task}",
        "card.workflow": "Workflow {workflow}",
        # chat.
        "chat.hint": "I run RunningHub workflows: /run <workflow id> [name=value …]. /help has examples.",
        "chat.media_hint": "To use this file, reply to it with /run <workflow id>, or send it with the caption /run <workflow id>.",
        # error.
        "error.generic": "Sorry, something went wrong on my side. Please try again in a moment.",
        "error.not_allowed": "That is not allowed here.",
        "error.storage": "My database is busy right now. Please try again in a minute — nothing was lost.",
        "error.unknown_command": "I don't know {command}. Send /help to see what I can do.",
        # help.
        "help.text": 'I run your RunningHub workflows and send the results back here.\n\n1. Get an API key: runninghub.ai → your avatar → API console (a paid membership is needed; keys from runninghub.cn work only with a bot set up for .cn).\n2. Send it to me in this private chat: /setkey <key>. I delete the message at once and store the key encrypted.\n3. Run a workflow: /run <workflow id or link> [name=value …]\n\nExamples:\n/run 1904136902449209346\n/run 1904136902449209346 6.text="a red fox, cinematic" steps=30 cfg=7.5\n/run https://www.runninghub.ai/post/1904136902449209346 6.text=«a cat in a hat»\nSend a photo with the caption /run <id> to feed it to the workflow\'s image input.\n\nCommands:\n/run — run a workflow\n/status <task> — show a task\n/tasks — your recent tasks\n/cancel <task> — cancel a task\n/balance — your coins and running tasks\n/setkey <key> — save your API key (private chat only)\n/delkey — forget your API key\n/lang en|ru|auto — choose my language',
        # inline.
        "inline.empty": "No tasks yet — open the bot",
        "inline.title": "#{task} · {state}",
        # input.
        "input.too_large": "That file is too big: I can take files up to {megabytes} MB from Telegram.",
        "input.unusable": "I couldn't use that file.",
        # key.
        "key.deleted": "Your API key is forgotten. Tasks already running will still finish.",
        "key.exposed_in_group": "⚠️ Never post an API key in a group: I deleted the message if I could, but others may have seen it, so I did not save it. Create a new key on RunningHub, delete the old one, and send the new one to me in a private chat: @{bot}",
        "key.missing": "You have no RunningHub API key set. Send it to me in a private chat: /setkey <key>",
        "key.missing_at_submit": "Your API key was removed before the task could start. Set it again with /setkey.",
        "key.missing_group": "You have no RunningHub key yet. Each person runs with their own key — set yours in a private chat with me (never here).",
        "key.none_to_delete": "You had no API key stored.",
        "key.rejected_format": "That doesn't look like a RunningHub API key (it is 32 letters and digits). Copy it again from the API console.",
        "key.rejected_free": "RunningHub says this account is on the free plan, which cannot use the API. A paid membership is needed.",
        "key.rejected_invalid": "RunningHub rejected this key: it is wrong or disabled — or it belongs to the other site (runninghub.ai and runninghub.cn keys don't mix). Nothing was saved.",
        "key.saved": "✅ Key saved (encrypted), ending in {fingerprint}. Your message with it is deleted. Try /run now.",
        "key.usage": "Send your key like this: /setkey <key>. Get it from the API console on runninghub.ai.",
        # lang.
        "lang.set": "I'll speak English with you.",
        "lang.usage": "Choose a language: /lang en, /lang ru, or /lang auto to follow Telegram.",
        # menu.
        "menu.allowworkflows": "Limit which workflows run here (admins)",
        "menu.balance": "Your coins and running tasks",
        "menu.cancel": "Cancel a task",
        "menu.delkey": "Forget your API key",
        "menu.help": "How to use the bot",
        "menu.lang": "Choose the language",
        "menu.preset": "Save, list or delete presets",
        "menu.run": "Run a workflow",
        "menu.setkey": "Save your RunningHub API key",
        "menu.status": "Show a task",
        "menu.tasks": "Your recent tasks",
        # outcome.
        "outcome.CANCELLED": "🚫 Task #{task} was cancelled. {detail}",
        "outcome.FAILED": "❌ Task #{task} failed. {detail}",
        "outcome.TIMED_OUT": "⌛ Task #{task}: {detail}",
        "outcome.UNKNOWN": "❓ Task #{task}: {detail}",
        # parse.
        "parse.bad_key": "“{key}” is not a valid parameter name. Use an input name such as steps, or node.input such as 6.text.",
        "parse.duplicate_key": "“{key}” is given twice. Keep one value for it.",
        "parse.empty_value": '“{key}=” has no value. For empty text, write {key}="".',
        "parse.missing_equals": "“{token}” is not a parameter. Write parameters as key=value.",
        "parse.missing_workflow": "Which workflow should I run? Start with a workflow id, a RunningHub link or a preset name.",
        "parse.text_after_quote": "The value of “{key}” goes on after its closing quote. Leave a space after the quote. To use quotes inside a value, wrap it in a different kind: text='he said \"hi\"'.",
        "parse.unterminated_quote": "The value of “{key}” opens a quote {quote} but never closes it.",
        "parse.workflow_id_length": "“{value}” is not a workflow id: ids have 15 to 20 digits.",
        "parse.workflow_invalid": "“{value}” is neither a workflow id, a RunningHub link nor a preset name. Preset names have up to 32 Latin letters, digits, _ and -.",
        "parse.workflow_url_host": "Only runninghub.ai and runninghub.cn links work, not {host}.",
        "parse.workflow_url_no_id": "There is no workflow id in the link “{value}”. Copy the link of the workflow's page, or send just the id.",
        # preset.
        "preset.bad_name": "“{name}” can't be a preset name: use 1 to 32 Latin letters, digits, _ and -, not only digits.",
        "preset.deleted": "Preset {name} deleted.",
        "preset.header": "Presets:",
        "preset.missing_action": "What should I do with presets: save, list or delete?",
        "preset.missing_name": "Which preset? Add its name.",
        "preset.none": "No presets yet. Save one: /preset save portrait 1904136902449209346 steps=30",
        "preset.not_found": "There is no preset called {name}. /preset list shows yours.",
        "preset.saved_chat": "Preset {name} saved for this chat: everyone here can run /run {name}.",
        "preset.saved_user": "Preset {name} saved. Run it with /run {name} (add parameters to change its defaults).",
        "preset.scope_chat": "this chat",
        "preset.scope_user": "yours",
        "preset.unexpected_argument": "I didn't expect “{token}” here.",
        "preset.unknown_action": "“{action}” is not a preset action. Use save, list or delete.",
        "preset.workflow_not_id": "A preset must point to a workflow id or a RunningHub link, and “{value}” is neither.",
        # remote.
        "remote.auth": "RunningHub rejected your API key (code {code}). Set a valid one with /setkey.",
        "remote.billing": "RunningHub refused the task for lack of coins or balance (code {code}). Top up and run it again.",
        "remote.cancel_failed": "RunningHub did not confirm the cancellation. Try again in a moment.",
        "remote.free_account": "RunningHub says your account is on the free plan, which cannot use the API (code {code}).",
        "remote.invalid": "RunningHub refused the task: {detail} (code {code}; nodes: {nodes}). Check the parameters.",
        "remote.key_check_failed": "I couldn't reach RunningHub to check the key. Nothing was saved; please try again in a minute.",
        "remote.refused": "RunningHub refused the task: {detail} (code {code}).",
        "remote.transient": "RunningHub is not answering right now. Please try again in a minute.",
        "remote.upload_failed": "I couldn't upload your file to RunningHub. Please try again in a minute.",
        "remote.workflow_not_found": "RunningHub has no workflow {workflow} — check the id, and that it is on the same site (.ai or .cn) as your key.",
        "remote.workflow_not_found_code": "RunningHub doesn't know this workflow (code {code}). Check the id and the site (.ai or .cn).",
        # resolve.
        "resolve.ambiguous": "Several inputs are called “{key}”: {candidates}. Pick one with node.input, e.g. {example}=…",
        "resolve.duplicate_target": "Input {key} is set twice. Keep one value for it.",
        "resolve.linked_input": "Input {key} is connected to node {source}, so it can't be overridden.",
        "resolve.media_ambiguous": "The attached file fits several inputs: {candidates}. Pick one, e.g. {example}=@.",
        "resolve.media_missing": "“{key}=@” means the attached file, but nothing is attached. Send the command as the caption of a photo, video or audio.",
        "resolve.media_no_loader": "This workflow has no input that can take the attached file.",
        "resolve.media_no_schema": "I couldn't load this workflow's inputs, so I don't know where the attached file goes. Name the input yourself, e.g. 10.image=@.",
        "resolve.media_wrong_kind": "Input {key} takes a different kind of file than the one attached.",
        "resolve.no_schema": "I couldn't load this workflow's inputs, so I can't find “{key}” by name. Use node.input instead, e.g. 6.text=…",
        "resolve.not_bool": "“{key}” needs yes or no (true/false, on/off, 1/0), not “{value}”.",
        "resolve.not_media_input": "Input {key} doesn't load files, so @ can't go there.",
        "resolve.not_number": "“{key}” needs a number, not “{value}”.",
        "resolve.unknown_field": "This workflow has no input called “{key}”. Its inputs: {available}.",
        "resolve.unknown_node": "This workflow has no node {node}. Its nodes: {nodes}.",
        "resolve.unknown_node_field": "Node {node} has no input “{field}”. Its inputs: {available}.",
        # result.
        "result.caption": "Workflow {workflow} · task #{task}",
        "result.empty": "The task finished but produced no output.",
        "result.expired": "Output {index} is no longer available on RunningHub (its link expired).",
        "result.missing": "Output {index} has no file or text.",
        "result.too_large": "This output is over 50 MB, which is more than Telegram lets bots send. Download it here (the link expires in about a day):\n{url}",
        # run.
        "run.workflow_not_allowed": "Administrators of this chat only allow certain workflows here, and {workflow} is not one of them.",
        # start.
        "start.setkey": "Send me your RunningHub API key here: /setkey <key>. I delete the message at once and keep the key encrypted.",
        "start.text": 'Hi! I run RunningHub workflows (ComfyUI in the cloud) and send you the results.\n\nFirst, save your RunningHub API key: /setkey <key>\nThen run a workflow: /run 1904136902449209346 6.text="a red fox"\n\n/help explains everything.',
        # status.
        "status.usage": "Which task? Send /status <task id>, e.g. /status 12. /tasks lists yours.",
        # task.
        "task.cannot_cancel": "This task can't be cancelled now ({state}).",
        "task.failed_generic": "It failed: {detail}",
        "task.failed_node": "Node {node} failed: {error}",
        "task.failed_oom": "Node {node} ran out of GPU memory: {error}. Try smaller sizes, or a workflow set to the 48 GB machine (instanceType plus).",
        "task.not_found": "I can't find task {task} among yours. /tasks lists your recent tasks.",
        "task.remote_lost": "RunningHub no longer knows this task.",
        "task.timed_out": "I stopped waiting for it. It may still finish on RunningHub — check with /status, which still looks it up.",
        "task.unknown": "I don't know whether RunningHub received this task (the connection broke). I will not resend it, so you are never charged twice: check your RunningHub task history, then run it again if it isn't there.",
        # tasks.
        "tasks.empty": "You have no tasks yet. Start one with /run.",
        "tasks.header": "Your recent tasks:",
        "tasks.line": "#{task} · {workflow} · {state}",
        # usage.
        "usage.preset": "Presets:\n/preset save NAME WORKFLOW [key=value …] — save a workflow with default values\n/preset list — show your presets\n/preset delete NAME — delete a preset\nRun one with /run NAME [key=value …].",
        "usage.run": 'Usage: /run WORKFLOW [key=value …]\nWORKFLOW is a workflow id, a runninghub.ai link or a preset name. A key is an input name (steps) or node.input (6.text).\nQuote values with spaces: text="a red fox". To use the attached photo, video or audio, write key=@.',
    }
)
