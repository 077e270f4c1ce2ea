#!/usr/bin/env python3
"""Generates realistic LLOneBot data for the benchmarks, with fixed seeds (same bytes every run).

  gen.py tree DIR [--files 200000]   DIR/LLOneBot: temp/ (flat files and nested folders, a
                                      realistic size mix), two msg_<uin> LevelDB-like folders,
                                      config_<uin>.json, an empty logs/
  gen.py logs DIR [--mb 1024]         DIR/*.log: log files in the real line formats of every
                                      family: LLOneBot 3.x (HTTP and WebSocket), 3.3x-4.x, 4.x
                                      legacy, 5.x, 6.0-7.1, 7.2-7.11, 7.12+, LLBot 8.x, NapCat
  gen.py logs DIR [--mb 1024]         DIR/*.log: LLOneBot log files in the real line formats of
                                      3.27-3.28 (HTTP and WebSocket), 4.x, 5.x and 6.x
  gen.py qq DIR [--files 500000]      DIR/QQ: QQ's own data folder as Linux QQ lays it out: two
                                      nt_qq_<hex> accounts and global/, each nt_data with Pic,
                                      Video, Ptt, Emoji/emoji-recv, File, flashfransfer and log,
                                      month folders over 18 months, plus the never-touched
                                      nt_db, mmkv, UnitedConfig, personal_emoji, marketface

temp/: LLOneBot saves downloads, voice conversions and thumbnails as `<uuid>` files directly in
temp/ (about a third of the files here), and some tools leave per-download folders two levels deep
(the rest). Sizes: many small files (JSON, silk voice, thumbnails), fewer images of tens of KB,
rare downloads of hundreds of KB to 2 MB; about 6 KB on average (1.3 GB for 200,000 files).

Logs: three months of 3.x daily files (`llonebot-Y-M-D.log`), then every later family, each in its
own layout and with its own send-failure texts (src/stats/family.rs has the table; NapCat logs no
requests, only `发送 ->` for each message sent). Most lines are not what `stats` counts: incoming events reported to the bot
(`ws 消息上报` with the message JSON), `消息发送`, connection lines; every OneBot request is logged
with its payload (some with base64 images of tens of KB), sends with their size and timeout, 3%
of sends time out (IPC timeout + `发生错误 发送超时`), some other errors with stack traces, and
chat text that contains the marker words (which must not count).
"""
import argparse
import base64
import json
import os
import random

# ---------------------------------------------------------------------------------------------
# temp/ tree


def size_mix(rng):
    r = rng.random()
    if r < 0.60:
        return rng.randint(200, 4_000)        # small: json, silk voice, thumbnails
    if r < 0.97:
        return rng.randint(4_000, 12_000)     # images
    if r < 0.999:
        return rng.randint(12_000, 60_000)    # larger images
    return rng.randint(300_000, 2_000_000)    # downloads, update zips


EXTS = ["png", "jpg", "silk", "amr", "json", "gif", "mp4", ""]


def uuid(rng):
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def tree(root, files):
    rng = random.Random(20241125)
    data = os.path.join(root, "LLOneBot")
    temp = os.path.join(data, "temp")
    os.makedirs(temp, exist_ok=True)
    os.makedirs(os.path.join(data, "logs"), exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "tests", "samples",
                           "llonebot-config-3.28.3-defaults.json"), "rb") as f:
        config = f.read()
    for uin, tables in (("1511954122", 24), ("2024112501", 9)):
        with open(os.path.join(data, f"config_{uin}.json"), "wb") as f:
            f.write(config)
        db = os.path.join(data, f"msg_{uin}")
        os.makedirs(db, exist_ok=True)
        for name, size in (("CURRENT", 16), ("LOCK", 0), ("LOG", 2_000), ("LOG.old", 3_500),
                           ("MANIFEST-000004", 4_000), (f"{tables + 7:06d}.log", 600_000)):
            with open(os.path.join(db, name), "wb") as f:
                f.write(b"x" * size)
        for i in range(tables):
            with open(os.path.join(db, f"{5 + i:06d}.ldb"), "wb") as f:
                f.write(rng.randbytes(rng.randint(1_000_000, 2_100_000)))
    chunk = rng.randbytes(2_100_000)

    def write(path):
        size = size_mix(rng)
        with open(path, "wb") as f:
            f.write(chunk[:size])

    flat = files // 3
    for _ in range(flat):
        ext = rng.choice(EXTS)
        write(os.path.join(temp, uuid(rng) + ("." + ext if ext else "")))
    made = flat
    # Per-download folders: a few hundred files each, two levels deep.
    while made < files:
        d1 = os.path.join(temp, f"{rng.getrandbits(64):016x}")
        os.makedirs(d1, exist_ok=True)
        for _ in range(rng.randint(5, 15)):
            d2 = os.path.join(d1, f"{rng.getrandbits(32):08x}")
            os.makedirs(d2, exist_ok=True)
            for _ in range(rng.randint(20, 60)):
                if made >= files:
                    break
                write(os.path.join(d2, f"{rng.getrandbits(48):012x}.{rng.choice(EXTS[:6])}"))
                made += 1
    print(f"{made} files in {temp} ({flat} directly inside)")


