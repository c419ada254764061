"""Russian messages. Data only: same keys and placeholders as ``catalogue_en``, same order.

Style: natural Russian rather than a word-for-word translation, «ёлочки» for quoting,
«воркфлоу» / «узел» / «поле» for workflow / node / input.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # allow.
        "allow.admins_only": "Менять список разрешённых здесь воркфлоу могут только администраторы чата.",
        "allow.bad_id": "«{value}» — не id воркфлоу (в нём от 15 до 20 цифр).",
        "allow.current": "Здесь можно запускать только эти воркфлоу: {workflows}. Администратор может снять ограничение: /allowworkflows off.",
        "allow.groups_only": "/allowworkflows работает в группах: там администраторы решают, что можно запускать.",
        "allow.lifted": "Здесь снова можно запускать любые воркфлоу.",
        "allow.none": "Здесь можно запускать любые воркфлоу. Администраторы могут ограничить список: /allowworkflows <id> [<id> …]",
        "allow.set": "Теперь здесь можно запускать только эти воркфлоу: {workflows}.",
        # balance.
        "balance.text": "💰 Монеты: {coins}\nЗадач сейчас выполняется на RunningHub: {tasks}\nТип ключа: {key_type}",
        # button.
        "button.again": "🔁 Запустить снова",
        "button.cancel": "✖️ Отменить",
        "button.cancelling": "Отменяю…",
        "button.not_yours": "Кнопками задачи может пользоваться только тот, кто её запустил (а отменить её — ещё и администратор чата).",
        "button.open_private": "🔑 Задать ключ в личке",
        "button.refresh": "🔄 Обновить",
        "button.refreshed": "Всё актуально.",
        "button.started": "Запустил заново.",
        # cancel.
        "cancel.requested": "Запросил отмену задачи #{task}.",
        "cancel.usage": "Какую задачу отменить? Напишите /cancel <номер>, например /cancel 12. Список — в /tasks.",
        # card.
        "card.coins": "🪙 {coins}",
        "card.elapsed": "Прошло: {elapsed}",
        "card.remote": "RunningHub {remote}",
        "card.seconds": "⏱ {seconds} с",
        "card.starting": "⏳ Запускаю…",
        "card.state.CANCELLED": "Отменена",
        "card.state.FAILED": "Ошибка",
        "card.state.PENDING": "Ждёт отправки (№{position} в вашей очереди)",
        "card.state.PENDING_capacity": "Ждёт свободного места на RunningHub (№{position} в вашей очереди)",
        "card.state.QUEUED": "В очереди на RunningHub",
        "card.state.RUNNING": "Выполняется",
        "card.state.SUBMITTING": "Отправляю на RunningHub…",
        "card.state.SUCCESS": "Готово",
        "card.state.TIMED_OUT": "Перестал ждать",
        "card.state.UNKNOWN": "Результат неизвестен",
        "card.task": "Задача #{task}",
        "card.workflow": "Воркфлоу {workflow}",
        # chat.
        "chat.hint": "Я запускаю воркфлоу RunningHub: /run <id воркфлоу> [имя=значение …]. Примеры — в /help.",
        "chat.media_hint": "Чтобы использовать этот файл, ответьте на него командой /run <id воркфлоу> или пришлите его с подписью /run <id воркфлоу>.",
        # error.
        "error.generic": "Извините, у меня что-то сломалось. Попробуйте ещё раз чуть позже.",
        "error.not_allowed": "Здесь так нельзя.",
        "error.storage": "База данных сейчас занята. Попробуйте через минуту — ничего не потерялось.",
        "error.unknown_command": "Я не знаю команду {command}. Что я умею — в /help.",
        # help.
        "help.text": "Я запускаю ваши воркфлоу на RunningHub и присылаю результаты сюда.\n\n1. Получите API-ключ: runninghub.ai → аватар → API console (нужна платная подписка; ключи с runninghub.cn работают только с ботом, настроенным на .cn).\n2. Пришлите его мне в личном чате: /setkey <ключ>. Я сразу удалю сообщение и сохраню ключ в зашифрованном виде.\n3. Запустите воркфлоу: /run <id или ссылка> [имя=значение …]\n\nПримеры:\n/run 1904136902449209346\n/run 1904136902449209346 6.text=«рыжая лиса, кинематографично» steps=30 cfg=7,5\n/run https://www.runninghub.ai/post/1904136902449209346 6.text=«кот в шляпе»\nПришлите фото с подписью /run <id> — и оно попадёт во вход картинки воркфлоу.\n\nКоманды:\n/run — запустить воркфлоу\n/status <задача> — показать задачу\n/tasks — ваши последние задачи\n/cancel <задача> — отменить задачу\n/balance — монеты и текущие задачи\n/setkey <ключ> — сохранить API-ключ (только в личном чате)\n/delkey — забыть API-ключ\n/lang en|ru|auto — язык бота",
        # inline.
        "inline.empty": "Задач пока нет — откройте бота",
        "inline.title": "#{task} · {state}",
        # input.
        "input.too_large": "Файл слишком большой: из Telegram я могу взять файл до {megabytes} МБ.",
        "input.unusable": "Не получилось использовать этот файл.",
        # key.
        "key.deleted": "Ваш API-ключ удалён. Уже запущенные задачи всё равно доработают.",
        "key.exposed_in_group": "⚠️ Никогда не публикуйте API-ключ в группе: я удалил сообщение, если смог, но его могли увидеть, поэтому я его не сохранил. Создайте на RunningHub новый ключ, удалите старый и пришлите новый мне в личные сообщения: @{bot}",
        "key.missing": "У вас не задан API-ключ RunningHub. Пришлите его мне в личном чате: /setkey <ключ>",
        "key.missing_at_submit": "API-ключ удалили до того, как задача успела запуститься. Задайте его снова через /setkey.",
        "key.missing_group": "У вас ещё нет ключа RunningHub. Каждый запускает задачи своим ключом — задайте его в личном чате со мной (ни в коем случае не здесь).",
        "key.none_to_delete": "Сохранённого API-ключа у вас и не было.",
        "key.rejected_format": "Это не похоже на API-ключ RunningHub (в нём 32 буквы и цифры). Скопируйте его из API console ещё раз.",
        "key.rejected_free": "RunningHub сообщает, что аккаунт на бесплатном тарифе, а через API он не работает. Нужна платная подписка.",
        "key.rejected_invalid": "RunningHub не принял ключ: он неверный или отключён — или он с другого сайта (ключи runninghub.ai и runninghub.cn не взаимозаменяемы). Я ничего не сохранил.",
        "key.saved": "✅ Ключ сохранён (в зашифрованном виде), заканчивается на {fingerprint}. Сообщение с ним удалено. Можно запускать /run.",
        "key.usage": "Пришлите ключ так: /setkey <ключ>. Взять его можно в API console на runninghub.ai.",
        # lang.
        "lang.set": "Буду говорить с вами по-русски.",
        "lang.usage": "Выберите язык: /lang ru, /lang en или /lang auto — как в Telegram.",
        # menu.
        "menu.allowworkflows": "Какие воркфлоу можно запускать (для админов)",
        "menu.balance": "Монеты и текущие задачи",
        "menu.cancel": "Отменить задачу",
        "menu.delkey": "Забыть API-ключ",
        "menu.help": "Как пользоваться ботом",
        "menu.lang": "Выбрать язык",
        "menu.preset": "Сохранить, показать или удалить пресеты",
        "menu.run": "Запустить воркфлоу",
        "menu.setkey": "Сохранить API-ключ RunningHub",
        "menu.status": "Показать задачу",
        "menu.tasks": "Последние задачи",
        # outcome.
        "outcome.CANCELLED": "🚫 Задача #{task} отменена. {detail}",
        "outcome.FAILED": "❌ Задача #{task} завершилась с ошибкой. {detail}",
        "outcome.TIMED_OUT": "⌛ Задача #{task}: {detail}",
        "outcome.UNKNOWN": "❓ Задача #{task}: {detail}",
        # parse.
        "parse.bad_key": "«{key}» — неподходящее имя параметра. Пишите имя поля, например steps, или узел.поле, например 6.text.",
        "parse.duplicate_key": "Параметр «{key}» указан дважды — оставьте одно значение.",
        "parse.empty_value": 'У «{key}=» нет значения. Если нужен пустой текст, напишите {key}="".',
        "parse.missing_equals": "«{token}» — не параметр. Параметры пишутся так: ключ=значение.",
        "parse.missing_workflow": "Какой воркфлоу запустить? Начните с его номера, ссылки на RunningHub или имени пресета.",
        "parse.text_after_quote": 'В значении «{key}» после закрывающей кавычки идёт ещё текст — поставьте после неё пробел. Если кавычки нужны внутри значения, возьмите его в кавычки другого вида: text=«он сказал "привет"».',
        "parse.unterminated_quote": "В значении «{key}» открыта кавычка {quote}, но так и не закрыта.",
        "parse.workflow_id_length": "«{value}» не похоже на номер воркфлоу: в нём от 15 до 20 цифр.",
        "parse.workflow_invalid": "«{value}» — не номер воркфлоу, не ссылка на RunningHub и не имя пресета. Имя пресета — до 32 латинских букв, цифр, _ и -.",
        "parse.workflow_url_host": "Подойдёт только ссылка на runninghub.ai или runninghub.cn, а не на {host}.",
        "parse.workflow_url_no_id": "В ссылке «{value}» нет номера воркфлоу. Скопируйте ссылку со страницы воркфлоу или пришлите просто номер.",
        # preset.
        "preset.bad_name": "«{name}» не подходит для имени пресета: нужно от 1 до 32 латинских букв, цифр, _ и -, и не одни цифры.",
        "preset.deleted": "Пресет {name} удалён.",
        "preset.header": "Пресеты:",
        "preset.missing_action": "Что сделать с пресетами: save, list или delete?",
        "preset.missing_name": "Какой пресет? Укажите имя.",
        "preset.none": "Пресетов пока нет. Сохраните первый: /preset save portrait 1904136902449209346 steps=30",
        "preset.not_found": "Пресета {name} нет. Ваши пресеты — в /preset list.",
        "preset.saved_chat": "Пресет {name} сохранён для этого чата: все здесь могут запускать /run {name}.",
        "preset.saved_user": "Пресет {name} сохранён. Запуск — /run {name} (параметры после имени меняют значения по умолчанию).",
        "preset.scope_chat": "этого чата",
        "preset.scope_user": "ваш",
        "preset.unexpected_argument": "«{token}» здесь лишнее.",
        "preset.unknown_action": "Не знаю действия «{action}». Есть save, list и delete.",
        "preset.workflow_not_id": "Пресет должен ссылаться на номер воркфлоу или ссылку на RunningHub, а «{value}» — ни то ни другое.",
        # remote.
        "remote.auth": "RunningHub не принял ваш API-ключ (код {code}). Задайте рабочий ключ через /setkey.",
        "remote.billing": "RunningHub отклонил задачу: не хватает монет или средств (код {code}). Пополните баланс и запустите снова.",
        "remote.cancel_failed": "RunningHub не подтвердил отмену. Попробуйте ещё раз чуть позже.",
        "remote.free_account": "RunningHub сообщает, что ваш аккаунт на бесплатном тарифе, а через API он не работает (код {code}).",
        "remote.invalid": "RunningHub отклонил задачу: {detail} (код {code}; узлы: {nodes}). Проверьте параметры.",
        "remote.key_check_failed": "Не удалось связаться с RunningHub, чтобы проверить ключ. Я ничего не сохранил — попробуйте через минуту.",
        "remote.refused": "RunningHub отклонил задачу: {detail} (код {code}).",
        "remote.transient": "RunningHub сейчас не отвечает. Попробуйте через минуту.",
        "remote.upload_failed": "Не удалось загрузить ваш файл на RunningHub. Попробуйте через минуту.",
        "remote.workflow_not_found": "На RunningHub нет воркфлоу {workflow}. Проверьте id и что он на том же сайте (.ai или .cn), что и ваш ключ.",
        "remote.workflow_not_found_code": "RunningHub не знает такой воркфлоу (код {code}). Проверьте id и сайт (.ai или .cn).",
        # resolve.
        "resolve.ambiguous": "Полей «{key}» в этом воркфлоу несколько: {candidates}. Уточните узел, например {example}=…",
        "resolve.duplicate_target": "Поле {key} задано дважды — оставьте одно значение.",
        "resolve.linked_input": "Поле {key} подключено к узлу {source}, поэтому задать его нельзя.",
        "resolve.media_ambiguous": "Приложенный файл подходит сразу к нескольким полям: {candidates}. Выберите одно, например {example}=@.",
        "resolve.media_missing": "«{key}=@» — это приложенный файл, но к сообщению ничего не приложено. Отправьте команду подписью к фото, видео или аудио.",
        "resolve.media_no_loader": "В этом воркфлоу нет поля, куда можно подставить приложенный файл.",
        "resolve.media_no_schema": "Не удалось загрузить поля воркфлоу, и непонятно, куда подставить файл. Укажите поле сами, например 10.image=@.",
        "resolve.media_wrong_kind": "В поле {key} нужен файл другого типа, не тот, что приложен.",
        "resolve.no_schema": "Не удалось загрузить поля воркфлоу, поэтому «{key}» не найти по имени. Укажите узел явно, например 6.text=…",
        "resolve.not_bool": "Для «{key}» нужно «да» или «нет» (true/false, on/off, 1/0), а не «{value}».",
        "resolve.not_media_input": "Поле {key} не загружает файлы, поэтому @ туда не подставить.",
        "resolve.not_number": "Для «{key}» нужно число, а не «{value}».",
        "resolve.unknown_field": "В этом воркфлоу нет поля «{key}». Есть такие: {available}.",
        "resolve.unknown_node": "В этом воркфлоу нет узла {node}. Есть такие: {nodes}.",
        "resolve.unknown_node_field": "У узла {node} нет поля «{field}». Есть такие: {available}.",
        # result.
        "result.caption": "Воркфлоу {workflow} · задача #{task}",
        "result.empty": "Задача завершилась, но ничего не выдала.",
        "result.expired": "Результат {index} больше недоступен на RunningHub (ссылка истекла).",
        "result.missing": "У результата {index} нет ни файла, ни текста.",
        "result.too_large": "Этот результат больше 50 МБ — столько Telegram ботам отправлять не даёт. Скачайте его по ссылке (она действует около суток):\n{url}",
        # run.
        "run.workflow_not_allowed": "Администраторы этого чата разрешили здесь только определённые воркфлоу, и {workflow} в их число не входит.",
        # start.
        "start.setkey": "Пришлите мне сюда API-ключ RunningHub: /setkey <ключ>. Я сразу удалю сообщение и сохраню ключ в зашифрованном виде.",
        "start.text": "Привет! Я запускаю воркфлоу RunningHub (ComfyUI в облаке) и присылаю результаты.\n\nСначала сохраните API-ключ RunningHub: /setkey <ключ>\nПотом запустите воркфлоу: /run 1904136902449209346 6.text=«рыжая лиса»\n\nПодробности — в /help.",
        # status.
        "status.usage": "Какую задачу показать? Напишите /status <номер>, например /status 12. Список — в /tasks.",
        # task.
        "task.cannot_cancel": "Эту задачу сейчас нельзя отменить ({state}).",
        "task.failed_generic": "Ошибка: {detail}",
        "task.failed_node": "Узел {node} упал с ошибкой: {error}",
        "task.failed_oom": "Узлу {node} не хватило видеопамяти: {error}. Уменьшите размеры или запустите воркфлоу на машине с 48 ГБ (instanceType plus).",
        "task.not_found": "Среди ваших задач нет задачи {task}. Последние задачи — в /tasks.",
        "task.remote_lost": "RunningHub больше не знает эту задачу.",
        "task.timed_out": "Я перестал ждать. На RunningHub она может ещё завершиться — проверьте через /status, он по-прежнему её ищет.",
        "task.unknown": "Не знаю, получил ли RunningHub эту задачу (связь оборвалась). Повторно я её не отправлю, чтобы вы не заплатили дважды: проверьте историю задач на RunningHub и, если её там нет, запустите снова.",
        # tasks.
        "tasks.empty": "У вас ещё нет задач. Запустите первую через /run.",
        "tasks.header": "Ваши последние задачи:",
        "tasks.line": "#{task} · {workflow} · {state}",
        # usage.
        "usage.preset": "Пресеты:\n/preset save ИМЯ ВОРКФЛОУ [ключ=значение …] — сохранить воркфлоу со своими значениями по умолчанию\n/preset list — ваши пресеты\n/preset delete ИМЯ — удалить пресет\nЗапуск пресета: /run ИМЯ [ключ=значение …].",
        "usage.run": "Как запускать: /run ВОРКФЛОУ [ключ=значение …]\nВОРКФЛОУ — номер воркфлоу, ссылка на runninghub.ai или имя пресета. Ключ — имя поля (steps) или узел.поле (6.text).\nЗначения с пробелами берите в кавычки: text=«рыжая лиса». Чтобы подставить приложенное фото, видео или аудио, напишите ключ=@.",
    }
)