# ---------------------------------------------------------------------------------------------
# logs

CHAT = ["早上好", "你好世界", "机器人在吗", "收到", "好的", "哈哈哈哈", "今天吃什么", "签到",
        "为什么老是 发生错误 发送超时", "[CQ:face,id=178]", "图片加载不出来", "发送超时了吗",
        "hello", "ok", "晚安", "来一张图", "/help", "这个bot好慢", "收到http请求是什么意思"]
ACTIONS_SEND = ["send_group_msg", "send_private_msg", "send_msg", "send_group_forward_msg"]
ACTIONS_OTHER = ["get_group_member_info", "get_msg", "get_group_list", "get_login_info",
                 "get_status", "get_stranger_info", "delete_msg", "set_group_ban"]
GROUPS = [194167989, 735281642, 884213007, 601338855, 912045773]
USERS = [10001, 2934519, 3468812, 77810225, 1148930021, 906112233]


class Log:
    """One output file; `entry` writes one log entry in the file's format."""

    def __init__(self, path, fmt, rng, mix="dense"):
        self.f = open(path, "w", encoding="utf-8", newline="\n")
        self.fmt, self.rng, self.mix = fmt, rng, mix
        self.bytes = 0

    def close(self):
        self.f.close()

    def stamp(self, t):
        y, mo, d, h, mi, s = t
        if self.fmt in ("v3", "v4", "v331"):
            return f"{y}/{mo}/{d} {h}:{mi:02d}:{s:02d}"
        if self.fmt == "napcat":
            return f"{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}"
        return f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}"

    def entry(self, t, msg, level="info", stack=(), legacy=False):
        st = self.stamp(t)
        if self.fmt in ("v6", "v8"):
            # cordis' render indents every further line of an entry (24 spaces in 8.x).
            msg = msg.replace("\n", "\n" + " " * 24)
        if self.fmt in ("v4", "v331") and legacy:
            # 4.x still writes some lines through the 3.x log(): no logger name, no account.
            text = f"{st} {msg} \n\n"
        elif self.fmt == "v3":
            text = f"{st} 小助手(2854196310): {msg} \n\n"
        elif self.fmt == "v4":
            text = f"{st} | onebot {msg}\n\n"
        elif self.fmt == "v331":
            text = f"{st} [{level}] 小助手(2854196310) | onebot {msg}\n\n"
        elif self.fmt == "napcat":
            text = f"{st} [{level}] 小助手 | {msg}\n"
        elif self.fmt in ("v5", "v6pipe", "v72"):
            text = f"[{level}] | {st} | {msg}\n\n"
        else:
            text = f"{st} [{level[0].upper()}] llbot {msg}\n"
        if stack:
            pad = " " * 27 if self.fmt in ("v6", "v8") else "    "
            text = text.rstrip("\n") + "\n" + "".join(f"{pad}{s}\n" for s in stack)
            if self.fmt not in ("v6", "v8", "napcat"):
                text += "\n"
        self.f.write(text)
        self.bytes += len(text.encode("utf-8"))


def payload(rng, fmt, action, big_image):
    js = fmt == "v3"
    if action in ACTIONS_SEND:
        r = rng.random()
        if big_image:
            b64 = base64.b64encode(rng.randbytes(rng.randint(8_000, 40_000))).decode()
            seg = {"type": "image", "data": {"file": "base64://" + b64}}
        elif r < 0.25:
            seg = {"type": "image", "data": {"file": f"https://gchat.qpic.cn/gchatpic_new/{rng.getrandbits(64):x}/0"}}
        else:
            text = rng.choice(CHAT) + "".join(rng.choice("你好世界机器人消息测试abcdef0123") for _ in range(rng.randint(0, 40)))
            seg = {"type": "text", "data": {"text": text}}
        body = {"group_id": rng.choice(GROUPS), "message": [seg]}
    elif action == "get_group_member_info":
        body = {"group_id": rng.choice(GROUPS), "user_id": rng.choice(USERS)}
    elif action in ("get_msg", "delete_msg"):
        body = {"message_id": -2147483000 - rng.randint(0, 99999)}
    else:
        body = {}
    if js:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    # Node's util.inspect, as 4.x and later log objects.
    s = json.dumps(body, ensure_ascii=False, separators=(", ", ": "))
    for k in ("group_id", "message", "type", "data", "text", "file", "user_id", "message_id"):
        s = s.replace(f'"{k}": ', f"{k}: ")
    return s.replace('"', "'").replace("{", "{ ").replace("}", " }") if s != "{}" else "{}"


def event_json(rng, t_unix):
    text = rng.choice(CHAT)
    group = rng.choice(GROUPS)
    user = rng.choice(USERS)
    return json.dumps({
        "self_id": 2854196310, "user_id": user, "time": t_unix,
        "message_id": -2147483000 - rng.randint(0, 99999), "message_type": "group",
        "sub_type": "normal", "post_type": "message", "raw_message": text,
        "message": [{"type": "text", "data": {"text": text}}], "group_id": group,
        "sender": {"user_id": user, "nickname": "群友", "card": "", "role": "member"},
    }, ensure_ascii=False, separators=(",", ":"))


STACK = ("at Timeout._onTimeout (C:\\LiteLoaderQQNT\\plugins\\LLOneBot\\main.cjs:2:81234)",
         "at listOnTimeout (node:internal/timers:581:17)",
         "at process.processTimers (node:internal/timers:519:7)")


# Chat text as people type it: several lines at times, and now and then a pasted error (which
# must never count).
CHAT_LINES = ["早上好", "今天群里好热闹", "有人在吗", "[图片]3c9f0e1a.jpg", "哈哈哈哈哈哈",
              "invoke timeout, wrapperSession.getMsgService().sendMsg, [ '0' ] 这是啥报错",
              "发生错误 [Error: invoke timeout, wrapperSession.getMsgService().sendMsg]",
              "晚上一起打游戏吗", "这个机器人怎么不回我了", "/签到", "收到", "好的好的"]


def received(log, rng, t):
    """A message received in a group, as 5.x-8.x log it (`ntqqapi/log.ts` logSummaryMessage):
    a first line, then the text on the next lines (5.x-7.11) or after the colon with its
    further lines indented (8.x); NapCat's `接收 <-` line with its text's further lines."""
    group, user = rng.choice(GROUPS), rng.choice(USERS)
    text = [rng.choice(CHAT_LINES) for _ in range(1 + (rng.random() < 0.3) + (rng.random() < 0.1))]
    if log.fmt == "napcat":
        log.entry(t, f"接收 <- 群聊 [测试群({group})] [群友({user})] " + "\n".join(text))
    elif log.fmt in ("v6", "v8"):
        log.entry(t, f"[收-群] 测试群({group}) 群友({user})：" + "\n".join(text))
    else:
        log.entry(t, f"[收-群] 测试群({group}) 群友({user})：\n" + "\n".join(text))


def burst(log, rng, t, t_unix, ws):
    """One event or request with what LLOneBot logs around it."""
    fmt = log.fmt
    r = rng.random()
    if log.mix == "realistic" and fmt not in ("v3", "v331", "v4"):
        # Most entries of a busy bot's log are the messages it receives.
        if r < 0.72:
            received(log, rng, t)
            return
        r = (r - 0.72) / 0.28
    elif log.mix == "realistic" and r < 0.55:
        # 3.x-4.x log no message summaries: their events are reports to the bot.
        r = 0.0
    if r < 0.45:
        # An incoming message reported to the bot.
        if fmt == "v3":
            if ws:
                log.entry(t, f"ws 消息上报 ws://127.0.0.1:8080/onebot/v11/ws {event_json(rng, t_unix)}")
            else:
                log.entry(t, f"HTTP 事件上报 http://127.0.0.1:5700/ {event_json(rng, t_unix)}")
        else:
            log.entry(t, f"收到消息 {{ peerUid: 'u_{rng.getrandbits(64):x}', msgId: '{rng.getrandbits(62)}', elements: [ [Object] ] }}")
        return
    if fmt == "napcat":
        napcat_burst(log, rng, t, r)
        return
    if r < 0.50:
        log.entry(t, rng.choice(["ws connect /", "heartbeat", "OneBot V11 HTTP server started :3000",
                                 f"process pid {rng.randint(1000, 99999)}", "获取群列表成功"]))
        return
    send = rng.random() < 0.7
    action = rng.choice(ACTIONS_SEND if send else ACTIONS_OTHER)
    big = send and rng.random() < 0.004
    body = payload(rng, fmt, action, big)
    if ws:
        if fmt == "v3":
            log.entry(t, f'收到正向Websocket消息 {{"action":"{action}","params":{body},"echo":"{rng.getrandbits(20)}"}}')
        else:
            log.entry(t, f"收到正向 Websocket 消息 {{ action: '{action}', params: {body}, echo: {rng.getrandbits(20)} }}")
    elif fmt == "v3":
        log.entry(t, f"收到http请求 /{action} {body}")
    else:
        log.entry(t, f"收到 HTTP 请求 /{action}?access_token=s3cret {body}")
    if not send:
        if rng.random() < 0.05:
            log.entry(t, f"发生错误 Error: 群成员{rng.choice(USERS)}不存在", "error",
                      STACK[:1] if fmt != "v3" else ())
        return
    if fmt == "v3":
        size = 0 if rng.random() < 0.75 else rng.randint(10_000, 800_000)
        log.entry(t, f"发送消息总大小 {size} bytes")
        log.entry(t, f"设置消息超时时间 {5000 + size * 1000 / 102400:g}")
    if rng.random() < 0.03:
        if fmt in ("v5", "v6pipe", "v72"):
            log.entry(t, "发生错误 Error: invoke timeout, wrapperSession.getMsgService().sendMsg, "
                         '["0",{"chatType":2,"peerUid":"194167989"}]', "error", STACK)
            return
        if fmt == "v8":
            r = rng.random()
            text = ("waitForSelfEcho timeout" if r < 0.6 else
                    "Command MessageSvc.PbSendMsg timed out after 15000ms" if r < 0.8 else
                    "发送消息失败 (code=120): 禁言中")
            log.entry(t, f"发生错误 Error: {text}", "error", STACK)
            return
        if fmt in ("v3", "v4", "v331"):
            log.entry(t, "ntqq api timeout IPC_UP_2, ns-ntApi-2, nodeIKernelMsgService/sendMsg "
                         '["nodeIKernelMsgService/sendMsg",{"msgId":"0","peer":{"chatType":2},"msgElements":[{"elementType":1}]},null]',
                      legacy=True)
        if fmt == "v3":
            log.entry(t, "发生错误 发送超时")
        else:
            log.entry(t, "发生错误 Error: ntqq api timeout IPC_UP_3, ns-ntApi-3, nodeIKernelMsgService/sendMsg, "
                         '["0",{"chatType":2,"peerUid":"194167989"}]', "error", STACK)
        if ws and fmt == "v3":
            log.entry(t, 'ws 消息上报 undefined {"status":"failed","retcode":1200,"data":null,'
                         '"message":"发送超时","wording":"发送超时"}')
        return
    log.entry(t, f"消息发送 {-2147483000 - rng.randint(0, 99999)}")
    if ws and fmt == "v3":
        mid = -2147483000 - rng.randint(0, 99999)
        log.entry(t, 'ws 消息上报 undefined {"status":"ok","retcode":0,"data":{"message_id":'
                     f'{mid}}},"message":"","wording":""}}')


def napcat_burst(log, rng, t, r):
    """NapCat: every message in and out (`接收 <-`, `发送 ->`), and its timeouts (whose message
    was logged when QQ took it)."""
    group = rng.choice(GROUPS)
    if r < 0.6:
        log.entry(t, f"接收 <- 群聊 [测试群({group})] [群友({rng.choice(USERS)})] {rng.choice(CHAT)}")
    elif r < 0.97:
        log.entry(t, f"发送 -> 群聊 [测试群({group})] [小助手(2854196310)] {rng.choice(CHAT)}")
    else:
        # QQ took the message (`onAddSendMsg` logs it), then the send timed out.
        log.entry(t, f"发送 -> 群聊 [测试群({group})] [小助手(2854196310)] {rng.choice(CHAT)}")
        log.entry(t, "发生错误 Error: Timeout: NTEvent serviceAndMethod:NodeIKernelMsgService/sendMsg "
                     "ListenerName:NodeIKernelMsgListener/onMsgInfoListUpdate EventRet:", "error",
                  ("{", '    "result": 0,', '    "errMsg": ""', "}", "", STACK[0]))


def days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil(days):
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def log_name(fmt, y, m, d, secs):
    hh, mm, ss = secs // 3600, secs // 60 % 60, secs % 60
    if fmt == "v3":
        return f"llonebot-{y}-{m}-{d}.log"
    if fmt in ("v4", "v331", "v5"):
        return f"llonebot-{y}-{m}-{d} {hh}-{mm:02d}-{ss:02d}.log"
    if fmt == "v6pipe":
        return f"lltwobot-{y}-{m}-{d} {hh}-{mm:02d}-{ss:02d}.log"
    if fmt == "napcat":
        return f"{y}-{m:02d}-{d:02d}_{hh:02d}-{mm:02d}-{ss:02d}.000.log"
    return f"llbot-{y}-{m}-{d} {hh}-{mm:02d}-{ss:02d}.log"


def logs(out, mb, mix="dense"):
    rng = random.Random(8)
    os.makedirs(out, exist_ok=True)
    total = mb * 1024 * 1024
    # (format, share of the bytes, days covered, WebSocket?). 3.x writes one file a day; 4.x
    # and 6.x one per start of QQ (here every 5 days); 5.x rotates at 5 MB.
    plan = [("v3", 0.30, 60, False), ("v3", 0.15, 30, True), ("v331", 0.08, 10, False),
            ("v4", 0.07, 10, False), ("v5", 0.08, 10, False), ("v6pipe", 0.07, 10, True),
            ("v72", 0.07, 10, False), ("v6", 0.08, 10, True), ("v8", 0.05, 10, True),
            ("napcat", 0.05, 10, False)]
    day = days_from_civil(2024, 8, 1)
    written = 0
    nfiles = 0
    for fmt, share, ndays, ws in plan:
        per_day = int(total * share) // ndays
        log = None
        for i in range(ndays):
            y, m, d = civil(day)
            secs = rng.randint(0, 3600)
            if log is None or fmt == "v3" or (fmt not in ("v5", "v72") and i % 5 == 0):
                if log:
                    written += log.bytes
                    log.close()
                log = Log(os.path.join(out, log_name(fmt, y, m, d, secs)), fmt, rng, mix)
                nfiles += 1
            today = 0
            while today < per_day:
                secs = min(secs + rng.choice([0, 0, 0, 1, 1, 2, 5]), 86_399)
                t = (y, m, d, secs // 3600, secs // 60 % 60, secs % 60)
                before = log.bytes
                burst(log, rng, t, day * 86400 + secs, ws)
                today += log.bytes - before
                if fmt in ("v5", "v72") and log.bytes >= 5 * 1024 * 1024:
                    written += log.bytes
                    log.close()
                    log = Log(os.path.join(out, log_name(fmt, y, m, d, secs + 1)), fmt, rng, mix)
                    nfiles += 1
            day += 1
        written += log.bytes
        log.close()
    print(f"{written} bytes in {nfiles} files in {out}")


# ---------------------------------------------------------------------------------------------
# QQ's own data folder (nt_data)

# (folder, share of the files, sub-folders, extensions, size range): pictures dominate, as in
# users' reports (44 GB of Pic beside 1 GB of Video); sizes are scaled down about 50x to keep
# the tree near 1 GB while the file count, which is what costs time, stays real.
QQ_KINDS = [
    ("Pic", 0.70, ["Ori", "Thumb", "Thumb", "OriTemp"], ["jpg", "png", "gif"], (300, 4_000)),
    ("Video", 0.04, ["Ori", "Thumb"], ["mp4", "png"], (2_000, 40_000)),
    ("Ptt", 0.06, ["Ori", "OriTemp"], ["amr", "silk"], (200, 2_000)),
    ("Emoji/emoji-recv", 0.16, ["Thumb", "Ori"], ["gif", "png"], (200, 3_000)),
]


def qq(root, files):
    rng = random.Random(19)
    base = os.path.join(root, "QQ")
    chunk = rng.randbytes(40_000)
    now = int(__import__("time").time())
    months = [(2024 + (m // 12), m % 12 + 1) for m in range(0, 18)]
    accounts = [f"nt_qq_{rng.getrandbits(128):032x}" for _ in range(2)] + ["global"]
    shares = [0.55, 0.40, 0.05]
    made = 0

    def write(path, size, mtime):
        with open(path, "wb") as f:
            f.write(chunk[:size])
        os.utime(path, (mtime, mtime))

    for acct, share in zip(accounts, shares):
        nt = os.path.join(base, acct, "nt_data")
        n_acct = int(files * share) if acct != "global" else files - made
        left = n_acct
        # What must never be touched, beside the cache.
        for rel, size in (("../nt_db/nt_msg.db", 200_000), ("../nt_db/nt_msg.db-wal", 30_000),
                          ("mmkv/mmkv.default", 4_000), ("msf/state", 100),
                          ("UnitedConfig/000/cfg", 100), ("Emoji/personal_emoji/Ori/mine.jpg", 2_000),
                          ("Emoji/marketface/12345/face.gif", 2_000), ("avatar/user/a.png", 500)):
            p = os.path.normpath(os.path.join(nt, rel))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            write(p, size, now - 90 * 86400)
        # Flat kinds: received files, transfer temp, logs (about 4% of the files).
        flat = [("File/file_assistant", "pdf", (1_000, 40_000)), ("File/Thumb", "png", (200, 2_000)),
                ("flashfransfer/upload_temp", "bin", (500, 5_000)), ("log", "log", (2_000, 20_000))]
        for d, ext, (lo, hi) in flat:
            dd = os.path.join(nt, d)
            os.makedirs(dd, exist_ok=True)
            for _ in range(max(1, n_acct // 100)):
                age = rng.randint(0, 400) * 86400 + rng.randint(0, 86399)
                write(os.path.join(dd, f"{rng.getrandbits(128):032x}.{ext}"), rng.randint(lo, hi), now - age)
                left -= 1
        # Month folders: the newest month gets today's files beside older ones.
        for kind, kshare, subs, exts, (lo, hi) in QQ_KINDS:
            n_kind = int(left * kshare / 0.96)
            for i in range(n_kind):
                mi = min(int(len(months) * (rng.random() ** 0.5)), len(months) - 1)
                y, m = months[mi]
                sub = rng.choice(subs)
                d = os.path.join(nt, kind, f"{y}-{m:02d}", sub)
                if not os.path.isdir(d):
                    os.makedirs(d)
                # The last month: a tenth of its files are from the last 3 days.
                if mi == len(months) - 1 and rng.random() < 0.1:
                    age = rng.randint(0, 3 * 86400 - 600)
                else:
                    age = (len(months) - 1 - mi) * 30 * 86400 + rng.randint(4 * 86400, 30 * 86400)
                name = f"{rng.getrandbits(128):032x}"
                if sub.startswith("Thumb"):
                    name += rng.choice(["_0", "_720"])
                write(os.path.join(d, f"{name}.{rng.choice(exts)}"), rng.randint(lo, hi), now - age)
        made += n_acct
    vers = os.path.join(base, "versions")
    os.makedirs(vers, exist_ok=True)
    write(os.path.join(vers, "3.2.16-3.2.17.zip"), 40_000, now - 60 * 86400)
    count = sum(len(fs) for _, _, fs in os.walk(base))
    print(f"{count} files in {base}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tree")
    t.add_argument("dir")
    t.add_argument("--files", type=int, default=200_000)
    lg = sub.add_parser("logs")
    lg.add_argument("dir")
    lg.add_argument("--mb", type=int, default=1024)
    lg.add_argument("--mix", choices=["dense", "realistic"], default="dense",
                    help="dense: most lines hold a marker; realistic: most are received messages")
    q = sub.add_parser("qq")
    q.add_argument("dir")
    q.add_argument("--files", type=int, default=500_000)
    a = p.parse_args()
    if a.cmd == "tree":
        tree(a.dir, a.files)
    elif a.cmd == "qq":
        qq(a.dir, a.files)
    else:
        logs(a.dir, a.mb, a.mix)


if __name__ == "__main__":
    main()
